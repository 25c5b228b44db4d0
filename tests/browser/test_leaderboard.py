"""An organizer publishes the fintech results; a visitor's open leaderboard shows the awards
without reloading the page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.judging.models import Criterion
from hackathon.leaderboard.services import board as services
from tests.factories import (
    TEST_PASSWORD,
    grant,
    make_assignment,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import sign_in


@pytest.fixture
def fintech(app):
    app.extensions.pop("leaderboard_cache", None)
    app.config["LEADERBOARD_POLL_SECONDS"] = 1
    event = make_event(
        "cohort1-fintech",
        phase="results",
        name="핀테크 인공지능 해커톤",
        name_en="Fintech AI hackathon",
    )
    organizer = make_user("organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    crit = make_criterion(event, "기술 완성도", name_en="Technical quality", lo=1, hi=10)
    track = make_track(event, "결제 이상 탐지", name_en="Payment fraud detection")
    start = utcnow() - timedelta(days=2)
    teams = [
        make_team(event, name, track=track)
        for name in ["푸른 고래", "빛나는 여우", "날쌘 수달", "은하 매"]
    ]
    for i, team in enumerate(teams):
        make_submission(team, submitted_at=start + timedelta(minutes=i))
    for j in range(3):
        judge = make_user(f"judge{j}@example.test")
        for team, value in zip(teams, [9, 7, 6, 4], strict=True):
            make_assignment(judge, team, scores={crit: max(1, value - j)}, status="submitted")
    services.create_award(event, name="최우수상", name_en="Excellence award", team_id=teams[1].id)
    services.set_state(event, "live")
    db.session.commit()
    yield event, organizer, teams
    app.config.pop("LEADERBOARD_POLL_SECONDS", None)
    app.extensions.pop("leaderboard_cache", None)


def test_published_awards_reach_an_open_page(live_server, context_factory, fintech):
    event, organizer, teams = fintech
    visitor = context_factory(locale="en-US").new_page()
    visitor.goto(f"{live_server}/events/{event.slug}/leaderboard")
    assert visitor.locator("[data-state-label]").inner_text() == "Live"
    assert visitor.locator("[data-awards]").is_hidden()
    assert visitor.locator("tbody[data-rows] tr").count() == 4
    visitor.evaluate("window.notReloaded = true")

    admin = context_factory().new_page()
    sign_in(admin, live_server, organizer.email, TEST_PASSWORD)
    admin.goto(f"{live_server}/events/{event.slug}/leaderboard/manage")
    admin.fill("form.lb-award-new input[name=name]", "대상")
    admin.fill("form.lb-award-new input[name=name_en]", "Grand prize")
    admin.select_option("form.lb-award-new select[name=team_id]", str(teams[0].id))
    admin.click("form.lb-award-new button[type=submit]")
    admin.wait_for_load_state()
    assert admin.locator(".lb-award-admin > li").count() == 2
    # The grand prize goes first.
    second = admin.locator(".lb-award-admin > li").nth(1)
    second.locator("form[action$='/move'] button").first.click()
    admin.wait_for_load_state()
    admin.click("[data-state-action=published]")
    admin.wait_for_load_state()
    assert "published" in admin.locator("[data-state-label]").inner_text().lower() or (
        admin.locator(".lb-state-published").count() == 1
    )

    awards = visitor.locator("[data-award-list] li")
    awards.first.wait_for(state="visible", timeout=15_000)
    assert visitor.locator("[data-state-label]").inner_text() == "Published"
    assert awards.count() == 2
    assert awards.nth(0).inner_text().startswith("Grand prize")
    assert "푸른 고래" in awards.nth(0).inner_text()
    assert "빛나는 여우" in awards.nth(1).inner_text()
    first_row = visitor.locator("tbody[data-rows] tr").first
    assert "Grand prize" in first_row.inner_text()
    assert visitor.evaluate("window.notReloaded") is True


def test_phone_shows_rank_team_and_score(live_server, phone_page, fintech):
    event, _organizer, _teams = fintech
    phone_page.goto(f"{live_server}/events/{event.slug}/leaderboard")
    row = phone_page.locator("tbody[data-rows] tr").first
    assert row.locator(".lb-rank").is_visible()
    assert row.locator(".lb-score").is_visible()
    assert row.locator(".lb-track-inline").is_visible()
    assert not row.locator("td.lb-raw").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_a_new_score_reaches_an_open_page_without_a_reload(live_server, context_factory, fintech):
    """The open board asks for its fragment each second: 304s while nothing changes, then
    the server's new rows, the climber marked, and no reload of the page."""
    event, _organizer, teams = fintech
    visitor = context_factory(locale="en-US").new_page()
    answers = []
    visitor.on(
        "response",
        lambda r: answers.append(r.status) if r.url.split("?")[0].endswith("/fragment") else None,
    )
    visitor.goto(f"{live_server}/events/{event.slug}/leaderboard")
    last = visitor.locator(f"tbody[data-rows] tr[data-team='{teams[3].id}']")
    assert last.get_attribute("data-rank") == "4"
    score_before = last.locator(".lb-score").inner_text()
    visitor.evaluate("window.notReloaded = true")
    visitor.wait_for_timeout(2_500)
    assert set(answers) == {304}  # polled, and the page's ETag held: nothing re-sent

    crit = db.session.scalar(db.select(Criterion).where(Criterion.event_id == event.id))
    for j in range(3):
        judge = make_user(f"late{j}@example.test")
        for team, value in zip(teams, [5, 6, 7, 10], strict=True):
            make_assignment(judge, team, scores={crit: value}, status="submitted")
    services.scores_changed(event.id)
    db.session.commit()

    climbed = visitor.locator(f"tbody[data-rows] tr.lb-up[data-team='{teams[3].id}']")
    climbed.wait_for(timeout=15_000)
    assert int(climbed.get_attribute("data-rank")) < 4
    assert climbed.locator(".lb-move").inner_text().startswith("\u25b2")
    assert climbed.locator(".lb-score").inner_text() != score_before
    assert "lb-changed" in climbed.get_attribute("class")
    assert visitor.locator("tbody[data-rows] tr.lb-down").count() >= 1
    assert visitor.locator("[data-status]").inner_text() == "The leaderboard was updated."
    assert 200 in answers
    assert visitor.evaluate("window.notReloaded") is True


def test_a_board_hidden_again_leaves_the_open_page(live_server, context_factory, fintech):
    event, _organizer, _teams = fintech
    visitor = context_factory(locale="en-US").new_page()
    visitor.goto(f"{live_server}/events/{event.slug}/leaderboard")
    assert visitor.locator("[data-board]").is_visible()
    services.set_state(event, "hidden")
    db.session.commit()
    visitor.locator("[data-board]").wait_for(state="hidden", timeout=15_000)
    assert visitor.locator("[data-status]").inner_text() == (
        "The leaderboard is not public at the moment."
    )
    services.set_state(event, "live")
    db.session.commit()
    visitor.locator("[data-board]").wait_for(state="visible", timeout=15_000)
    assert visitor.locator("tbody[data-rows] tr").count() == 4
