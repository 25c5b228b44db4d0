"""Turning a kind of e-mail off: on the settings page, or with the one-click link of every
notification e-mail, which works without signing in and only as signed. Once-only keys,
and the language each e-mail is written in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.mail import OutboxMessage
from hackathon.notifications.models import MailSetting
from hackathon.notifications.rules import mail_settings
from hackathon.notifications.services import notify, unsubscribe_token
from tests.factories import make_event, make_user
from tests.helpers import notifications_of, outbox_count


@pytest.fixture
def event(db):
    return make_event("hack", name="해커톤", name_en="Hackathon")


def _tell(user, event, kind: str = "results_published", **params):
    notification = notify(user, kind, event=event, link="/events/hack/leaderboard", **params)
    db.session.commit()
    return notification


def test_a_kind_turned_off_stays_in_the_app_but_sends_no_mail(app, event, smtp_server):
    quiet = make_user("quiet@example.test", locale="en")
    other = make_user("other@example.test", locale="en")
    db.session.add(MailSetting(user_id=quiet.id, kind="results_published", email=False))
    db.session.commit()
    for user in (quiet, other):
        _tell(user, event)
        _tell(user, event, "captaincy", team="Owls")
    wait_idle(app)
    assert [n.kind for n in notifications_of(quiet)] == ["results_published", "captaincy"]
    assert [m["Subject"] for m in smtp_server.to("quiet@example.test")] == [
        "You are now the captain · Hackathon"
    ]
    assert len(smtp_server.to("other@example.test")) == 2


def _unsubscribe_path(message) -> str:
    header = message["List-Unsubscribe"]
    assert header.startswith("<")
    assert header.endswith(">")
    return urlsplit(header[1:-1]).path


def test_the_one_click_link_turns_the_kind_off_without_signing_in(
    app, event, smtp_server, new_client
):
    user = make_user("reader@example.test", locale="en")
    _tell(user, event)
    wait_idle(app)
    [message] = smtp_server.to("reader@example.test")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = _unsubscribe_path(message)

    browser = new_client()  # nobody signed in, no session, no CSRF token
    page = browser.get(path)
    assert page.status_code == 200
    assert "Stop e-mails about: The results of an event of mine are published?" in page.get_data(
        as_text=True
    )
    assert mail_settings(user.id)["results_published"] is True  # a GET changes nothing

    # What a mail program sends for one click (RFC 8058): a bare POST with this body.
    mail_program = new_client()
    done = mail_program.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    assert "E-mails turned off" in done.get_data(as_text=True)
    settings = mail_settings(user.id)
    assert settings["results_published"] is False
    assert all(on for kind, on in settings.items() if kind != "results_published")

    _tell(user, event, key="second-publication")
    wait_idle(app)
    assert len(smtp_server.to("reader@example.test")) == 1
    assert len(notifications_of(user)) == 2


def test_a_tampered_unsubscribe_link_is_refused(app, event, new_client):
    victim = make_user(locale="en")
    token = unsubscribe_token(victim.id, "results_published")
    payload, _, signature = token.partition(".")
    other_kind = unsubscribe_token(victim.id, "captaincy").partition(".")[0]
    client = new_client()
    forged = [
        f"{payload}.{signature[:-2]}xx",  # a changed signature
        f"{other_kind}.{signature}",  # another kind under this signature
        payload,  # no signature at all
        "not-a-token",
    ]
    for bad in forged:
        assert client.get(f"/notifications/unsubscribe/{bad}").status_code == 404, bad
        assert client.post(f"/notifications/unsubscribe/{bad}").status_code == 404, bad
    # Signed with another secret (another deployment) is refused as well.
    app.config["SECRET_KEY"], saved = "another-secret", app.config["SECRET_KEY"]
    try:
        foreign = unsubscribe_token(victim.id, "results_published")
    finally:
        app.config["SECRET_KEY"] = saved
    assert client.post(f"/notifications/unsubscribe/{foreign}").status_code == 404
    assert db.session.scalar(select(MailSetting.kind)) is None
    # The genuine link still works.
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 200
    assert mail_settings(victim.id)["results_published"] is False


def test_the_settings_page_turns_kinds_off_and_on(event, signed_in):
    user = make_user(locale="en")
    client = signed_in(user)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Send me an e-mail when" in page
    assert page.count('type="checkbox"') == len(mail_settings(user.id))
    assert "checked" in page
    on = {"team_request": "y", "captaincy": "y"}
    saved = client.form_post("/notifications/settings", on)
    assert saved.status_code == 302
    settings = mail_settings(user.id)
    assert {kind for kind, wanted in settings.items() if wanted} == set(on)
    _tell(user, event)
    assert outbox_count() == 0
    _tell(user, event, "captaincy", team="Owls")
    assert outbox_count() == 1
    client.form_post("/notifications/settings", dict.fromkeys(settings, "y"))
    assert all(mail_settings(user.id).values())


def test_a_key_makes_it_happen_once(app, event, smtp_server):
    user = make_user("once@example.test", locale="en")
    first = _tell(user, event, key="results:1")
    again = _tell(user, event, key="results:1")
    other = make_user("twice@example.test", locale="en")
    _tell(other, event, key="results:1")  # the key is per person
    wait_idle(app)
    assert first is not None
    assert again is None
    assert len(notifications_of(user)) == 1
    assert len(smtp_server.to("once@example.test")) == 1
    assert len(smtp_server.to("twice@example.test")) == 1


def test_once_only_notifications_hand_their_mail_on_at_commit(app, event, smtp_server):
    """The once-only insert uses no savepoint: committing a savepoint would hand the
    transaction's queued mail to the sender before the rows are committed, where
    PostgreSQL's sender cannot see them yet."""
    from hackathon.jobs.queue import PENDING

    people = [make_user(f"p{n}-once@example.test", locale="en") for n in range(3)]
    for user in people:
        notify(user, "results_published", event=event, link="/", key="results:7")
    assert len(db.session.info.get(PENDING, [])) == 3  # nothing handed on before commit
    db.session.commit()
    wait_idle(app)
    for user in people:
        assert len(smtp_server.to(user.email)) == 1


