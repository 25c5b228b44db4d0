"""Invitations against a real SMTP server: one mail in the person's language with both
parts, a link that sets the first password and signs in once, a resent invitation that
kills the old link, and nothing sent for an action that rolled back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hackathon.accounts import services
from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.mail import OutboxMessage
from tests.factories import grant, make_event, make_user
from tests.helpers import (
    HANGUL,
    NEW_PASSWORD,
    SmtpServer,
    html_part,
    imported_person,
    only_mail,
    path_of,
    received,
    without_csrf,
)


@pytest.fixture
def event(app):
    return make_event("spring-hack", name="봄 해커톤", name_en="Spring Hackathon")


def _accept(client, path: str, name: str = "김하나", password: str = NEW_PASSWORD):
    client.get(path)
    return client.form_post(path, {"name": name, "password": password, "confirm": password})


def test_each_person_gets_one_mail_in_their_language(app, smtp_server, event):
    korean = imported_person("hana@example.test", "김하나")  # no language: the event's (ko)
    english = imported_person("ann@example.test", "Ann Lee", locale="en")
    services.invite(korean, event)
    services.invite(english, event)
    db.session.commit()

    ko = only_mail(app, smtp_server, korean.email)
    en = only_mail(app, smtp_server, english.email)
    assert len(smtp_server.messages) == 2
    ko_text, en_text = SmtpServer.text(ko), SmtpServer.text(en)
    # Korean words around the Korean event name; English, and the English name, for Ann.
    assert "봄 해커톤" in ko["Subject"]
    assert "초대" in ko["Subject"]
    assert "비밀번호" in ko_text
    assert "Spring Hackathon" in en["Subject"]
    assert "invite" in en["Subject"].lower()
    assert HANGUL.search(en_text) is None, en_text
    assert HANGUL.search(en["Subject"]) is None
    assert "password" in en_text
    for message, text in ((ko, ko_text), (en, en_text)):
        assert message.get_body(preferencelist=("plain",)) is not None
        html = html_part(message)
        assert html.lstrip().startswith("<!doctype html>")
        assert path_of(message) in html
        assert "AI Academy" in text  # the academy signs (the name in MAIL_FROM)
    assert 'lang="ko"' in html_part(ko)
    assert 'lang="en"' in html_part(en)


def test_the_language_falls_back_to_the_event_then_the_default(app, smtp_server):
    english_event = make_event("en-hack", name="영어 행사", name_en="English Event")
    english_event.default_locale = "en"
    db.session.commit()
    by_event = imported_person("e@example.test", "Eve")
    by_default = imported_person("d@example.test", "Dan")
    services.invite(by_event, english_event)
    services.invite(by_default)  # no event: DEFAULT_LOCALE, Korean
    db.session.commit()
    assert HANGUL.search(SmtpServer.text(only_mail(app, smtp_server, by_event.email))) is None
    assert HANGUL.search(SmtpServer.text(only_mail(app, smtp_server, by_default.email)))


def test_following_the_link_sets_the_password_and_signs_in_once(
    app, smtp_server, client, new_client, event
):
    person = imported_person("hana@example.test", "김하나")
    grant(event, person, "participant")
    services.invite(person, event)
    db.session.commit()
    path = path_of(only_mail(app, smtp_server, person.email))
    assert path.startswith("/invite/")

    page = client.get(path)
    assert page.status_code == 200
    assert 'value="김하나"' in page.text  # the name, to confirm
    assert page.headers["Cache-Control"] == "no-store"
    response = _accept(client, path, name="김하나 (Hana)")
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/spring-hack"

    # The session works on the next pages.
    assert client.get("/events/spring-hack").status_code == 200
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json["email"] == person.email
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.name == "김하나 (Hana)"
    assert person.password_hash.startswith("$argon2id$")
    assert services.is_verified(person)
    assert services.invitation_state(person) == "accepted"
    other = new_client()
    other.get("/login")
    signed_in = other.form_post("/login", {"email": person.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302

    # The same link again: the clear page, in another browser too.
    for browser in (client, new_client()):
        again = browser.get(path, headers={"Accept-Language": "en"})
        assert again.status_code == 410
        assert "An organizer of your event can send you a new invitation" in again.text
        assert _accept(browser, path, password="another-password-1").status_code == 410
    db.session.expire_all()
    assert db.session.get(User, person.id).name == "김하나 (Hana)"


def test_an_invitation_without_an_event_lands_at_home(app, smtp_server, client):
    person = imported_person("solo@example.test")
    services.invite(person)
    db.session.commit()
    response = _accept(client, path_of(only_mail(app, smtp_server, person.email)))
    assert response.headers["Location"] == "/"


def test_inviting_again_kills_the_old_link(app, smtp_server, client, event):
    person = imported_person("twice@example.test")
    services.invite(person, event)
    db.session.commit()
    services.invite(person, event)
    db.session.commit()
    first, second = received(app, smtp_server, person.email)
    old, new = path_of(first), path_of(second)
    assert old != new
    assert client.get(old).status_code == 410
    assert _accept(client, old).status_code == 410
    assert _accept(client, new).status_code == 302
    assert client.get("/api/v1/me").json["email"] == person.email


def test_a_refused_password_does_not_use_up_the_link(app, smtp_server, client):
    person = imported_person("careful@example.test")
    services.invite(person)
    db.session.commit()
    path = path_of(only_mail(app, smtp_server, person.email))
    client.get(path)
    short = client.form_post(path, {"name": "이름", "password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert 'id="password-error"' in short.text
    differ = client.form_post(
        path, {"name": "이름", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}
    )
    assert differ.status_code == 422
    assert _accept(client, path).status_code == 302


def test_used_expired_replaced_and_unknown_links_look_alike(app, smtp_server, new_client):
    people = [imported_person(f"p{n}@example.test") for n in range(3)]
    for person in people:
        services.invite(person)
    db.session.commit()
    used, expired, replaced = (path_of(only_mail(app, smtp_server, p.email)) for p in people)
    assert _accept(new_client(), used).status_code == 302
    db.session.execute(
        AccountToken.__table__.update()
        .where(AccountToken.user_id == people[1].id)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    services.invite(db.session.get(User, people[2].id))
    db.session.commit()
    unknown = "/invite/" + "A" * 43
    pages = []
    for path in (used, expired, replaced, unknown, "/invite/x", "/invite/" + "é" * 300):
        page = new_client().get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 410, path
        # The language switch comes back to the page's own address; the rest is alike.
        switch = r'name="next" value="[^"]*"|href="[^"]*[?&]lang=[a-z]+"'  # form or link
        pages.append(re.sub(switch, "", without_csrf(page.text)))
    assert len(set(pages)) == 1
    assert "This link no longer works" in pages[0]


def test_a_rolled_back_invitation_sends_nothing(app, smtp_server, event):
    person = imported_person("never@example.test")
    services.invite(person, event)
    db.session.flush()
    db.session.rollback()  # the action that invited failed afterwards
    wait_idle(app)
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 0
    person = db.session.get(User, person.id)
    assert services.invitation_state(person) == "none"


def test_only_people_without_a_password_are_invited(app):
    with pytest.raises(services.AlreadyActive):
        services.invite(make_user("active@example.test"))
    with pytest.raises(services.AccountDisabled):
        services.invite(imported_person("gone@example.test", disabled=True))


def test_invitation_states(app, smtp_server):
    never = imported_person("never@example.test")
    pending = imported_person("pending@example.test")
    lapsed = imported_person("lapsed@example.test")
    active = make_user("active@example.test")
    services.invite(pending)
    services.invite(lapsed)
    db.session.execute(
        AccountToken.__table__.update()
        .where(AccountToken.user_id == lapsed.id)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    states = services.invitation_states([never, pending, lapsed, active])
    assert states == {
        never.id: "none",
        pending.id: "pending",
        lapsed.id: "expired",
        active.id: "accepted",
    }
    assert services.invitation_state(lapsed) == services.InvitationState.EXPIRED
    assert str(services.INVITATION_LABELS[states[pending.id]])


def test_an_invitation_link_lasts_invitation_days(app, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_DAYS", 3)
    person = imported_person("days@example.test")
    services.invite(person)
    link = db.session.scalar(select(AccountToken).where(AccountToken.user_id == person.id))
    assert link.purpose == TokenPurpose.INVITE
    lifetime = link.expires_at - link.created_at
    assert timedelta(days=3) - timedelta(seconds=5) < lifetime <= timedelta(days=3)
    assert len(link.token_hash) == 64  # only the SHA-256 is stored
