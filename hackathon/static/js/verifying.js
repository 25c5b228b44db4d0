/* Files the server is still verifying: ask about each every few seconds and reload the
 * page once one is settled (ready or rejected), unless an upload is running on it. */

import { fetchJSON } from "./app.js";

const boxes = [...document.querySelectorAll("[data-unsettled='verifying'][data-poll-url]")];
const busy = () => [...document.querySelectorAll("[data-progress-box]")].some((box) => !box.hidden);
let delay = 3000;

async function poll() {
  for (const box of boxes) {
    try {
      const record = await fetchJSON(box.dataset.pollUrl, { method: "GET" });
      if (record.status !== "verifying" && !busy()) {
        window.location.reload();
        return;
      }
    } catch {
      // the network or the server hiccuped: ask again later
    }
  }
  delay = Math.min(delay * 1.3, 15000);
  setTimeout(poll, delay);
}

if (boxes.length) setTimeout(poll, delay);
