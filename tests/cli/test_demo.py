"""`demo`: the cohort demo, loaded once, with working sign-ins."""

from __future__ import annotations

from tests.helpers import Client


def test_the_demo_loads_once_and_its_sign_ins_work(app, cli, db):
    from hackathon.accounts.models import User
    from hackathon.events.models import Company, Event, Program

    first = cli("demo")
    assert first.exit_code == 0, first.output
    for sign_in in ("organizer@demo.test", "trainee155@demo.test", "judge12@demo.test"):
        assert sign_in in first.output
    assert "demo-password" in first.output

    def count(stmt):
        return db.session.scalar(db.select(db.func.count()).select_from(stmt))

    trainees = db.select(User).where(User.email.like("trainee%@demo.test")).subquery()
    assert count(trainees) == 155
    assert count(db.select(User).where(User.email.like("mentor%@demo.test")).subquery()) == 11
    assert count(db.select(User).where(User.email.like("judge%@demo.test")).subquery()) == 12
    assert count(Company) == 11
    program = db.session.scalar(db.select(Program).where(Program.slug == "cohort1"))
    assert program.name == "인공지능 사관학교 1기"
    phases = {e.slug: str(e.phase) for e in db.session.scalars(db.select(Event))}
    assert phases == {
        "cohort1-fintech": "results",
        "cohort1-news-bigdata": "judging",
        "cohort1-company-projects": "submission",
        "cohort1-art-data": "team_formation",
    }
    korean = db.session.scalar(db.select(User.name).where(User.email == "trainee1@demo.test"))
    assert all("가" <= ch <= "힣" for ch in korean.replace(" ", ""))

    tables = [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]
    before = {t.name: count(t) for t in tables}
    again = cli("demo")
    assert again.exit_code == 0, again.output
    assert "organizer@demo.test" in again.output
    db.session.expire_all()
    assert {t.name: count(t) for t in tables} == before

    app.test_client_class = Client
    browser = app.test_client()
    browser.get("/login")
    response = browser.form_post(
        "/login", {"email": "organizer@demo.test", "password": "demo-password"}
    )
    assert response.status_code == 302
    me = browser.get("/api/v1/me").json
    assert me["is_admin"]
    assert {e["slug"] for e in me["events"] if "organizer" in e["roles"]} == set(phases)
    for slug in phases:
        assert browser.get(f"/events/{slug}").status_code == 200
    assert browser.get("/programs/cohort1").status_code == 200


def test_the_demo_has_invitations_waiting_in_the_outbox(app, cli, db, client, login):
    """People added without a password, their invitations pending in the outbox, each in
    the invitee's language; the organizer reads them at /admin/mail and the link works."""
    from hackathon.accounts.models import User
    from hackathon.accounts.services import invitation_state
    from hackathon.mail import MailStatus, OutboxMessage

    assert cli("demo").exit_code == 0
    invitations = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "account.invitation")
    ).all()
    assert len(invitations) >= 3
    assert {m.status for m in invitations} == {MailStatus.PENDING}
    invitees = {m.to_address: m for m in invitations}
    for address, message in invitees.items():
        person = db.session.scalar(db.select(User).where(User.email == address))
        assert person.password_hash is None
        assert str(invitation_state(person)) == "pending"
        assert message.locale == (person.locale or "ko")
    assert {m.locale for m in invitations} >= {"ko", "en"}

    organizer = db.session.scalar(db.select(User).where(User.email == "organizer@demo.test"))
    login(organizer, password="demo-password")
    message = invitations[0]
    page = client.get(f"/admin/mail/{message.id}").get_data(as_text=True)
    [path] = {
        href.split("127.0.0.1:5000", 1)[1]
        for href in __import__("re").findall(
            r'href="(http://127\.0\.0\.1:5000/invite/[^"]+)"', page
        )
    }
    fresh = Client(app)
    assert fresh.get(path).status_code == 200
