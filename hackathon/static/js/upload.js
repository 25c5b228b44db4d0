/* Direct uploads to storage: checksum in the browser, ticket, upload, complete.
 *
 * Small files go in one form POST; large ones in parallel parts that survive a dropped
 * connection (the server hands the same upload back and lists the parts it already has).
 * Every message comes translated from the page (data-messages on #uploader).
 */
(function () {
  "use strict";

  const { Sha256 } = window.hackathonUpload; // sha256.js, loaded just before

  const root = document.getElementById("uploader");
  if (!root) return;

  const M = JSON.parse(root.dataset.messages || "{}");
  const locale = root.dataset.locale || document.documentElement.lang || "ko";
  const timeZone = root.dataset.timezone || undefined;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const SUBTLE_LIMIT = 256 * 1024 * 1024; // crypto.subtle needs the whole file in memory
  const HASH_CHUNK = 8 * 1024 * 1024;
  const PARALLEL = 4;
  const MAX_ATTEMPTS = 3;
  let running = 0;

  function fmt(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g,
      (all, key) => (values && key in values ? String(values[key]) : all));
  }

  function humanSize(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes, unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    const digits = unit === 0 || value >= 100 ? 0 : 1;
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
  }

  function localTime(iso) {
    try {
      return new Date(iso).toLocaleString(locale, { timeZone, dateStyle: "medium", timeStyle: "medium" });
    } catch (e) {
      return iso;
    }
  }

  class UploadError extends Error {
    constructor(message, options) {
      super(message);
      this.resumable = Boolean(options && options.resumable);
      this.code = options && options.code;
    }
  }

  async function api(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new UploadError(M.server, { resumable: true });
    }
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const error = (data && data.error) || {};
      const resumable = response.status >= 500 || error.code === "parts_missing";
      throw new UploadError(error.message || fmt(M.refused, { status: response.status }),
        { resumable, code: error.code });
    }
    return data;
  }

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
      xhr.onerror = () => { done(); reject(new UploadError(M.network, { resumable: true })); };
      xhr.onabort = () => { done(); reject(new UploadError(M.cancelled)); };
      xhr.send(body);
    });
  }

  function storageError(xhr) {
    let message = null;
    try {
      const data = JSON.parse(xhr.responseText);
      message = data.error && data.error.message;
    } catch (e) { message = null; } // S3 answers in English XML: say it in the page's language
    return new UploadError(message || fmt(M.refused, { status: xhr.status }),
      { resumable: xhr.status >= 500 || xhr.status === 403 || xhr.status === 0 });
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function sha256(file, state, onProgress) {
    if (window.crypto && crypto.subtle && file.size <= SUBTLE_LIMIT) {
      const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
      onProgress(1);
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    }
    const hash = new Sha256();
    for (let offset = 0; offset < file.size; offset += HASH_CHUNK) {
      if (state.cancelled) throw new UploadError(M.cancelled);
      const chunk = new Uint8Array(await file.slice(offset, offset + HASH_CHUNK).arrayBuffer());
      hash.update(chunk);
      onProgress((offset + chunk.length) / file.size);
    }
    return hash.hex();
  }

  function ui(box) {
    const q = (selector) => box.querySelector(selector);
    const bar = q("[data-progress]"), text = q("[data-progress-text]"), status = q("[data-status]");
    const progressBox = q("[data-progress-box]"), cancel = q("[data-cancel]"), resume = q("[data-resume]");
    return {
      begin() {
        progressBox.hidden = false; cancel.hidden = false; resume.hidden = true;
        bar.value = 0; text.textContent = "";
      },
      status(message, kind) {
        status.textContent = message;
        status.className = `upload-status ${kind || ""}`;
      },
      fraction(value) { bar.value = Math.min(100, value * 100); text.textContent = `${Math.floor(bar.value)}%`; },
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
          let line = `${Math.floor(bar.value)}% · ${humanSize(loaded)} / ${humanSize(total)}`;
          if (rate > 0) line += ` · ${fmt(M.speed, { speed: humanSize(rate) })}`;
          text.textContent = line;
        };
      },
      fail(message, resumable) {
        this.status(message, "error");
        cancel.hidden = !resumable; // a resumable upload can still be dropped
        resume.hidden = !resumable;
        if (!resumable) progressBox.hidden = true;
      },
      finish() { cancel.hidden = true; resume.hidden = true; bar.value = 100; },
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
    const size = ticket.part_size, count = ticket.part_count;
    const expected = (n) => Math.min(file.size, n * size) - (n - 1) * size;
    const listing = await api("GET", ticket.parts_url);
    const have = new Set(listing.parts.filter((p) => p.size === expected(p.part_number)).map((p) => p.part_number));
    let sent = 0;
    have.forEach((n) => { sent += expected(n); });
    if (have.size) view.status(fmt(M.resuming, { count: have.size, total: count }));
    const meter = view.meter(file.size, sent);
    const inflight = new Map();
    const report = () => meter(sent + Array.from(inflight.values()).reduce((a, b) => a + b, 0));
    const queue = [];
    for (let n = 1; n <= count; n++) if (!have.has(n)) queue.push(n);

    async function part(n) {
      const start = (n - 1) * size, end = Math.min(file.size, start + size);
      for (let attempt = 1; ; attempt++) {
        try {
          const signed = await api("POST", ticket.parts_url, { part_numbers: [n] });
          await send(state, "PUT", signed.parts[0].url, file.slice(start, end), (loaded) => {
            inflight.set(n, loaded); report();
          });
          inflight.delete(n);
          sent += end - start;
          report();
          return;
        } catch (error) {
          inflight.delete(n);
          if (state.cancelled || state.failed || !error.resumable || attempt >= MAX_ATTEMPTS) throw error;
          view.status(fmt(M.retrying, { attempt: attempt + 1, max: MAX_ATTEMPTS }));
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

  function showAccepted(box, record) {
    const current = box.querySelector("[data-current]");
    const versions = box.querySelector("[data-versions]");
    const previous = current.querySelector("[data-file-name]");
    if (previous && versions) {
      const item = document.createElement("li");
      item.append(`${fmt(M.version, { version: current.dataset.version || "" })}: `, previous.cloneNode(true));
      versions.querySelector("ol").prepend(item);
      versions.hidden = false;
    }
    current.dataset.fileId = record.id;
    current.dataset.version = record.version;
    const heading = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = M.current;
    heading.append(strong, ` · ${fmt(M.version, { version: record.version })}`);
    const name = document.createElement("p");
    name.className = "file-name";
    const link = document.createElement("a");
    link.href = record.download_url;
    link.dataset.fileName = "";
    link.textContent = record.name;
    name.append(link);
    const receipt = document.createElement("dl");
    receipt.className = "receipt";
    const rows = [[M.size, humanSize(record.size)], ["SHA-256", record.sha256],
      [M.received, localTime(record.receipt.received_at)]];
    if (record.uploaded_by) rows.push([M.uploader, record.uploaded_by.name]);
    rows.forEach(([label, value], index) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      if (index === 1) {
        const code = document.createElement("code");
        code.dataset.sha256 = "";
        code.textContent = value;
        dd.append(code);
      } else dd.textContent = value;
      receipt.append(dt, dd);
    });
    current.replaceChildren(heading, name, receipt);
  }

  async function start(box, file, previous) {
    const view = ui(box);
    const extensions = (box.dataset.extensions || "").split(",").filter(Boolean);
    const dot = file.name.lastIndexOf(".");
    const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    if (!extensions.includes(extension)) return view.fail(fmt(M.wrong_extension, { types: extensions.join(", ") }));
    if (file.size === 0) return view.fail(M.empty);
    if (file.size > Number(box.dataset.maxBytes)) return view.fail(fmt(M.too_large, { limit: box.dataset.maxLabel }));

    const state = { file, cancelled: false, failed: false, running: true, xhrs: new Set(), ticket: null,
      stage: "hash", digest: previous && previous.file === file ? previous.digest : null };
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
          view.status(M.hashing);
          state.digest = await sha256(file, state, (fraction) => view.fraction(fraction));
        }
        if (state.cancelled) throw new UploadError(M.cancelled);
        state.stage = "ticket";
        view.status(M.requesting);
        state.ticket = await api("POST", root.dataset.ticketUrl, {
          slot: box.dataset.slot, filename: file.name, size: file.size, sha256: state.digest,
        });
        state.stage = "upload";
        view.status(M.uploading);
        if (state.ticket.multipart) await uploadMultipart(state, state.ticket, file, view);
        else await uploadPost(state, state.ticket, file, view.meter(file.size, 0));
      }
      state.stage = "complete";
      view.status(M.verifying);
      const record = await api("POST", state.ticket.complete_url);
      view.finish();
      showAccepted(box, record);
      view.status(`${fmt(M.accepted, { name: record.name, size: humanSize(record.size), version: record.version })} ${
        fmt(M.receipt, { name: record.name, size: humanSize(record.size), sha256: record.sha256,
          time: localTime(record.receipt.received_at) })}`, "ok");
      box.uploadState = null;
    } catch (error) {
      state.xhrs.forEach((xhr) => xhr.abort());
      if (state.cancelled) view.fail(M.cancelled, false);
      else view.fail(error.message || M.server, error.resumable);
    } finally {
      state.running = false;
      running -= 1;
    }
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
    ui(box).fail(M.cancelled, false);
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
      event.returnValue = M.leave;
    }
  });
}());
