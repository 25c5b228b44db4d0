"""The bell on a 360-px phone: it shows the unread count, its pages fit the screen with
every control labelled, and following a notification opens its page and clears it."""

from __future__ import annotations

from hackathon.extensions import db
from hackathon.teams.services import formation
from tests.browser.test_layout import UNLABELLED
from tests.factories import TEST_PASSWORD, grant, make_event, make_team, make_user
from tests.helpers import sign_in


def test_the_bell_on_a_phone(app, live_server, phone_page):
    event = make_event("bell-hack", phase="team_formation", team_max=4)
    captain = make_user("captain@example.test", "김팀장")
    seeker = make_user(name="이참가")
    for user in (captain, seeker):
        grant(event, user, "participant")
    team = make_team(event, "푸른 고래", members=[captain])
    formation.request_to_join(event, team, seeker, "같이 하고 싶어요")
    db.session.commit()

    sign_in(phone_page, live_server, captain.email, TEST_PASSWORD)
    bell = phone_page.locator("a.bell")
    assert bell.get_attribute("data-unread") == "1"
    assert bell.get_attribute("aria-label") == "알림: 읽지 않은 알림 1개"
    assert bell.locator(".badge").inner_text() == "1"
    problems = []
    for path in ("/notifications", "/notifications/settings"):
        phone_page.goto(f"{live_server}{path}")
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{path} is {width}px wide")
        unlabelled = phone_page.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{path} has unlabelled controls: {unlabelled}")
    assert problems == []

    phone_page.goto(f"{live_server}/notifications")
    phone_page.click("text=새 팀 합류 요청")
    phone_page.wait_for_load_state()
    assert phone_page.url.endswith(f"/events/bell-hack/teams/{team.id}")
    assert "같이 하고 싶어요" in phone_page.content()
    assert phone_page.locator("a.bell").get_attribute("data-unread") == "0"
