"""Domain errors and the handlers that turn errors into pages or JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from redis.exceptions import RedisError
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.exceptions import HTTPException

from hackathon.api.bodies import BodyRefused, error_fields
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
    503: _l("The service is briefly unavailable. Please try again in a moment."),
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
    503: "unavailable",
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
    register_unavailable_handlers(app)

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> ResponseReturnValue:
        db.session.rollback()
        if wants_json():
            response = json_error(
                error.status, error.code, error.message, details=error.details or None
            )
            if error.status == 503:
                response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if error.status == 404:
            return render_error(404)  # the same page as any unknown address
        flash(str(error.message), "error")
        return redirect(back_target())

    @app.errorhandler(ValidationError)
    def handle_bad_body(error: ValidationError):
        """A request body its schema refused (`hackathon.api.bodies`): 422, each field's
        problem named, the same shape as a service's ValidationFailed."""
        db.session.rollback()
        if not wants_json():
            return render_error(422)
        fields = error_fields(error.messages)
        message = fields["body"] if list(fields) == ["body"] else ValidationFailed.message
        return json_error(422, ValidationFailed.code, message, details={"fields": fields})

    @app.errorhandler(BodyRefused)
    def handle_refused_body(error: BodyRefused) -> ResponseReturnValue:
        """A body too large or nested too deep, refused before any schema read it."""
        db.session.rollback()
        if not wants_json():
            return render_error(error.status, error.message)
        return json_error(error.status, error.code, error.message)

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


# A service the app depends on is down (see docs/architecture.md, "When things fail"):
# what failed, the code and message the client gets, and when to try again.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = {
    "database": (
        "database_unavailable",
        _l("The database cannot be reached right now. Nothing was saved; please try again."),
    ),
    "storage": (
        "storage_unavailable",
        _l("File storage cannot be reached right now. Nothing was saved; please try again."),
    ),
    "redis": (
        "unavailable",
        _l("The service is briefly unavailable. Please try again in a moment."),
    ),
}
UNAVAILABLE_TITLE = _l("Temporarily unavailable")


def is_unavailable() -> bool:
    """Whether this request is being answered with "a service is down": then nothing that
    needs the database (the signed-in user's settings, the bell) is asked for again."""
    return bool(g.get("unavailable"))


def unavailable(service: str) -> Response:
    """503 with Retry-After: JSON under /api, a page of its own elsewhere.

    The page is rendered straight from its template, without the app's context
    processors and without the signed-in user, all of which need the database."""
    g.unavailable = service
    try:
        db.session.rollback()  # the connection may be dead: let the pool replace it
    except Exception:  # (the rollback of a dead connection may fail too)
        db.session().invalidate()
    code, message = UNAVAILABLE[service]
    if wants_json():
        response = json_error(503, code, message)
    else:
        try:
            template = current_app.jinja_env.get_template("errors/unavailable.html")
            html = template.render(
                title=str(UNAVAILABLE_TITLE),
                message=str(message),
                locale=str(get_locale()),
                stylesheet=url_for("static", filename="css/app.css"),
                retry_after=RETRY_AFTER_SECONDS,
            )
        except Exception:  # (the answer must still be a 503, not a 500)
            current_app.logger.exception("the unavailable page could not be rendered")
            html = f"<!doctype html><title>503</title><p>{message}</p>"
        response = make_response(html, 503)
        response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def register_unavailable_handlers(app: Flask) -> None:
    """A database or Redis that is down answers 503, never 500 (storage registers its
    own, `hackathon.storage.init_app`, as the core's errors do not import it)."""

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_down(error: Exception) -> ResponseReturnValue:
        app.logger.warning("database unavailable: %s", error)
        return unavailable("database")

    @app.errorhandler(RedisError)
    def redis_down(error: RedisError) -> ResponseReturnValue:
        app.logger.warning("redis unavailable: %s", error)
        return unavailable("redis")
