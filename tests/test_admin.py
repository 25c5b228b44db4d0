"""Site administration: for administrators only (404 for everyone else)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import TEST_PASSWORD, grant, make_event, make_user

PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/programs/new",
    "/admin/events/new",
    "/admin/companies/new",
]


@pytest.mark.parametrize("who", ["anonymous", "user", "organizer"])
@pytest.mark.parametrize("path", PAGES)
def test_admin_pages_are_404_to_everyone_else(client, login, db, who, path):
    if who != "anonymous":
        user = make_user()
        if who == "organizer":
            grant(make_event(), user, "organizer")
        login(user)
    assert client.get(path).status_code == 404


def test_admin_writes_are_404_to_everyone_else(client, login, db):
    victim = make_user()
    login(make_user())
    response = client.form_post(f"/admin/users/{victim.id}/disabled", {"disabled": "1"})
    assert response.status_code == 404
    db.session.refresh(victim)
    assert not victim.disabled


@pytest.mark.parametrize("path", PAGES)
def test_admin_pages_open_for_administrators(client, login, db, path):
    login(make_user(is_admin=True))
    assert client.get(path).status_code == 200


def test_the_header_shows_administration_to_administrators_only(client, login, new_client, db):
    login(make_user(is_admin=True))
    assert 'href="/admin/"' in client.get("/").text
    other = login(make_user(), client=new_client())
    assert 'href="/admin/"' not in other.get("/").text


def test_disabling_and_enabling_an_account(client, login, new_client, db):
    admin = make_user(is_admin=True)
    user = make_user("member@example.test")
    login(admin)
    client.get("/admin/users?q=member")
    response = client.form_post(
        f"/admin/users/{user.id}/disabled", {"disabled": "1", "q": "member"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=member"
    db.session.refresh(user)
    assert user.disabled
    assert user.session_version == 2
    blocked = new_client()
    blocked.get("/login")
    attempt = blocked.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert attempt.status_code == 200
    client.get("/admin/users")
    client.form_post(f"/admin/users/{user.id}/disabled", {"disabled": "0"})
    db.session.refresh(user)
    assert not user.disabled
    blocked.get("/login")
    again = blocked.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert again.status_code == 302


def test_an_administrator_cannot_disable_themselves(client, login, db):
    admin = make_user(is_admin=True)
    login(admin)
    page = client.get("/admin/users").text
    assert f"/admin/users/{admin.id}/disabled" not in page
    client.form_post(f"/admin/users/{admin.id}/disabled", {"disabled": "1"})
    db.session.refresh(admin)
    assert not admin.disabled
    assert client.get("/api/v1/me").status_code == 200


def test_disabling_an_unknown_account_is_404(client, login, db):
    login(make_user(is_admin=True))
    client.get("/admin/users")
    assert client.form_post("/admin/users/999999/disabled", {"disabled": "1"}).status_code == 404


def test_searching_accounts(client, login, db):
    login(make_user(is_admin=True))
    make_user("findme@example.test", "찾을 사람")
    make_user("other@example.test", "다른 사람")
    page = client.get("/admin/users?q=FINDME").text
    assert "findme@example.test" in page
    assert "other@example.test" not in page
    assert "findme@example.test" in client.get("/admin/users?q=찾을").text


def test_creating_a_program_and_an_event_in_it(client, login, db):
    from hackathon.events.models import Event, Program

    login(make_user(is_admin=True))
    client.get("/admin/programs/new")
    created = client.form_post(
        "/admin/programs/new", {"slug": "cohort2", "name": "2기", "name_en": "Cohort 2"}
    )
    assert created.status_code == 302
    program = db.session.scalar(db.select(Program).where(Program.slug == "cohort2"))
    client.get("/admin/events/new")
    response = client.form_post(
        "/admin/events/new",
        {
            "slug": "cohort2-hack",
            "program_id": str(program.id),
            "name": "2기 해커톤",
            "kind": "hackathon",
            "timezone": "Asia/Seoul",
            "registration_opens_at": "2026-05-01T09:00",
            "grace_minutes": "0",
            "team_min": "2",
            "team_max": "4",
            "judges_per_submission": "3",
            "scoring_mode": "zscore",
        },
    )
    assert response.status_code == 302, response.text[:1500]
    event = db.session.scalar(db.select(Event).where(Event.slug == "cohort2-hack"))
    assert event.program_id == program.id
    assert event.registration_opens_at == datetime(2026, 5, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "Not A Slug", "name": "이름"}, "slug"),
        ({"slug": "ok-slug", "name": "  "}, "name"),
    ],
)
def test_a_bad_program_is_refused_next_to_the_field(client, login, db, data, field):
    login(make_user(is_admin=True))
    client.get("/admin/programs/new")
    response = client.form_post("/admin/programs/new", data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text


def test_a_taken_event_slug_is_refused(client, login, db):
    make_event("taken")
    login(make_user(is_admin=True))
    client.get("/admin/events/new")
    response = client.form_post(
        "/admin/events/new",
        {
            "slug": "taken",
            "program_id": "0",
            "name": "중복",
            "kind": "hackathon",
            "timezone": "Asia/Seoul",
            "grace_minutes": "0",
            "team_min": "1",
            "team_max": "5",
            "judges_per_submission": "3",
            "scoring_mode": "zscore",
        },
    )
    assert response.status_code == 200
    assert 'id="slug-error"' in response.text


@pytest.mark.parametrize(
    ("website", "ok"),
    [
        ("https://hanbit.example", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("javascript://example.com/%0aalert(1)", False),
        ("ftp://files.example", False),
        ("not a url", False),
    ],
)
def test_companies_and_their_websites(client, login, db, website, ok):
    from hackathon.events.models import Company

    login(make_user(is_admin=True))
    client.get("/admin/companies/new")
    response = client.form_post(
        "/admin/companies/new", {"name": "한빛데이터", "website": website, "description": ""}
    )
    stored = db.session.scalar(db.select(Company).where(Company.name == "한빛데이터"))
    if ok:
        assert response.status_code == 302
        assert stored.website == website
    else:
        assert response.status_code == 200
        assert 'id="website-error"' in response.text
        assert stored is None


def test_a_company_name_is_unique(client, login, db):
    login(make_user(is_admin=True))
    client.get("/admin/companies/new")
    client.form_post("/admin/companies/new", {"name": "누리", "website": "", "description": ""})
    client.get("/admin/companies/new")
    again = client.form_post(
        "/admin/companies/new", {"name": "누리", "website": "", "description": ""}
    )
    assert again.status_code == 200
    assert 'id="name-error"' in again.text
