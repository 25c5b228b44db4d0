"""Self sign-up against a real SMTP server: an unverified account and a confirmation
link; the address of someone an organizer added gets an invitation and the very same
page; accounts made by administrators, the command line and the demo count as verified."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from hackathon.accounts import services
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.extensions import db
from tests.factories import make_user
from tests.helpers import (
    HANGUL,
    SmtpServer,
    imported_person,
    only_mail,
    path_of,
    received,
    without_csrf,
)

PASSWORD = "long-enough-password"


def _sign_up(client, email: str, name: str = "새 사람", **kwargs):
    client.get("/signup", **kwargs)
    data = {"name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD}
    return client.form_post("/signup", data, **kwargs)


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_sign_up_starts_unverified_and_the_mailed_link_verifies(app, smtp_server, client):
    response = _sign_up(client, "New.Person@Example.test")
    assert response.status_code == 200
    assert client.get("/api/v1/me").status_code == 401  # nobody is signed in yet
    user = _user("new.person@example.test")
    assert not services.is_verified(user)

    message = only_mail(app, smtp_server, "new.person@example.test")
    assert HANGUL.search(message["Subject"])  # no language chosen: DEFAULT_LOCALE (ko)
    assert message.get_body(preferencelist=("html",)) is not None
    path = path_of(message)
    assert path.startswith("/verify/")
    # Opening the link (a mail scanner does) only shows the page.
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200
    assert not services.is_verified(_user(user.email))
    confirmed = client.form_post(path)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/login"  # the link signs nobody in
    assert services.is_verified(_user(user.email))
    assert client.get(path).status_code == 410
    assert client.form_post(path).status_code == 410


def test_sign_up_in_english_mails_in_english(app, smtp_server, client):
    client.form_post("/lang/en")
    _sign_up(client, "english@example.test", "Ann Lee")
    message = only_mail(app, smtp_server, "english@example.test")
    assert HANGUL.search(SmtpServer.text(message)) is None
    assert "Confirm" in message["Subject"]


def test_the_address_of_a_person_without_a_password_gets_an_invitation(
    app, smtp_server, new_client
):
    imported = imported_person("imported@example.test", "명단의 이름")
    normal = _sign_up(new_client(), "brand-new@example.test", headers={"Accept-Language": "ko"})
    other = _sign_up(
        new_client(), "IMPORTED@example.test", "다른 이름", headers={"Accept-Language": "ko"}
    )
    assert other.status_code == normal.status_code == 200
    assert without_csrf(other.get_data(as_text=True)) == without_csrf(normal.text)
    assert "메일" in normal.text

    invitation = only_mail(app, smtp_server, imported.email)
    path = path_of(invitation)
    assert path.startswith("/invite/")
    assert path_of(only_mail(app, smtp_server, "brand-new@example.test")).startswith("/verify/")
    # Nothing about the account changed, and no second account was made.
    person = _user(imported.email)
    assert (person.name, person.password_hash) == ("명단의 이름", None)
    count = select(func.count()).select_from(User).where(User.email == imported.email)
    assert db.session.scalar(count) == 1
    assert services.invitation_state(person) == "pending"
    browser = new_client()
    assert browser.get(path).status_code == 200


def test_a_disabled_person_without_a_password_gets_the_page_and_no_mail(app, smtp_server, client):
    imported_person("off@example.test", disabled=True)
    assert _sign_up(client, "off@example.test").status_code == 200
    assert received(app, smtp_server, "off@example.test") == []


def test_a_signed_in_person_can_have_the_link_sent_again(app, smtp_server, client, login):
    _sign_up(client, "again@example.test")
    first = path_of(only_mail(app, smtp_server, "again@example.test"))
    login(_user("again@example.test"), PASSWORD)
    profile = client.get("/account", headers={"Accept-Language": "en"})
    assert "not confirmed" in profile.text
    assert client.form_post("/account/verify").status_code == 302
    second = path_of(received(app, smtp_server, "again@example.test")[-1])
    assert first != second
    assert client.get(first).status_code == 410
    client.get(second)
    confirmed = client.form_post(second)
    assert confirmed.headers["Location"] == "/"  # signed in as that person already
    assert "not confirmed" not in client.get("/account", headers={"Accept-Language": "en"}).text
    client.form_post("/account/verify")  # verified: nothing more is sent
    assert len(received(app, smtp_server, "again@example.test")) == 2


def test_accounts_made_by_the_command_line_count_as_verified(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "cli@example.test", "--name", "관리 도구"],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert services.is_verified(_user("cli@example.test"))


def test_the_demo_people_count_as_verified(app):
    from hackathon.events.demo.cohort import DemoContext, build_people

    build_people(DemoContext(rng=random.Random(1), now=utcnow()))
    db.session.commit()
    people = db.session.scalars(select(User)).all()
    assert len(people) > 100
    assert all(services.is_verified(p) for p in people)


def test_a_factory_user_is_not_verified_until_marked(app):
    user = make_user()
    assert not services.is_verified(user)
    user.email_verified_at = utcnow()
    assert services.is_verified(user)
