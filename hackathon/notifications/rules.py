"""The kinds of notification, what each says, and the lookups behind the bell.

A notification stores its kind and plain `params` (names, times as ISO strings); its
title and text are made here when it is shown or mailed, in the language of whoever
reads it. Every kind can be turned off for e-mail; it stays in the app.
See docs/architecture.md, "Notifications".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.i18n import format_local
from hackathon.notifications.models import MailSetting, Notification

Params = Mapping[str, Any]


class UnknownKind(ValueError):
    """A feature asked for a kind of notification that does not exist (a programming error)."""


def local(params: Params, name: str) -> str:
    """A bilingual value of `params` (`event`, `event_en`) in the reader's language."""
    english = params.get(f"{name}_en")
    if english and str(get_locale()) == "en":
        return str(english)
    return str(params.get(name) or "")


def when(params: Params, name: str) -> str:
    """A moment stored as an ISO string, in the event's time zone and the reader's format."""
    value = params.get(name)
    if not value:
        return ""
    return format_local(datetime.fromisoformat(value), params.get("tz"))


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # what the settings page calls it (lazy, translated when shown)
    title: Callable[[Params], str]
    text: Callable[[Params], str]


def _deadline_text(params: Params) -> str:
    return _(
        "Submissions for %(event)s close on %(when)s, and your team “%(team)s” has not "
        "uploaded yet: %(missing)s.",
        event=local(params, "event"),
        when=when(params, "deadline"),
        team=params.get("team", ""),
        missing=local(params, "missing"),
    )


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "team_request",
            _l("Someone asks to join my team"),
            lambda p: _("New request to join your team"),
            lambda p: _(
                "%(person)s asked to join your team “%(team)s” in %(event)s.",
                person=p.get("person", ""),
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "request_accepted",
            _l("My request to join a team is accepted"),
            lambda p: _("Your request was accepted"),
            lambda p: _(
                "You are now a member of “%(team)s” in %(event)s.",
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "request_declined",
            _l("My request to join a team is declined"),
            lambda p: _("Your request was declined"),
            lambda p: _(
                "The team “%(team)s” in %(event)s declined your request to join.",
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "captaincy",
            _l("I become a team's captain"),
            lambda p: _("You are now the captain"),
            lambda p: _(
                "You are now the captain of “%(team)s” in %(event)s.",
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "assignments_ready",
            _l("I have new teams to judge"),
            lambda p: _("New teams to judge"),
            lambda p: ngettext(
                "%(num)d new team to judge in %(event)s.",
                "%(num)d new teams to judge in %(event)s.",
                int(p.get("count", 0)),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "pitch_absent",
            _l("A team I was to judge will not pitch"),
            lambda p: _("A team will not pitch"),
            lambda p: _(
                "“%(team)s” will not pitch in %(room)s at %(when)s (%(event)s); it is taken "
                "out of your judging queue.",
                team=p.get("team", ""),
                room=p.get("room", ""),
                when=when(p, "starts_at"),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "deadline_24h",
            _l("A day before the deadline, if my team's files are missing"),
            lambda p: _("The deadline is in 24 hours"),
            _deadline_text,
        ),
        Kind(
            "deadline_1h",
            _l("An hour before the deadline, if my team's files are missing"),
            lambda p: _("The deadline is in one hour"),
            _deadline_text,
        ),
        Kind(
            "submission_receipt",
            _l("My team hands in its submission"),
            lambda p: _("Your team's submission is in"),
            lambda p: _(
                "“%(team)s” handed in “%(title)s” for %(event)s on %(when)s.",
                team=p.get("team", ""),
                title=p.get("title", ""),
                event=local(p, "event"),
                when=when(p, "submitted_at"),
            ),
        ),
        Kind(
            "results_published",
            _l("The results of an event of mine are published"),
            lambda p: _("Results published"),
            lambda p: _("The results of %(event)s are published.", event=local(p, "event")),
        ),
        Kind(
            "feedback_available",
            _l("The judges' feedback for my team is ready"),
            lambda p: _("Feedback from the judges"),
            lambda p: _(
                "The judges' feedback for “%(team)s” in %(event)s is ready.",
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        # Peer review (cohort, docs/cohort.md "Peer review").
        Kind(
            "peer_review_open",
            _l("Peer review of my teammates opens"),
            lambda p: _("Rate your teammates"),
            lambda p: _(
                "Submissions for %(event)s are closed: rate each teammate of “%(team)s” "
                "from 1 to 5. Teammates never see who gave which rating.",
                team=p.get("team", ""),
                event=local(p, "event"),
            ),
        ),
        Kind(
            "peer_review_reminder",
            _l("A reminder before peer review closes"),
            lambda p: _("Peer review closes soon"),
            lambda p: ngettext(
                "You have not rated %(num)d teammate of “%(team)s” in %(event)s yet. Ratings "
                "can be given until the results are published (expected %(when)s).",
                "You have not rated %(num)d teammates of “%(team)s” in %(event)s yet. Ratings "
                "can be given until the results are published (expected %(when)s).",
                int(p.get("missing", 0)),
                team=p.get("team", ""),
                event=local(p, "event"),
                when=when(p, "closes"),
            ),
        ),
    )
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def title_of(notification: Notification) -> str:
    return get_kind(notification.kind).title(notification.params or {})


def text_of(notification: Notification) -> str:
    return get_kind(notification.kind).text(notification.params or {})


# Lookups ------------------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    """The number on the bell: one query, remembered for the rest of the request."""
    cache = g.setdefault("_unread_notifications", {})
    if user_id not in cache:
        cache[user_id] = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
    return int(cache[user_id])


def own_notification(user_id: int, notification_id: int) -> Notification:
    """One of this person's notifications; anyone else's is not found."""
    found = db.session.get(Notification, notification_id)
    if found is None or found.user_id != user_id:
        raise NotFound()
    return found


def mail_settings(user_id: int) -> dict[str, bool]:
    """Kind → whether this person gets it by e-mail (on unless turned off)."""
    stored = dict(
        db.session.execute(
            select(MailSetting.kind, MailSetting.email).where(MailSetting.user_id == user_id)
        ).all()
    )
    return {name: bool(stored.get(name, True)) for name in KINDS}


def wants_mail(user_id: int, kind: str) -> bool:
    setting = db.session.scalar(
        select(MailSetting.email).where(MailSetting.user_id == user_id, MailSetting.kind == kind)
    )
    return setting is not False
