"""The people, preview and registration pages speak one language: no English UI text on
the Korean pages, and no Korean on the English ones."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import RegistrationRequest
from hackathon.extensions import db
from hackathon.mail import MailStatus, OutboxMessage
from tests.factories import grant, make_company, make_event, make_user
from tests.helpers import appears, english_messages, visible_text
from tests.test_i18n import HANGUL


@pytest.fixture
def pages(app):
    event = make_event("i18n-hack", phase="registration", name="국제 해커톤", name_en="Intl hack")
    organizer = make_user("org@example.test", "Minji Kim")
    grant(event, organizer, "organizer")
    judge = make_user("judge@example.test", "Jiho Park")
    judge.password_hash = None
    grant(event, judge, "judge", make_company("Hanbit Data"))
    asking = make_user("ask@example.test", "Seoyeon Lee", email_verified_at=utcnow())
    db.session.add(RegistrationRequest(event_id=event.id, user_id=asking.id, message="42"))
    db.session.add(
        OutboxMessage(
            kind="account.invitation",
            to_address=judge.email,
            to_user_id=judge.id,
            event_id=event.id,
            subject="s",
            text_body="t",
            message_id="<1@example.test>",
            status=MailStatus.FAILED,
            last_error="",
        )
    )
    db.session.commit()
    return event, organizer


def _paths(client, lang: str) -> list[str]:
    bad = b"email,name,role\r\nnot-an-address,Someone,wizard\r\n"
    good = b"email,name,role\r\nnew@example.test,New Person,participant\r\n"
    paths = ["/events/i18n-hack", "/events/i18n-hack/people", "/events/i18n-hack/people?role=judge"]
    for data in (bad, good):
        client.get("/events/i18n-hack/people")
        response = client.form_post(
            "/events/i18n-hack/people/upload",
            {"roster-file": (io.BytesIO(data), "r.csv")},
            content_type="multipart/form-data",
            headers={"Accept-Language": lang},
        )
        paths.append(response.headers["Location"])
    return paths


@pytest.mark.parametrize("mode", ["closed", "open", "approval"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_pages_speak_one_language(client, login, new_client, pages, mode, lang):
    event, organizer = pages
    event.registration = mode
    db.session.commit()
    login(organizer)
    client.form_post(f"/lang/{lang}")
    paths = [(client, p) for p in _paths(client, lang)]
    visitor = new_client()
    unverified = make_user("new@example.test", "Jiwoo Han")
    login(unverified, client=visitor)
    visitor.form_post(f"/lang/{lang}")
    paths += [(visitor, "/events/i18n-hack"), (visitor, "/events/i18n-hack/register")]
    verified = make_user("ok@example.test", "Seoyeon Lim", email_verified_at=utcnow())
    member = new_client()
    login(verified, client=member)
    member.form_post(f"/lang/{lang}")
    paths += [(member, "/events/i18n-hack/register")]
    anonymous = new_client()
    paths += [(anonymous, "/events/i18n-hack/register")]
    english = english_messages()
    for who, path in paths:
        response = who.get(path, headers={"Accept-Language": lang})
        assert response.status_code in (200, 422), (path, response.status_code)
        text = visible_text(response.text, lang)
        if lang == "ko":
            leaked = [m for m in english if appears(m, text)]
            assert not leaked, f"{path}: English UI text on a Korean page: {leaked[:5]}"
        else:
            assert not HANGUL.findall(text), f"{path}: Korean text on an English page"
    assert db.session.scalar(select(User.id).where(User.email == "new@example.test"))
