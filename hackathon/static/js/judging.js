// Scoring form: every change is saved as a draft through the API, with a visible state.
// Without this script the form still works as a plain form (save, submit, reopen).
(function () {
  "use strict";

  // Organizer forms that take work away ask once before they are sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (element) {
    element.addEventListener("submit", function (event) {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });

  var form = document.getElementById("score-form");
  if (!form) return;
  var strings = JSON.parse((document.getElementById("judging-strings") || {}).textContent || "{}");
  var stateBox = document.getElementById("save-state");
  var versionInput = form.querySelector("input[name=version]");
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  var editable = form.dataset.editable === "true";
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;
  var retryDelay = 2000;

  function text(key) { return strings[key] || key; }

  function showState(state, message, withReload) {
    if (!stateBox) return;
    stateBox.dataset.state = state;
    stateBox.textContent = message;
    if (withReload) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.textContent = text("reload");
      button.addEventListener("click", function () { window.location.reload(); });
      stateBox.appendChild(button);
    }
  }

  function highlightLevels(fieldset) {
    var value = currentValue(fieldset);
    var items = fieldset.querySelectorAll(".j-levels li[data-level]");
    var best = null;
    items.forEach(function (li) {
      li.classList.remove("is-current");
      var level = parseInt(li.dataset.level, 10);
      if (value !== null && level <= value && (best === null || level > parseInt(best.dataset.level, 10))) {
        best = li;
      }
    });
    if (best) best.classList.add("is-current");
  }

  function currentValue(fieldset) {
    var checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) return parseInt(checked.value, 10);
    var number = fieldset.querySelector("input[type=number]");
    if (number && number.value.trim() !== "") return Number(number.value);
    return null;
  }

  function collect() {
    var scores = {};
    var invalid = false;
    form.querySelectorAll("fieldset[data-criterion]").forEach(function (fieldset) {
      var value = currentValue(fieldset);
      var lo = parseInt(fieldset.dataset.min, 10);
      var hi = parseInt(fieldset.dataset.max, 10);
      var bad = value !== null && (!Number.isInteger(value) || value < lo || value > hi);
      fieldset.classList.toggle("j-invalid", bad);
      invalid = invalid || bad;
      if (!bad) scores[fieldset.dataset.criterion] = value;
    });
    var body = { scores: scores, version: parseInt(versionInput.value, 10), submit: false };
    var feedback = form.querySelector("textarea[name=feedback]");
    var note = form.querySelector("textarea[name=note]");
    if (feedback) body.feedback = feedback.value;
    if (note) body.note = note.value;
    return { body: body, invalid: invalid };
  }

  function clock() {
    var lang = document.documentElement.lang || undefined;
    return new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function markInvalid(fields) {
    Object.keys(fields || {}).forEach(function (key) {
      var match = /^scores\.(\d+)$/.exec(key);
      var fieldset = match && form.querySelector("fieldset[data-criterion='" + match[1] + "']");
      if (fieldset) fieldset.classList.add("j-invalid");
    });
  }

  function handleError(response, payload) {
    var error = (payload && payload.error) || {};
    if (response.status === 409 && error.code === "stale_version") {
      stopped = true;
      showState("stale", text("stale"), true);
    } else if (response.status === 409) {
      stopped = true;
      showState("error", text("closed"));
    } else if (response.status === 422) {
      markInvalid((error.details || {}).fields);
      showState("error", error.message || text("invalid"));
    } else if (response.status === 401) {
      showState("error", text("signed_out"));
    } else {
      return false; // worth retrying
    }
    return true;
  }

  function save() {
    timer = null;
    if (stopped) return Promise.resolve(false);
    if (inFlight) {
      dirty = true;
      return inFlight.then(save);
    }
    var collected = collect();
    if (collected.invalid) {
      showState("error", text("invalid"));
      return Promise.resolve(false);
    }
    dirty = false;
    showState("saving", text("saving"));
    inFlight = fetch(form.dataset.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(collected.body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (payload) {
        inFlight = null;
        if (response.ok) {
          retryDelay = 2000;
          versionInput.value = String(payload.version);
          form.dataset.version = String(payload.version);
          form.dataset.status = payload.status;
          var badge = document.querySelector("[data-status-badge]");
          if (badge && payload.status === "in_progress") {
            badge.className = "j-status j-status-in_progress";
            badge.textContent = text("in_progress");
          }
          showState("saved", text("saved").replace("%(time)s", clock()));
          return dirty ? save() : true;
        }
        if (!handleError(response, payload)) throw new Error("retry");
        return false;
      });
    }).catch(function () {
      inFlight = null;
      dirty = true;
      showState("error", text("retrying"));
      timer = window.setTimeout(save, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return false;
    });
    return inFlight;
  }

  function schedule(delay) {
    dirty = true;
    if (stopped) return;
    showState("pending", text("unsaved"));
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  // The save bar sticks to the bottom of the screen: a control reached by Tab (or tapped
  // half under it) is lifted clear of it once the browser has scrolled it into view.
  var bar = form.querySelector(".j-bar");
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target)) return;
    window.requestAnimationFrame(function () {
      var shown = event.target.type === "radio" ? event.target.parentNode : event.target;
      var box = shown.getBoundingClientRect();
      var limit = bar.getBoundingClientRect().top - 8;
      if (box.bottom > limit) window.scrollBy(0, Math.min(box.bottom - limit, box.top - 8));
    });
  });

  form.querySelectorAll("fieldset[data-criterion]").forEach(highlightLevels);
  if (!editable) return;

  var saveButton = form.querySelector("[data-save-button]");
  if (saveButton) saveButton.hidden = true; // drafts save themselves

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-criterion]");
    if (fieldset) highlightLevels(fieldset);
    schedule(event.target.type === "radio" ? 300 : 700);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "number") {
      var fieldset = event.target.closest("fieldset[data-criterion]");
      if (fieldset) highlightLevels(fieldset);
      schedule(1000);
    }
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.value !== "submit" || form.dataset.flushed === "true") return;
    event.preventDefault();
    if (timer) window.clearTimeout(timer);
    var pending = dirty || inFlight ? save() : Promise.resolve(true);
    pending.then(function (ok) {
      if (ok === false || stopped) return;
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "submit";
      form.appendChild(action);
      form.dataset.flushed = "true";
      form.submit();
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if ((dirty || inFlight) && form.dataset.flushed !== "true") {
      event.preventDefault();
      event.returnValue = text("leave");
      return text("leave");
    }
    return undefined;
  });
})();
