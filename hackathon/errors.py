"""Domain errors and the handlers that turn errors into pages or JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hackathon.auth import is_safe_next
from hackathon.extensions import db


class DomainError(Exception):
    """A rule of the product was broken; the message is shown to the user."""

    code = "invalid"
    status = 400
    message: Any = _l("This action is not allowed.")

    def __init__(self, message: Any = None, **details: Any) -> None:
        if message is not None:
            self.message = message
        self.details = details
        super().__init__(str(self.message))


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = _l("Not found.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    message = _l("You are not allowed to do that.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = _l("That conflicts with the current state.")


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
    message = _l("Some fields are not valid.")


class PhaseClosed(DomainError):
    code = "phase_closed"
    status = 409
    message = _l("This is not possible in the event's current phase.")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def back_target() -> str:
    """Where to send the browser after a refused form: the page it came from, but only when
    that page is on this site (the Referer header is the client's to set), else home."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if parts.scheme in ("http", "https") and parts.netloc == request.host:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if is_safe_next(path):
            return path
    return url_for("events.home")


def json_error(status: int, code: str, message: Any, **extra: Any) -> Response:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify({"error": body})
    response.status_code = status
    return response


HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("You are not allowed to see this page."),
    404: _l("We could not find that page."),
    405: _l("That method is not allowed here."),
    409: _l("That conflicts with the current state."),
    413: _l("That request is too large."),
    422: _l("Some fields are not valid."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again."),
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}


# The API speaks of resources, not pages.
API_MESSAGES = {
    403: _l("You are not allowed to do that."),
    404: _l("Not found."),
}


def http_message(status: int) -> Any:
    if wants_json() and status in API_MESSAGES:
        return API_MESSAGES[status]
    return HTTP_MESSAGES.get(status, HTTP_MESSAGES[500] if status >= 500 else HTTP_MESSAGES[400])


def render_error(status: int, message: Any = None) -> Response:
    message = message or http_message(status)
    if wants_json():
        return json_error(status, HTTP_CODES.get(status, "error"), message)
    html = render_template("errors/error.html", status=status, message=message)
    return make_response(html, status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> ResponseReturnValue:
        db.session.rollback()
        if wants_json():
            return json_error(
                error.status, error.code, error.message, details=error.details or None
            )
        if error.status == 404:
            return render_error(404)  # the same page as any unknown address
        flash(str(error.message), "error")
        return redirect(back_target())

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> ResponseReturnValue:
        app.logger.info("CSRF refused: %s", error.description)
        message = _l("Your form expired or was sent from elsewhere. Please try again.")
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return render_error(400, message)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> ResponseReturnValue:
        if error.code is None:  # not an error (a routing redirect)
            return error
        if error.code >= 500:
            db.session.rollback()
        response = render_error(error.code)
        # Keep what the exception says about the request (Allow on 405, Retry-After...).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
