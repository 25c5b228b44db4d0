/* The people's choice page: a vote goes to the API without reloading the page, and the
 * chosen team is marked at once; without this script the same forms post to the page.
 * Organizers' counts refresh themselves from the same API. */

import { fetchJSON, messagesOf } from "./app.js";

const COUNT_SECONDS = 10;

function votes(root) {
  const t = messagesOf(root);
  const api = root.dataset.api;
  const status = root.querySelector("[data-status]");
  const say = (message) => {
    if (status) status.textContent = message || "";
  };

  function mark(teamId) {
    root.querySelectorAll("[data-team]").forEach((card) => {
      const chosen = card.dataset.team === String(teamId);
      card.classList.toggle("lb-voted", chosen);
      const button = card.querySelector("[data-vote-button]");
      if (!button) return;
      button.disabled = chosen;
      button.classList.toggle("primary", !chosen);
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.textContent = chosen ? t("yours") : t("vote");
    });
  }

  root.querySelectorAll("form[data-vote-form]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const teamId = Number(form.elements.team_id.value);
      const button = form.querySelector("[data-vote-button]");
      if (button) button.disabled = true;
      try {
        const answer = await fetchJSON(api, { method: "POST", body: { team_id: teamId } });
        mark(answer.team_id);
        const card = form.closest("[data-team]");
        say(t("saved", { team: card ? card.dataset.teamName : "" }));
        if (answer.counts) showCounts(answer);
      } catch (error) {
        if (button) button.disabled = false;
        say(error.message || t("offline"));
      }
    });
  });

  function showCounts(answer) {
    const counts = new Map((answer.counts || []).map((row) => [String(row.team_id), row.votes]));
    root.querySelectorAll("[data-team]").forEach((card) => {
      const cell = card.querySelector("[data-count]");
      if (cell) cell.textContent = String(counts.get(card.dataset.team) || 0);
    });
    const total = root.querySelector("[data-vote-total]");
    if (total) total.textContent = String(answer.total || 0);
  }

  if (root.dataset.organizer === "true") {
    window.setInterval(async () => {
      if (document.hidden) return;
      try {
        showCounts(await fetchJSON(api));
      } catch {
        // the next round tries again
      }
    }, COUNT_SECONDS * 1000);
  }
}

document.querySelectorAll("[data-votes]").forEach(votes);
