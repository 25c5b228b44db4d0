/* Direct uploads to storage: checksum in the browser, ticket, upload, complete.
 *
 * Small files go in one form POST; large ones in parallel parts that survive a dropped
 * connection (the server hands the same upload back and lists the parts it already has).
 * Messages come translated from the page (data-messages on #uploader).
 */

import { ApiError, fetchJSON, formatBytes, formatDateTime, formatNumber, messagesOf } from "./app.js";
import { fileSha256 } from "./checksum.js";

const PARALLEL = 4;
const MAX_ATTEMPTS = 3;

class UploadError extends Error {
  constructor(message, { resumable = false, code = null } = {}) {
    super(message);
    this.resumable = resumable;
    this.code = code;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function uploader(root) {
  const t = messagesOf(root);
  const timeZone = root.dataset.timezone || undefined;
  let running = 0;

  const sizeLabel = (bytes) => (bytes >= 1024 ? `${formatBytes(bytes)} (${formatNumber(bytes)} B)` : formatBytes(bytes));

  async function api(method, url, body) {
    try {
      return await fetchJSON(url, { method, body });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 0) throw new UploadError(t("server"), { resumable: true });
      const resumable = error.transient || error.code === "parts_missing";
      throw new UploadError(error.message || t("refused", { status: error.status }), { resumable, code: error.code });
    }
  }

  // XMLHttpRequest, not fetch: only it reports upload progress.
  function send(state, method, url, body, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      state.xhrs.add(xhr);
      const done = () => state.xhrs.delete(xhr);
      xhr.open(method, url);
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => {
        done();
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr);
        else reject(storageError(xhr));
      };
      xhr.onerror = () => {
        done();
        reject(new UploadError(t("network"), { resumable: true }));
      };
      xhr.onabort = () => {
        done();
        reject(new UploadError(t("cancelled")));
      };
      xhr.send(body);
    });
  }

  function storageError(xhr) {
    let message = null;
    try {
      const data = JSON.parse(xhr.responseText);
      message = data.error && data.error.message;
    } catch {
      message = null; // S3 answers in English XML: say it in the page's language
    }
    return new UploadError(message || t("refused", { status: xhr.status }), {
      resumable: xhr.status >= 500 || xhr.status === 403 || xhr.status === 0,
    });
  }

  async function checksum(file, state, view) {
    try {
      return await fileSha256(file, {
        onProgress: (fraction) => view.fraction(fraction),
        cancelled: () => state.cancelled,
      });
    } catch (error) {
      if (error.name === "CancelledError") throw new UploadError(t("cancelled"));
      throw new UploadError(t("unreadable")); // moved, changed or no longer allowed: pick it again
    }
  }

  function ui(box) {
    const q = (selector) => box.querySelector(selector);
    const bar = q("[data-progress]");
    const text = q("[data-progress-text]");
    const status = q("[data-status]");
    const progressBox = q("[data-progress-box]");
    const cancel = q("[data-cancel]");
    const resume = q("[data-resume]");
    return {
      begin() {
        progressBox.hidden = false;
        cancel.hidden = false;
        resume.hidden = true;
        bar.value = 0;
        text.textContent = "";
      },
      status(message, kind) {
        status.textContent = message;
        status.className = `upload-status ${kind || ""}`;
      },
      fraction(value) {
        bar.value = Math.min(100, value * 100);
        text.textContent = `${formatNumber(Math.floor(bar.value))}%`;
      },
      meter(total, already) {
        const started = performance.now();
        let shown = 0;
        return (loaded) => {
          const now = performance.now();
          if (now - shown < 150 && loaded < total) return;
          shown = now;
          bar.value = total ? (loaded / total) * 100 : 100;
          const seconds = (now - started) / 1000;
          const rate = seconds > 0.25 ? (loaded - already) / seconds : 0;
          let line = `${formatNumber(Math.floor(bar.value))}% · ${formatBytes(loaded)} / ${formatBytes(total)}`;
          if (rate > 0) line += ` · ${t("speed", { speed: formatBytes(rate) })}`;
          text.textContent = line;
        };
      },
      fail(message, resumable) {
        this.status(message, "error");
        cancel.hidden = !resumable; // a resumable upload can still be dropped
        resume.hidden = !resumable;
        if (!resumable) progressBox.hidden = true;
      },
      finish() {
        cancel.hidden = true;
        resume.hidden = true;
        bar.value = 100;
      },
    };
  }

  async function uploadPost(state, ticket, file, meter) {
    const form = new FormData();
    Object.entries(ticket.fields || {}).forEach(([name, value]) => form.append(name, value));
    form.append("file", file); // last: S3 ignores fields after the file
    await send(state, "POST", ticket.url, form, (loaded) => meter(Math.min(loaded, file.size)));
    meter(file.size);
  }

  async function uploadMultipart(state, ticket, file, view) {
    const size = ticket.part_size;
    const count = ticket.part_count;
    const expected = (n) => Math.min(file.size, n * size) - (n - 1) * size;
    const listing = await api("GET", ticket.parts_url);
    const have = new Set(listing.parts.filter((p) => p.size === expected(p.part_number)).map((p) => p.part_number));
    let sent = 0;
    have.forEach((n) => {
      sent += expected(n);
    });
    if (have.size) view.status(t("resuming", { count: have.size, total: count }));
    const meter = view.meter(file.size, sent);
    const inflight = new Map();
    const report = () => meter(sent + Array.from(inflight.values()).reduce((a, b) => a + b, 0));
    const queue = [];
    for (let n = 1; n <= count; n++) if (!have.has(n)) queue.push(n);

    async function part(n) {
      const start = (n - 1) * size;
      const end = Math.min(file.size, start + size);
      for (let attempt = 1; ; attempt++) {
        try {
          const signed = await api("POST", ticket.parts_url, { part_numbers: [n] });
          await send(state, "PUT", signed.parts[0].url, file.slice(start, end), (loaded) => {
            inflight.set(n, loaded);
            report();
          });
          inflight.delete(n);
          sent += end - start;
          report();
          return;
        } catch (error) {
          inflight.delete(n);
          if (state.cancelled || state.failed || !error.resumable || attempt >= MAX_ATTEMPTS) throw error;
          view.status(t("retrying", { attempt: attempt + 1, max: MAX_ATTEMPTS }));
          await sleep(800 * attempt);
        }
      }
    }

    async function worker() {
      while (queue.length && !state.cancelled && !state.failed) await part(queue.shift());
    }
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
    } catch (error) {
      state.failed = true;
      state.xhrs.forEach((xhr) => xhr.abort());
      throw error;
    }
  }

  function element(tag, properties = {}, ...children) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  }

  function showAccepted(box, record) {
    const current = box.querySelector("[data-current]");
    const versions = box.querySelector("[data-versions]");
    const previous = current.querySelector("[data-file-name]");
    if (previous && versions) {
      const item = element("li", {}, `${t("version", { version: current.dataset.version || "" })}: `, previous.cloneNode(true));
      versions.querySelector("ol").prepend(item);
      versions.hidden = false;
    }
    current.dataset.fileId = record.id;
    current.dataset.version = record.version;
    const heading = element("p", {}, element("strong", { textContent: t("current") }), ` · ${t("version", { version: record.version })}`);
    const link = element("a", { href: record.download_url, textContent: record.name });
    link.dataset.fileName = "";
    const name = element("p", { className: "file-name" }, link);
    const digest = element("code", { textContent: record.sha256 });
    digest.dataset.sha256 = "";
    const received = record.receipt.received_at;
    const rows = [
      [t("size"), sizeLabel(record.size)],
      ["SHA-256", digest],
      [t("received"), element("time", { dateTime: received, textContent: formatDateTime(received, timeZone) })],
    ];
    if (record.uploaded_by) rows.push([t("uploader"), record.uploaded_by.name]);
    const receipt = element("dl", { className: "receipt" });
    rows.forEach(([label, value]) => receipt.append(element("dt", { textContent: label }), element("dd", {}, value)));
    current.replaceChildren(heading, name, receipt);
  }

  async function settled(record) {
    let delay = 2000;
    for (;;) {
      await sleep(delay);
      delay = Math.min(delay * 1.5, 10000);
      try {
        record = await api("GET", record.status_url);
      } catch (error) {
        if (!error.resumable) throw error; // a network blip: ask again
      }
      if (record.status !== "verifying") return record;
    }
  }

  async function start(box, file, previous) {
    const view = ui(box);
    const extensions = (box.dataset.extensions || "").split(",").filter(Boolean);
    const dot = file.name.lastIndexOf(".");
    const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    if (!extensions.includes(extension)) return view.fail(t("wrong_extension", { types: extensions.join(", ") }));
    if (file.size === 0) return view.fail(t("empty"));
    if (file.size > Number(box.dataset.maxBytes)) return view.fail(t("too_large", { limit: box.dataset.maxLabel }));

    const state = {
      file,
      cancelled: false,
      failed: false,
      running: true,
      xhrs: new Set(),
      ticket: null,
      stage: "hash",
      digest: previous && previous.file === file ? previous.digest : null,
    };
    if (previous && previous.ticket && previous.stage !== "complete" && !previous.ticket.multipart) {
      api("DELETE", previous.ticket.cancel_url).catch(() => null); // a form POST starts afresh
    }
    box.uploadState = state;
    running += 1;
    view.begin();
    try {
      if (previous && previous.stage === "complete" && previous.ticket) {
        state.ticket = previous.ticket;
      } else {
        if (!state.digest) {
          view.status(t("hashing"));
          state.digest = await checksum(file, state, view);
        }
        if (state.cancelled) throw new UploadError(t("cancelled"));
        state.stage = "ticket";
        view.status(t("requesting"));
        state.ticket = await api("POST", root.dataset.ticketUrl, {
          slot: box.dataset.slot,
          filename: file.name,
          size: file.size,
          sha256: state.digest,
        });
        state.stage = "upload";
        view.status(t("uploading"));
        if (state.ticket.multipart) await uploadMultipart(state, state.ticket, file, view);
        else await uploadPost(state, state.ticket, file, view.meter(file.size, 0));
      }
      state.stage = "complete";
      view.status(t("verifying"));
      let record = await api("POST", state.ticket.complete_url);
      if (record.status === "verifying") {
        // A large file is checked in the background: wait for its verdict (the page's own
        // poll would show it too after a reload).
        view.status(t("verifying_later"));
        record = await settled(record);
      }
      if (record.status === "rejected") throw new UploadError(record.message || t("server"));
      view.finish();
      showAccepted(box, record);
      const facts = {
        name: record.name,
        size: formatBytes(record.size),
        version: record.version,
        sha256: record.sha256,
        time: formatDateTime(record.receipt.received_at, timeZone),
      };
      view.status(`${t("accepted", facts)} ${t("receipt", facts)}`, "ok");
      box.uploadState = null;
    } catch (error) {
      state.xhrs.forEach((xhr) => xhr.abort());
      if (state.cancelled) view.fail(t("cancelled"), false);
      else view.fail(error.message || t("server"), error.resumable);
    } finally {
      state.running = false;
      running -= 1;
    }
    return undefined;
  }

  function cancel(box) {
    const state = box.uploadState;
    if (!state) return;
    state.cancelled = true;
    state.xhrs.forEach((xhr) => xhr.abort());
    if (state.ticket && state.stage !== "complete") {
      api("DELETE", state.ticket.cancel_url).catch(() => null); // gc removes it otherwise
    }
    box.uploadState = null;
    ui(box).fail(t("cancelled"), false);
  }

  root.querySelectorAll(".slot").forEach((box) => {
    const input = box.querySelector("[data-file-input]");
    if (!input) return;
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = "";
      const previous = box.uploadState;
      if (!file || (previous && previous.running)) return;
      if (previous && previous.ticket && previous.stage !== "complete") {
        api("DELETE", previous.ticket.cancel_url).catch(() => null);
      }
      start(box, file, null);
    });
    box.querySelector("[data-cancel]").addEventListener("click", () => cancel(box));
    box.querySelector("[data-resume]").addEventListener("click", () => {
      const previous = box.uploadState;
      if (previous && !previous.running) start(box, previous.file, previous);
    });
  });

  window.addEventListener("beforeunload", (event) => {
    if (running > 0) {
      event.preventDefault();
      event.returnValue = t("leave");
    }
  });
}

const root = document.getElementById("uploader");
if (root) uploader(root);
