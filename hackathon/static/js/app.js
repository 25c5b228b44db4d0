/* What every page script shares: the CSRF token, JSON requests to the API, the page's
 * translated messages, and numbers, sizes and times in the page's language.
 *
 * Messages: the element a script drives carries them as JSON in data-messages, rendered
 * by the server in the reader's language; placeholders are written %(name)s.
 */

/** The page's language, from <html lang> (the server's choice for this reader). */
export const locale = document.documentElement.lang || "ko";

/** The CSRF token for a write: the one the page carries in <meta name="csrf-token">, or,
 * when it carries none (a visitor's page sets no cookie, so it mints no token), one asked
 * from the server once, which starts the session that holds it. */
export async function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  try {
    const response = await fetch("/api/v1/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } });
    const token = response.ok ? (await response.json()).csrf_token || "" : "";
    if (meta && token) meta.content = token;
    return token;
  } catch {
    return "";
  }
}

/** A failed request. `status` is 0 when the server was never reached; `message` is the
 * server's own message (already in the reader's language), or "" when it sent none. */
export class ApiError extends Error {
  constructor(message, { status = 0, code = null, details = null } = {}) {
    super(message || "");
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  /** Worth trying again: no answer, or the server's own trouble. */
  get transient() {
    return this.status === 0 || this.status >= 500;
  }
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** fetch() on our own origin with the session cookie; writes carry the CSRF token.
 * Resolves to the Response whatever its status; rejects with an ApiError (status 0)
 * when the server cannot be reached. */
export async function request(url, { method = "GET", headers = {}, ...rest } = {}) {
  const sent = { ...headers };
  if (!SAFE.has(method.toUpperCase())) sent["X-CSRFToken"] = await csrfToken();
  try {
    return await fetch(url, { method, credentials: "same-origin", headers: sent, ...rest });
  } catch {
    throw new ApiError("", { status: 0 });
  }
}

/** A JSON request to the API: resolves to the decoded answer (null for 204), or rejects
 * with an ApiError carrying the server's {"error": {"code", "message", "details"}}. */
export async function fetchJSON(url, { method = "GET", body, headers = {}, ...rest } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  const response = await request(url, {
    method,
    headers: sent,
    body: body === undefined ? undefined : JSON.stringify(body),
    ...rest,
  });
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null; // a proxy's HTML error page, or an empty body
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(error.message, { status: response.status, code: error.code, details: error.details });
  }
  return data;
}

/** Fills %(name)s placeholders; an unknown name stays as written. */
export function format(template, values = {}) {
  return String(template ?? "").replace(/%\((\w+)\)s/g, (all, key) => (key in values ? String(values[key]) : all));
}

/** The messages an element carries in data-messages, as t(key, values). A missing key is
 * shown as itself, which a test notices sooner than an empty line. */
export function messagesOf(element) {
  let table = {};
  try {
    table = JSON.parse((element && element.dataset.messages) || "{}");
  } catch {
    table = {};
  }
  return (key, values) => format(key in table ? table[key] : key, values);
}

const numberFormats = new Map();

/** A number in the page's language ("1,234.5"; the same in Korean). */
export function formatNumber(value, options = {}) {
  const key = JSON.stringify(options);
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, options));
  return numberFormats.get(key).format(value);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** A byte count as the server writes it: binary multiples, one decimal below 100
 * ("1.5 KB", "50 MB", "1,023 B"). */
export function formatBytes(bytes) {
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${formatNumber(value, { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}

/** A moment as the server's pages show it: date with weekday and a short time, in the
 * given time zone (the event's); the ISO text itself when it cannot be read. */
export function formatDateTime(value, timeZone) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value ?? "");
  const options = { year: "numeric", month: "short", day: "numeric", weekday: "short", hour: "numeric", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || undefined }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(date); // an unknown zone name
  }
}

/** The time of day to the second, in the reader's own clock ("오후 3:04:05"). */
export function formatClock(date = new Date()) {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(date);
}
