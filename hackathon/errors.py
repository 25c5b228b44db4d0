"""Domain errors and the handlers that turn errors into pages or JSON."""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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


def json_error(status: int, code: str, message: Any, **extra: Any):
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


def render_error(status: int, message: Any = None):
    message = message or HTTP_MESSAGES.get(status, HTTP_MESSAGES[500])
    if wants_json():
        return json_error(status, HTTP_CODES.get(status, "error"), message)
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        from hackathon.extensions import db

        db.session.rollback()
        if wants_json():
            return json_error(
                error.status, error.code, error.message, details=error.details or None
            )
        if error.status == 404:
            return render_error(404, error.message)
        flash(str(error.message), "error")
        return redirect(request.referrer or request.path)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        app.logger.info("CSRF refused: %s", error.description)
        message = _l("Your form expired or was sent from elsewhere. Please try again.")
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return render_error(400, message)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        if wants_json():
            return json_error(
                status,
                HTTP_CODES.get(status, "error"),
                HTTP_MESSAGES.get(status, error.description or HTTP_MESSAGES[500]),
            )
        return render_error(status)
