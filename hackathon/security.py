"""Security headers on every response, pages and API alike, and the one check every
query string and form goes through before any view reads it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l

from hackathon.errors import render_error

NUL_REFUSED = _l(
    "What you sent contains an invisible NUL character, which cannot be stored. "
    "Remove it and try again."
)


def content_security_policy() -> str:
    connect = ["'self'"]
    endpoint = current_app.config.get("S3_ENDPOINT_URL")
    if current_app.config.get("STORAGE_BACKEND") == "s3":
        # The browser uploads straight to storage, so it must be allowed to talk to it.
        # A custom endpoint is used path-style (one origin); AWS is virtual-hosted.
        connect.append(_origin(endpoint) if endpoint else "https://*.amazonaws.com")
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            # Our own ES modules only; the upload checksum is plain JavaScript, so no
            # 'wasm-unsafe-eval' (a WebAssembly hash would need it).
            "script-src 'self'",
            f"connect-src {' '.join(connect)}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL: a CSP source that covers every path on it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def refuse_nul_characters() -> Response | None:
    """404 for a NUL ("\\x00") in the path, 400 in the query string or a posted form (names,
    values, file names): PostgreSQL stores no such character in text and would fail the
    request. The storage emulation's upload is left alone: it sets its own body limit before
    it reads the form."""
    if request.blueprint == "storage_local":
        return None
    if "\x00" in request.path:  # no address holds one: an unknown page or resource
        return render_error(404)
    sources = [request.args.lists()]
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        sources += [request.form.lists()]
        files = [(name, [f.filename or "" for f in sent]) for name, sent in request.files.lists()]
        sources += [iter(files)]
    for pairs in sources:
        for name, values in pairs:
            if "\x00" in name or any("\x00" in value for value in values):
                return render_error(400, NUL_REFUSED)
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
