/* The public leaderboard refreshes itself: it asks the server for the board's changing part
 * (state, awards, table) with If-None-Match, so an unchanged board costs a 304, and swaps
 * in the server's own markup when it changed, marking the teams that moved. */

import { messagesOf, request } from "./app.js";

const squash = (text) => text.replace(/\s+/g, " ").trim();

/** What the marks compare: each team's rank and score, and the awards shown. */
function readBoard(board) {
  const rows = new Map();
  board.querySelectorAll("tbody[data-rows] tr[data-team]").forEach((tr) => {
    rows.set(tr.dataset.team, { rank: tr.dataset.rank, score: tr.dataset.score });
  });
  const awards = new Set(Array.from(board.querySelectorAll("[data-award-list] li"), (li) => squash(li.textContent)));
  return { rows, awards };
}

function leaderboard(root) {
  const t = messagesOf(root);
  const polls = JSON.parse(root.dataset.poll || "{}");
  const url = root.dataset.fragment;
  const status = root.querySelector("[data-status]");
  let board = root.querySelector("[data-board]");
  let etag = root.dataset.etag || null;
  let state = board.dataset.state;
  let timer = null;
  let busy = false;

  const say = (message) => {
    if (status) status.textContent = message || "";
  };

  function schedule() {
    window.clearTimeout(timer);
    const seconds = polls[state] || polls.hidden || 0;
    if (seconds > 0) timer = window.setTimeout(refresh, seconds * 1000);
  }

  function movement(was, now) {
    if (was === now) return null;
    if (was === "") return { cls: "lb-new", text: t("new") };
    if (now === "" || Number(now) > Number(was)) {
      return { cls: "lb-down", text: `\u25BC${now === "" ? "" : Number(now) - Number(was)}`, label: t("down") };
    }
    return { cls: "lb-up", text: `\u25B2${Number(was) - Number(now)}`, label: t("up") };
  }

  /** Marks on the new board what changed since the old one: moves, scores, new awards. */
  function mark(next, before) {
    next.querySelectorAll("tbody[data-rows] tr[data-team]").forEach((tr) => {
      const old = before.rows.get(tr.dataset.team);
      if (!old) return; // a team that just appeared has nothing to compare with
      const move = movement(old.rank, tr.dataset.rank);
      if (move) {
        tr.classList.add(move.cls, "lb-changed");
        const sign = document.createElement("span");
        sign.className = "lb-move";
        sign.textContent = move.text;
        if (move.label) sign.title = move.label;
        tr.querySelector(".lb-rank").append(sign);
      } else if (old.score !== tr.dataset.score) {
        tr.classList.add("lb-changed");
      }
    });
    next.querySelectorAll("[data-award-list] li").forEach((li) => {
      if (!before.awards.has(squash(li.textContent))) li.classList.add("lb-new");
    });
  }

  function swap(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const next = template.content.querySelector("[data-board]");
    if (!next) throw new Error("no board in the answer");
    mark(next, readBoard(board));
    board.replaceWith(next);
    board = next;
    state = next.dataset.state;
    say(t("changed"));
  }

  function unavailable() {
    state = "hidden";
    etag = null;
    board.hidden = true; // kept, so the board that comes back is compared with it
    say(t("unavailable"));
  }

  async function refresh() {
    if (busy) return;
    if (document.hidden) {
      schedule();
      return;
    }
    busy = true;
    try {
      const headers = { Accept: "text/html" };
      if (etag) headers["If-None-Match"] = etag;
      const response = await request(url, { headers, cache: "no-store" });
      if (response.status === 404) {
        unavailable();
      } else if (response.status !== 304) {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const html = await response.text();
        swap(html);
        etag = response.headers.get("ETag") || etag;
      }
    } catch {
      say(t("offline"));
    } finally {
      busy = false;
    }
    schedule();
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
  schedule();
}

const root = document.querySelector("[data-leaderboard]");
if (root && root.querySelector("[data-board]")) leaderboard(root);
