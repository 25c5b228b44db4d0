"""A participant votes for a team on the people's choice page and changes the vote, with
the page's script and without it; the organizer's counts follow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hackathon.extensions import db
from hackathon.leaderboard.models import Vote
from hackathon.leaderboard.services import votes
from tests.factories import TEST_PASSWORD, grant, make_event, make_team, make_user
from tests.helpers import sign_in


@pytest.fixture
def news(app):
    event = make_event(
        "cohort1-news-bigdata", phase="judging", name="뉴스 빅데이터 해커톤", name_en="News"
    )
    organizer = make_user("organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    voter = make_user("voter@example.test", "투표자", event=event)
    teams = [
        make_team(event, "푸른 고래", members=[voter]),
        make_team(event, "빛나는 여우", members=[make_user(event=event)]),
        make_team(event, "날쌘 수달", members=[make_user(event=event)]),
    ]
    votes.set_voting(event, True)
    db.session.commit()
    return event, organizer, voter, teams


def _vote_of(voter) -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(Vote.team_id).where(Vote.voter_id == voter.id))


def test_a_participant_votes_and_changes_the_vote(live_server, context_factory, news):
    event, organizer, voter, (own, fox, otter) = news
    page = context_factory(locale="en-US").new_page()
    sign_in(page, live_server, voter.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}")
    page.click("[data-panel=votes] a.button")
    page.wait_for_load_state()
    assert page.locator(f"[data-team='{own.id}'] [data-vote-button]").count() == 0
    page.evaluate("window.notReloaded = true")

    page.click(f"[data-team='{fox.id}'] [data-vote-button]")
    page.locator(f"[data-team='{fox.id}'].lb-voted").wait_for()
    assert "saved" in page.locator("[data-status]").inner_text()
    assert page.locator(f"[data-team='{fox.id}'] [data-vote-button]").is_disabled()
    assert _vote_of(voter) == fox.id

    page.click(f"[data-team='{otter.id}'] [data-vote-button]")
    page.locator(f"[data-team='{otter.id}'].lb-voted").wait_for()
    assert page.locator(".lb-voted").count() == 1
    assert page.locator(f"[data-team='{fox.id}'] [data-vote-button]").is_enabled()
    assert page.evaluate("window.notReloaded") is True
    assert _vote_of(voter) == otter.id

    page.reload()
    assert page.locator(".lb-voted").get_attribute("data-team") == str(otter.id)
    assert page.locator("[data-count]").count() == 0  # no counts for a voter

    boss = context_factory(locale="en-US").new_page()
    sign_in(boss, live_server, organizer.email, TEST_PASSWORD)
    boss.goto(f"{live_server}/events/{event.slug}/vote")
    assert boss.locator(f"[data-team='{otter.id}'] [data-count]").inner_text() == "1"
    assert boss.locator(f"[data-team='{fox.id}'] [data-count]").inner_text() == "0"


def test_the_vote_works_without_the_script(live_server, context_factory, news):
    event, _organizer, voter, (_own, fox, otter) = news
    page = context_factory(java_script_enabled=False).new_page()
    sign_in(page, live_server, voter.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/vote")
    page.click(f"[data-team='{fox.id}'] [data-vote-button]")
    page.wait_for_load_state()
    assert "빛나는 여우" in page.locator(".flash").first.inner_text()
    assert page.locator(".lb-voted").get_attribute("data-team") == str(fox.id)
    page.click(f"[data-team='{otter.id}'] [data-vote-button]")
    page.wait_for_load_state()
    assert page.locator(".lb-voted").get_attribute("data-team") == str(otter.id)
    assert _vote_of(voter) == otter.id
