"""The public event and program pages, drafts, and the organizer's edit page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.factories import grant, make_event, make_user


def _form_values(html: str) -> dict[str, str]:
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            values[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', select.group(2))
        first = re.search(r'<option[^>]*value="([^"]*)"', select.group(2))
        values[select.group(1)] = (chosen or first).group(1)
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[area.group(1)] = area.group(2).strip()
    values.pop("csrf_token", None)
    return values


def test_the_public_event_page(client, db):
    event = make_event("open-hack", phase="submission", name="열린 해커톤", name_en="Open hack")
    page = client.get("/events/open-hack", headers={"Accept-Language": "ko"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "열린 해커톤" in html
    assert 'data-phase="submission"' in html
    assert "Edit the event" not in html
    english = client.get("/events/open-hack", headers={"Accept-Language": "en"}).text
    assert "<h1>Open hack</h1>" in english
    assert event.slug in client.get("/").text


@pytest.mark.parametrize("role", [None, "participant", "judge", "mentor"])
def test_a_draft_is_hidden_from_everyone_but_organizers(client, login, db, role):
    draft = make_event("secret-draft", phase="draft")
    if role:
        user = make_user()
        grant(draft, user, role)
        login(user)
    assert client.get("/events/secret-draft").status_code == 404
    assert "secret-draft" not in client.get("/").text
    assert client.get("/events/secret-draft/edit").status_code in (302, 404)


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_organizers_and_admins_see_a_draft(client, login, db, who):
    draft = make_event("secret-draft", phase="draft")
    user = make_user(is_admin=(who == "admin"))
    if who == "organizer":
        grant(draft, user, "organizer")
    login(user)
    page = client.get("/events/secret-draft")
    assert page.status_code == 200
    assert (
        "Edit the event"
        in client.get("/events/secret-draft", headers={"Accept-Language": "en"}).text
    )
    assert "secret-draft" in client.get("/").text


def test_the_program_page_lists_its_visible_events(client, db):
    from hackathon.events.models import Program

    program = Program(slug="cohort9", name="9기", name_en="Cohort 9", description="")
    db.session.add(program)
    db.session.commit()
    make_event("shown", phase="registration", program_id=program.id)
    make_event("hidden", phase="draft", program_id=program.id)
    page = client.get("/programs/cohort9")
    assert page.status_code == 200
    assert "/events/shown" in page.text
    assert "/events/hidden" not in page.text
    assert client.get("/programs/nothing-here").status_code == 404


def test_an_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event").status_code == 404


def test_a_non_organizer_gets_404_on_the_edit_page(client, login, db):
    event = make_event("guarded")
    user = make_user()
    grant(event, user, "participant")
    grant(event, user, "judge")
    login(user)
    assert client.get("/events/guarded/edit").status_code == 404
    client.get("/")
    assert client.form_post("/events/guarded/edit", {"name": "탈취"}).status_code == 404
    db.session.refresh(event)
    assert event.name != "탈취"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    make_event("guarded")
    response = client.get("/events/guarded/edit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_organizer_edits_times_in_the_events_zone(client, login, db):
    event = make_event("zoned", phase="registration", timezone="Asia/Seoul")
    organizer = make_user()
    grant(event, organizer, "organizer")
    login(organizer)
    form = _form_values(client.get("/events/zoned/edit").text)
    form.update(
        {
            "name": "시간대 해커톤",
            "timezone": "America/New_York",
            "registration_opens_at": "2026-03-01T09:00",
            "team_formation_opens_at": "2026-03-08T09:00",
            "teams_lock_at": "2026-03-15T09:00",  # after the DST change (UTC-4)
            "submissions_open_at": "2026-03-15T09:00",
            "submissions_close_at": "2026-03-22T23:59",
            "judging_close_at": "2026-03-29T18:00",
            "grace_minutes": "15",
        }
    )
    response = client.form_post("/events/zoned/edit", form)
    assert response.status_code == 302, response.text[:2000]
    db.session.refresh(event)
    assert event.timezone == "America/New_York"
    assert event.registration_opens_at == datetime(2026, 3, 1, 14, 0, tzinfo=UTC)  # EST
    assert event.teams_lock_at == datetime(2026, 3, 15, 13, 0, tzinfo=UTC)  # EDT
    assert event.submissions_close_at == datetime(2026, 3, 23, 3, 59, tzinfo=UTC)
    assert event.grace_minutes == 15
    # The edit page shows the stored times back in the event's zone.
    again = _form_values(client.get("/events/zoned/edit").text)
    assert again["registration_opens_at"] == "2026-03-01T09:00"
    assert again["teams_lock_at"] == "2026-03-15T09:00"
    assert again["submissions_close_at"] == "2026-03-22T23:59"
    # The public page too, in the viewer's language.
    page = client.get("/events/zoned", headers={"Accept-Language": "en"}).text
    assert 'datetime="2026-03-01T14:00:00+00:00"' in page
    assert "9:00\u202fAM" in page or "9:00 AM" in page
    assert "America/New_York" in page


def test_seconds_from_the_browser_are_accepted(client, login, db):
    event = make_event("secs", phase="registration")
    organizer = make_user(is_admin=True)
    login(organizer)
    form = _form_values(client.get("/events/secs/edit").text)
    form["judging_close_at"] = "2099-01-01T10:00:30"
    assert client.form_post("/events/secs/edit", form).status_code == 302
    db.session.refresh(event)
    assert event.judging_close_at == datetime(2099, 1, 1, 1, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"team_min": "4", "team_max": "2"}, "team_max"),
        ({"judges_per_submission": "0"}, "judges_per_submission"),
        ({"grace_minutes": "-5"}, "grace_minutes"),
        ({"teams_lock_at": "2026-01-01T00:00", "team_formation_opens_at": "2026-02-01T00:00"},
         "teams_lock_at"),
        ({"name": ""}, "name"),
        ({"kind": "party"}, "kind"),
        ({"registration_opens_at": "yesterday"}, "registration_opens_at"),
    ],
)  # fmt: skip
def test_bad_edits_change_nothing_and_say_why_next_to_the_field(client, login, db, changes, field):
    event = make_event("checked", phase="registration")
    before = (event.name, event.team_max, event.timezone, event.teams_lock_at)
    organizer = make_user()
    grant(event, organizer, "organizer")
    login(organizer)
    form = _form_values(client.get("/events/checked/edit").text)
    form.update(changes)
    response = client.form_post("/events/checked/edit", form)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text
    db.session.refresh(event)
    assert (event.name, event.team_max, event.timezone, event.teams_lock_at) == before


def test_the_slug_cannot_be_changed_on_edit(client, login, db):
    event = make_event("fixed-slug", phase="registration")
    login(make_user(is_admin=True))
    form = _form_values(client.get("/events/fixed-slug/edit").text)
    form["slug"] = "other-slug"
    client.form_post("/events/fixed-slug/edit", form)
    db.session.refresh(event)
    assert event.slug == "fixed-slug"
