"""Registering for an event: joining it (open registration) or asking to (by approval)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hackathon.errors import DomainError
from hackathon.events import services
from hackathon.events.forms import RegisterForm
from hackathon.events.models import Event
from hackathon.events.services import registration
from hackathon.events.services.invitations import is_verified
from hackathon.events.views import bp
from hackathon.web import writing


def _page(event: Event, form: RegisterForm, error: str | None = None, status: int = 200):
    user = current_user if current_user.is_authenticated else None
    html = render_template(
        "events/register.html",
        event=event,
        form=form,
        standing=registration.standing(event, user),
        verified=user is not None and is_verified(user),
        error=error,
    )
    return html, status


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug: str) -> ResponseReturnValue:
    event = services.get_event(slug)
    if not services.can_view(current_user, event):
        abort(404)
    form = RegisterForm()
    if not form.validate_on_submit():
        return _page(event, form, status=422 if form.errors else 200)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=url_for("events.register", slug=slug)))
    with writing(catch=DomainError, quiet=True) as write:
        asked = registration.register(
            event, current_user._get_current_object(), form.message.data or ""
        )
    if write.error is not None:
        return _page(event, form, error=str(write.error.message), status=write.error.status)
    if asked is None:
        flash(_("Welcome! You take part in this event as a participant."), "success")
        return redirect(url_for("events.event", slug=event.slug))
    flash(_("Your request is sent; the organizers will decide."), "success")
    return redirect(url_for("events.register", slug=event.slug))
