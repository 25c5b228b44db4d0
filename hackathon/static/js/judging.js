/* Scoring form: every change is saved as a draft through the API, with a visible state.
 * Without this script the form still works as a plain form (save, submit, reopen).
 * Messages come translated from the page (data-messages on #score-form). */

import { ApiError, fetchJSON, formatClock, messagesOf } from "./app.js";

// Organizer forms that take work away ask once before they are sent.
document.querySelectorAll("form[data-confirm]").forEach((element) => {
  element.addEventListener("submit", (event) => {
    if (!window.confirm(element.dataset.confirm)) event.preventDefault();
  });
});

function scoring(form) {
  const t = messagesOf(form);
  const stateBox = document.getElementById("save-state");
  const versionInput = form.querySelector("input[name=version]");
  const editable = form.dataset.editable === "true";
  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;
  let retryDelay = 2000;

  function showState(state, message, withReload) {
    if (!stateBox) return;
    stateBox.dataset.state = state;
    stateBox.textContent = message;
    if (withReload) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.textContent = t("reload");
      button.addEventListener("click", () => window.location.reload());
      stateBox.appendChild(button);
    }
  }

  function currentValue(fieldset) {
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) return parseInt(checked.value, 10);
    const number = fieldset.querySelector("input[type=number]");
    if (number && number.value.trim() !== "") return Number(number.value);
    return null;
  }

  function highlightLevels(fieldset) {
    const value = currentValue(fieldset);
    let best = null;
    fieldset.querySelectorAll(".j-levels li[data-level]").forEach((li) => {
      li.classList.remove("is-current");
      const level = parseInt(li.dataset.level, 10);
      if (value !== null && level <= value && (best === null || level > parseInt(best.dataset.level, 10))) {
        best = li;
      }
    });
    if (best) best.classList.add("is-current");
  }

  function collect() {
    const scores = {};
    let invalid = false;
    form.querySelectorAll("fieldset[data-criterion]").forEach((fieldset) => {
      const value = currentValue(fieldset);
      const lo = parseInt(fieldset.dataset.min, 10);
      const hi = parseInt(fieldset.dataset.max, 10);
      const bad = value !== null && (!Number.isInteger(value) || value < lo || value > hi);
      fieldset.classList.toggle("j-invalid", bad);
      invalid = invalid || bad;
      if (!bad) scores[fieldset.dataset.criterion] = value;
    });
    const body = { scores, version: parseInt(versionInput.value, 10), submit: false };
    const feedback = form.querySelector("textarea[name=feedback]");
    const note = form.querySelector("textarea[name=note]");
    if (feedback) body.feedback = feedback.value;
    if (note) body.note = note.value;
    return { body, invalid };
  }

  function markInvalid(fields) {
    Object.keys(fields || {}).forEach((key) => {
      const match = /^scores\.(\d+)$/.exec(key);
      const fieldset = match && form.querySelector(`fieldset[data-criterion='${match[1]}']`);
      if (fieldset) fieldset.classList.add("j-invalid");
    });
  }

  /** Shows a refusal that retrying would not change; false for the ones worth retrying. */
  function settled(error) {
    if (!(error instanceof ApiError)) return false;
    if (error.status === 409 && error.code === "stale_version") {
      stopped = true;
      showState("stale", t("stale"), true);
    } else if (error.status === 409) {
      stopped = true;
      showState("error", t("closed"));
    } else if (error.status === 422) {
      markInvalid(error.details.fields);
      showState("error", error.message || t("invalid"));
    } else if (error.status === 401) {
      showState("error", t("signed_out"));
    } else {
      return false;
    }
    return true;
  }

  function saved(payload) {
    retryDelay = 2000;
    versionInput.value = String(payload.version);
    form.dataset.version = String(payload.version);
    form.dataset.status = payload.status;
    const badge = document.querySelector("[data-status-badge]");
    if (badge && payload.status === "in_progress") {
      badge.className = "j-status j-status-in_progress";
      badge.textContent = t("in_progress");
    }
    showState("saved", t("saved", { time: formatClock() }));
  }

  async function put(body) {
    try {
      const payload = await fetchJSON(form.dataset.api, { method: "PUT", body });
      inFlight = null;
      saved(payload);
    } catch (error) {
      inFlight = null;
      if (settled(error)) return false;
      dirty = true;
      showState("error", t("retrying"));
      timer = window.setTimeout(save, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return false;
    }
    return dirty ? save() : true; // typed on while this one was on its way
  }

  /** Saves the draft now; resolves to false when it could not be saved. */
  async function save() {
    timer = null;
    if (stopped) return false;
    if (inFlight) {
      dirty = true;
      await inFlight;
      return save();
    }
    const collected = collect();
    if (collected.invalid) {
      showState("error", t("invalid"));
      return false;
    }
    dirty = false;
    showState("saving", t("saving"));
    inFlight = put(collected.body);
    return inFlight;
  }

  function schedule(delay) {
    dirty = true;
    if (stopped) return;
    showState("pending", t("unsaved"));
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  // The save bar sticks to the bottom of the screen: a control reached by Tab (or tapped
  // half under it) is lifted clear of it once the browser has scrolled it into view.
  const bar = form.querySelector(".j-bar");
  form.addEventListener("focusin", (event) => {
    if (!bar || bar.contains(event.target)) return;
    window.requestAnimationFrame(() => {
      const shown = event.target.type === "radio" ? event.target.parentNode : event.target;
      const box = shown.getBoundingClientRect();
      const limit = bar.getBoundingClientRect().top - 8;
      if (box.bottom > limit) window.scrollBy(0, Math.min(box.bottom - limit, box.top - 8));
    });
  });

  form.querySelectorAll("fieldset[data-criterion]").forEach(highlightLevels);
  if (!editable) return;

  const saveButton = form.querySelector("[data-save-button]");
  if (saveButton) saveButton.hidden = true; // drafts save themselves

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-criterion]");
    if (fieldset) highlightLevels(fieldset);
    schedule(event.target.type === "radio" ? 300 : 700);
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "number") {
      const fieldset = event.target.closest("fieldset[data-criterion]");
      if (fieldset) highlightLevels(fieldset);
      schedule(1000);
    }
  });

  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    if (!submitter || submitter.value !== "submit" || form.dataset.flushed === "true") return;
    event.preventDefault();
    if (timer) window.clearTimeout(timer);
    const ok = dirty || inFlight ? await save() : true;
    if (ok === false || stopped) return;
    const action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "submit";
    form.appendChild(action);
    form.dataset.flushed = "true";
    form.submit();
  });

  window.addEventListener("beforeunload", (event) => {
    if ((dirty || inFlight) && form.dataset.flushed !== "true") {
      event.preventDefault();
      event.returnValue = t("leave");
    }
  });
}

const form = document.getElementById("score-form");
if (form) scoring(form);
