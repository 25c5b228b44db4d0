"""A real cohort arrives by e-mail, in headless Chromium: an organizer uploads an Excel
roster on the people page, sees the bad row named in the preview, fixes the file and
confirms; the invited trainee follows the link from the development outbox, sets a
password, lands on the event, and is told when a teammate asks to join."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from openpyxl import Workbook

from hackathon.extensions import db
from hackathon.teams.models import Team
from hackathon.teams.services import formation
from tests.factories import TEST_PASSWORD, grant, make_event, make_user
from tests.helpers import sign_in

NEW_PASSWORD = "a-brand-new-password"


def _workbook(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["email", "name", "role"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_an_invited_trainee_arrives_from_an_uploaded_roster(
    app, live_server, context_factory, tmp_path
):
    event = make_event("spring-hack", phase="team_formation", name="봄 해커톤", team_max=4)
    organizer = make_user("organizer@example.test", "운영자", is_admin=True)
    grant(event, organizer, "organizer")
    teammate = make_user("teammate@example.test", "이서연", event=event)
    db.session.commit()

    staff = context_factory().new_page()
    sign_in(staff, live_server, organizer.email, TEST_PASSWORD)
    staff.goto(f"{live_server}/events/spring-hack/people")

    # A roster with a mistake: the preview names its row and writes nothing.
    bad = _workbook(
        tmp_path / "명단.xlsx",
        [("kim.minjun@example.test", "김민준", "participant"), ("bad", "박지호", "wizard")],
    )
    staff.set_input_files("#upload input[type=file]", str(bad))
    staff.click("#upload button[type=submit]")
    staff.wait_for_load_state()
    problem = staff.locator("li[data-row='3']")
    assert problem.is_visible()
    assert "3" in problem.inner_text()

    # The corrected file: the preview shows what it will do, and confirming imports it.
    staff.goto(f"{live_server}/events/spring-hack/people")
    good = _workbook(
        tmp_path / "명단-고침.xlsx",
        [
            ("kim.minjun@example.test", "김민준", "participant"),
            ("park.jiho@example.test", "박지호", "judge"),
        ],
    )
    staff.set_input_files("#upload input[type=file]", str(good))
    staff.click("#upload button[type=submit]")
    staff.wait_for_load_state()
    assert staff.locator("li[data-row]").count() == 0
    staff.click("form.card button[type=submit]")
    staff.wait_for_url(re.compile(r".*/events/spring-hack/people$"))
    assert "kim.minjun@example.test" in staff.content()

    # No mail server in development: the invitation waits in the outbox, with its link.
    staff.goto(f"{live_server}/admin/mail")
    staff.click("tr:has-text('kim.minjun@example.test') a")
    links = [
        staff.locator("ul a").nth(i).get_attribute("href")
        for i in range(staff.locator("ul a").count())
    ]
    [invite] = [link for link in links if link and "/invite/" in link]

    trainee = context_factory().new_page()
    trainee.goto(f"{live_server}{urlsplit(invite).path}")
    assert trainee.locator("input[name=name]").input_value() == "김민준"
    trainee.fill("input[name=password]", NEW_PASSWORD)
    trainee.fill("input[name=confirm]", NEW_PASSWORD)
    trainee.click("form[action*='/invite/'] button[type=submit]")
    trainee.wait_for_url(re.compile(r".*/events/spring-hack$"))

    # The link has done its work: it does not open the account again.
    again = context_factory().new_page()
    response = again.goto(f"{live_server}{urlsplit(invite).path}")
    assert response is not None
    assert response.status == 410

    # The trainee starts a team; a teammate asks to join; the bell tells the captain.
    trainee.goto(f"{live_server}/events/spring-hack/my-team")
    trainee.fill("input[name=name]", "올빼미")
    trainee.click("form[action$='/teams/new'] button[type=submit]")
    trainee.wait_for_load_state()
    db.session.expire_all()
    team = db.session.scalar(db.select(Team).where(Team.name == "올빼미"))
    assert team is not None
    formation.request_to_join(event, team, teammate, "같이 해요")
    db.session.commit()

    trainee.goto(f"{live_server}/events/spring-hack")
    assert trainee.locator(".bell").get_attribute("data-unread") == "1"
    trainee.click(".bell")
    trainee.wait_for_url(re.compile(r".*/notifications$"))
    assert "이서연" in trainee.locator("main").inner_text()
