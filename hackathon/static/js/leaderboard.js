/* The public leaderboard refreshes itself: it polls the API with If-None-Match (a 304
   costs the server almost nothing) and redraws only when the board changed, marking the
   teams that moved. Served from our own origin; no framework, no CDN. */
(function () {
  "use strict";

  var root = document.querySelector("[data-leaderboard]");
  if (!root || !window.fetch) return;

  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  var polls = JSON.parse(root.getAttribute("data-poll") || "{}");
  var lang = root.getAttribute("data-lang") || "ko";
  var tz = root.getAttribute("data-tz") || undefined;
  var api = root.getAttribute("data-api");
  var etag = root.getAttribute("data-etag");
  var state = root.getAttribute("data-state");
  var ranks = readRanks();
  var scores = {};
  var awardKeys = readAwardKeys();
  var criteriaKey = null;
  var timer = null;

  function $(selector) { return root.querySelector(selector); }

  function readRanks() {
    var found = {};
    root.querySelectorAll("tbody[data-rows] tr[data-team]").forEach(function (tr) {
      found[tr.getAttribute("data-team")] = tr.getAttribute("data-rank");
    });
    return found;
  }

  function readAwardKeys() {
    var keys = {};
    root.querySelectorAll("[data-award-list] li").forEach(function (li) {
      keys[li.textContent.replace(/\s+/g, " ").trim()] = true;
    });
    return keys;
  }

  function pick(name, en) { return (lang === "en" && en) ? en : (name || ""); }

  function formatScore(value, mode) {
    if (value === null || value === undefined) return "\u2013";
    return Number(value).toFixed(mode === "zscore" ? 3 : 2);
  }

  function formatTime(iso) {
    try {
      return new Date(iso).toLocaleString(lang === "ko" ? "ko-KR" : "en-GB", { timeZone: tz });
    } catch (error) {
      return iso;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function say(message) {
    var status = $("[data-status]");
    if (status) status.textContent = message || "";
  }

  function interval() {
    var seconds = polls[state];
    return seconds ? seconds * 1000 : 0;
  }

  function schedule() {
    window.clearTimeout(timer);
    var wait = interval() || (polls.hidden || 0) * 1000;
    if (wait > 0) timer = window.setTimeout(refresh, wait);
  }

  function refresh() {
    if (document.hidden) { schedule(); return; }
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(api, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (response.status === 404) { unavailable(); return null; }
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag") || etag;
        return response.json().then(render);
      })
      .catch(function () { say(labels.offline); })
      .then(schedule);
  }

  function setState(next) {
    state = next;
    root.setAttribute("data-state", next);
    var badge = $("[data-state-label]");
    if (badge) {
      badge.textContent = (labels.states || {})[next] || next;
      badge.className = "badge lb-state lb-state-" + next;
    }
  }

  function unavailable() {
    setState("hidden");
    etag = null;
    $("tbody[data-rows]").replaceChildren();
    var awards = $("[data-awards]");
    if (awards) awards.hidden = true;
    say(labels.unavailable);
  }

  function renderHead(data) {
    var key = JSON.stringify(data.criteria);
    if (key === criteriaKey) return;
    criteriaKey = key;
    var tr = el("tr");
    [["lb-rank", labels.rank], ["", labels.team], ["lb-track", labels.track],
     ["lb-num", labels.score], ["lb-num lb-raw", labels.raw], ["lb-num lb-judges", labels.judges]]
      .forEach(function (cell) {
        var th = el("th", cell[0], cell[1]);
        th.scope = "col";
        tr.appendChild(th);
      });
    data.criteria.forEach(function (c) {
      var th = el("th", "lb-num lb-crit", pick(c.name, c.name_en));
      th.scope = "col";
      tr.appendChild(th);
    });
    $("thead[data-head]").replaceChildren(tr);
  }

  function badges(cell, awards) {
    (awards || []).forEach(function (a) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(el("span", "badge lb-award", pick(a.name, a.name_en)));
    });
  }

  function movement(row, before) {
    var id = String(row.team.id);
    if (!(id in before)) return null;
    var was = before[id] ? Number(before[id]) : null;
    var now = row.rank;
    if (was === now) return null;
    if (was === null) return { cls: "lb-new", text: labels["new"] };
    if (now === null || now > was) return { cls: "lb-down", text: "\u25BC" + (now === null ? "" : now - was), label: labels.down };
    return { cls: "lb-up", text: "\u25B2" + (was - now), label: labels.up };
  }

  function renderRow(row, data, before, changedScore) {
    var tr = el("tr");
    tr.setAttribute("data-team", row.team.id);
    tr.setAttribute("data-rank", row.rank === null ? "" : row.rank);
    var rank = el("td", "lb-rank", row.rank === null ? "\u2013" : row.rank);
    var move = movement(row, before);
    if (move) {
      tr.classList.add(move.cls, "lb-changed");
      var mark = el("span", "lb-move", move.text);
      if (move.label) mark.title = move.label;
      rank.appendChild(mark);
    } else if (changedScore) {
      tr.classList.add("lb-changed");
    }
    if (row.awards && row.awards.length) tr.classList.add("lb-awarded");
    tr.appendChild(rank);
    var team = el("td", "lb-team");
    team.appendChild(el("span", "lb-team-name", row.team.name));
    if (row.track) team.appendChild(el("span", "lb-track-inline", pick(row.track, row.track_en)));
    badges(team, row.awards);
    tr.appendChild(team);
    tr.appendChild(el("td", "lb-track", row.track ? pick(row.track, row.track_en) : ""));
    tr.appendChild(el("td", "lb-num lb-score", formatScore(row.score, data.mode)));
    tr.appendChild(el("td", "lb-num lb-raw", formatScore(row.raw_score, "raw")));
    tr.appendChild(el("td", "lb-num lb-judges", row.judges));
    data.criteria.forEach(function (c) {
      var mean = row.criteria[c.name];
      tr.appendChild(el("td", "lb-num lb-crit", mean === undefined ? "\u2013" : formatScore(mean, "raw")));
    });
    return tr;
  }

  function renderAwards(data) {
    var section = $("[data-awards]");
    var list = $("[data-award-list]");
    if (!section || !list) return;
    var keys = {};
    var items = (data.awards || []).map(function (a) {
      var li = el("li");
      li.appendChild(el("strong", "", pick(a.name, a.name_en)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "", a.team ? a.team.name : "\u2013"));
      var key = li.textContent.replace(/\s+/g, " ").trim();
      keys[key] = true;
      if (!awardKeys[key]) li.classList.add("lb-new");
      return li;
    });
    list.replaceChildren.apply(list, items);
    section.hidden = items.length === 0;
    awardKeys = keys;
  }

  function render(data) {
    var before = ranks;
    var next = {};
    var nextScores = {};
    setState(data.state);
    renderHead(data);
    var rows = data.rows.map(function (row) {
      var id = String(row.team.id);
      next[id] = row.rank === null ? "" : String(row.rank);
      nextScores[id] = row.score;
      var changed = id in scores && scores[id] !== row.score;
      return renderRow(row, data, before, changed);
    });
    var tbody = $("tbody[data-rows]");
    tbody.replaceChildren.apply(tbody, rows);
    renderAwards(data);
    var empty = $("[data-empty]");
    if (empty) empty.hidden = data.rows.length > 0;
    var generated = $("[data-generated]");
    if (generated) {
      generated.setAttribute("datetime", data.generated_at);
      generated.textContent = formatTime(data.generated_at);
    }
    ranks = next;
    scores = nextScores;
    say(labels.changed);
  }

  // Scores as first drawn, so the first update can mark changed ones.
  root.querySelectorAll("tbody[data-rows] tr[data-team]").forEach(function (tr) {
    var cell = tr.querySelector(".lb-score");
    var value = cell ? parseFloat(cell.textContent) : NaN;
    scores[tr.getAttribute("data-team")] = isNaN(value) ? null : value;
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refresh();
  });
  schedule();
})();