@pytest.mark.parametrize(
    ("user_locale", "event_locale", "subject"),
    [
        ("en", "ko", "Results published · Hackathon"),
        ("ko", "en", "결과 발표 · 해커톤"),
        (None, "en", "Results published · Hackathon"),
        (None, "ko", "결과 발표 · 해커톤"),
    ],
)
def test_each_mail_is_in_the_recipients_language(event, user_locale, event_locale, subject):
    event.default_locale = event_locale
    user = make_user(locale=user_locale)
    _tell(user, event)
    assert db.session.scalar(select(OutboxMessage.subject)) == subject


def test_without_a_language_anywhere_the_site_default_is_used(app, db):
    from hackathon.notifications.services import mail_locale

    user = make_user()
    assert mail_locale(user) == app.config["BABEL_DEFAULT_LOCALE"]
    assert mail_locale(user, make_event(default_locale="xx")) == app.config["BABEL_DEFAULT_LOCALE"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_unsubscribe_page_reads_in_one_language(event, new_client, lang):
    from tests.helpers import HANGUL, appears, english_messages, visible_text

    user = make_user(locale=lang)
    path = f"/notifications/unsubscribe/{unsubscribe_token(user.id, 'team_request')}"
    client = new_client()
    english = english_messages()
    for page in (client.get(path), client.post(path)):
        html = page.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html  # the language of the e-mail it came from
        text = visible_text(html, lang)
        if lang == "ko":
            assert not [m for m in english if appears(m, text)]
        else:
            assert not HANGUL.findall(text)


def test_links_in_notification_mail_ignore_a_forged_host(app):
    from hackathon.notifications.services.links import absolute

    with app.test_request_context("/", base_url="http://evil.example"):
        link = absolute("/notifications/1")
    assert link == app.config["PUBLIC_URL"] + "/notifications/1"
