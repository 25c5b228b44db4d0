"""Security headers on every response, pages and API alike."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app


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


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
