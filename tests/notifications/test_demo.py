"""The demo's notifications, made by the other features' demo steps through the same
calls a real action makes: judges have their assignments, captains their join requests,
everyone in the published hackathon its results; each reads in both languages."""

from __future__ import annotations

from collections import Counter

from flask_babel import force_locale
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.extensions import db
from hackathon.mail import OutboxMessage
from hackathon.notifications import rules
from hackathon.notifications.models import Notification
from hackathon.teams.models import JoinRequest, RequestStatus


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _kinds(user: User) -> Counter[str]:
    return Counter(
        db.session.scalars(
            select(Notification.kind).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
    )


def test_the_demo_notifies_as_its_actions_would(app, db):
    from hackathon.events.demo import load_demo

    load_demo()
    for n in range(1, 13):
        assert _kinds(_user(f"judge{n}@demo.test"))["assignments_ready"] == 2  # two hackathons
    pending = db.session.scalars(
        select(JoinRequest).where(JoinRequest.status == RequestStatus.PENDING)
    ).all()
    assert pending
    for request in pending:
        assert _kinds(request.team.captain)["team_request"] >= 1
    for email in ("trainee1@demo.test", "organizer@demo.test", "mentor1@demo.test"):
        assert _kinds(_user(email))["results_published"] == 1

    # trainee2 turned the results e-mails off: in the app, not in the outbox.
    quiet = _user("trainee2@demo.test")
    assert _kinds(quiet)["results_published"] == 1
    mailed = set(
        db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_user_id == quiet.id))
    )
    assert "notification.results_published" not in mailed

    adapter = app.url_map.bind("localhost")
    for notification in db.session.scalars(select(Notification)):
        adapter.match(notification.link)  # every link is one of our pages
        for locale in ("ko", "en"):
            with force_locale(locale):
                assert rules.title_of(notification)
                assert rules.text_of(notification)
