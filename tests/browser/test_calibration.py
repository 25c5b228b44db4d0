"""A judge on a 360-px phone scores the calibration item first, then their own copy of the
same team for the ranking; the page fits the phone throughout."""

from __future__ import annotations

import pytest

from tests.browser.test_judging import judging_event, no_horizontal_scroll
from tests.factories import TEST_PASSWORD
from tests.helpers import sign_in

pytestmark = pytest.mark.browser


def test_calibration_first_on_a_phone(app, live_server, phone_page):
    from hackathon.extensions import db
    from hackathon.judging.services.calibration import mark_calibration
    from hackathon.teams.models import Team

    event, idea, pitch, judge = judging_event()
    team = db.session.scalar(db.select(Team).where(Team.name == "팀 2"))
    mark_calibration(event, team.id)
    db.session.commit()
    page = phone_page
    sign_in(page, live_server, judge.email, TEST_PASSWORD)

    page.goto(f"{live_server}/events/{event.slug}/judging")
    assert no_horizontal_scroll(page)
    items = page.locator(".j-item")
    assert items.count() == 3
    assert items.first.get_attribute("data-purpose") == "calibration"
    assert page.locator("[data-calibration-queue] .j-calibration-badge").is_visible()
    assert items.first.bounding_box()["height"] >= 44
    page.locator(".j-next").click()  # "Continue" opens the calibration item
    page.wait_for_selector("#score-form")
    assert page.locator("[data-calibration]").is_visible()
    assert page.locator("[data-calibration-note]").is_visible()
    assert no_horizontal_scroll(page)
    for criterion, value in ((idea, 9), (pitch, 4)):
        page.locator(f"label:has(input[name='score-{criterion.id}'][value='{value}']) span").click()
        page.locator("#save-state[data-state=saved]").wait_for()
    page.locator("[data-submit-button]").click()
    page.wait_for_url(f"**/events/{event.slug}/judging")
    assert page.locator("[data-calibration-queue] [data-status=submitted]").count() == 1
    # The queue for the ranking is untouched: nothing of it is done yet.
    assert page.locator("[data-progress]").get_attribute("data-done") == "0"
    assert page.locator("[data-progress]").get_attribute("data-total") == "2"
