/* A room's screen on pitch day: the team pitching now, the next one, and the time left.
 *
 * The page carries the room's slots (data-slots, times in ISO 8601) and works them out on
 * its own clock, once a second, so it moves on to the next team the moment a slot ends
 * without asking the server. Only when a slot ends does it fetch the timetable once (a
 * pitch moved, a team marked absent); if that fails it goes on with what it has.
 */

import { fetchJSON, locale, messagesOf } from "./app.js";

const pad = (n) => String(n).padStart(2, "0");

function clock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function readSlots(list) {
  return (list || [])
    .filter((slot) => slot.status !== "absent")
    .map((slot) => ({ ...slot, start: Date.parse(slot.starts_at), end: Date.parse(slot.ends_at) }))
    .sort((a, b) => a.start - b.start);
}

function projector(root) {
  const t = messagesOf(root);
  const roomId = Number(root.dataset.room);
  const timeOf = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: root.dataset.timezone || undefined });
  const out = {
    now: root.querySelector("[data-now]"),
    countdown: root.querySelector("[data-countdown]"),
    next: root.querySelector("[data-next]"),
    nextTime: root.querySelector("[data-next-time]"),
  };
  let slots = readSlots(JSON.parse(root.dataset.slots || "[]"));
  let timer = null;

  const set = (element, text) => {
    if (element && element.textContent !== text) element.textContent = text;
  };

  async function refresh() {
    try {
      const body = await fetchJSON(root.dataset.refresh);
      slots = readSlots(body.slots.filter((slot) => slot.room_id === roomId));
    } catch {
      /* keep the slots we have: the screen must not go blank over a network hiccup */
    }
  }

  function render() {
    const now = Date.now();
    const current = slots.find((slot) => slot.start <= now && now < slot.end) || null;
    const next = slots.find((slot) => slot.start > now && slot !== current) || null;
    root.dataset.current = current ? String(current.id) : "";
    if (current) {
      set(out.now, current.team.name);
      set(out.countdown, t("left", { time: clock(current.end - now) }));
    } else if (next && !slots.some((slot) => slot.end <= now)) {
      set(out.now, "–");
      set(out.countdown, t("before", { time: timeOf.format(next.start) }));
    } else {
      set(out.now, next ? t("break") : "–");
      set(out.countdown, next ? "" : t("none"));
    }
    set(out.next, next ? next.team.name : "–");
    set(out.nextTime, next ? t("starts", { time: timeOf.format(next.start) }) : "");
    return current ? current.id : null;
  }

  let shown = render(); // the slot on screen: when it changes, the timetable is read again

  async function tick() {
    window.clearTimeout(timer);
    const key = render();
    if (key !== shown) {
      shown = key;
      await refresh();
      render();
    }
    timer = window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }

  timer = window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

document.querySelectorAll("[data-projector]").forEach(projector);
