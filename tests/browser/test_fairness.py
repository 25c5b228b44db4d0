"""The fairness report on a 360-px phone: it fits the screen, a judge's charts open, and
the extra-judges button reports who went where."""

from __future__ import annotations

from tests.factories import TEST_PASSWORD
from tests.helpers import sign_in
from tests.leaderboard.test_fairness import fair  # noqa: F401  (the constructed event)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_organizer_reads_the_report_and_adds_judges_on_a_phone(
    app,
    live_server,
    phone_page,
    fair,  # noqa: F811
):
    people, _teams, judges = fair
    page = phone_page
    sign_in(page, live_server, people["organizer"].email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/fair/leaderboard/fairness")
    assert page.locator("h1").inner_text() == "공정성 보고서"
    assert no_horizontal_scroll(page)
    assert page.locator(f'tr[data-judge="{judges[1].id}"]').get_attribute("data-drifts") == "yes"
    details = page.locator(f"#judge-{judges[1].id}")
    details.locator("summary").click()
    chart = details.locator("svg.chart").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 360
    assert details.locator("svg.chart").count() == 2  # by queue position, by hour
    assert details.locator("svg.chart").first.locator("circle.chart-dot").count() == 4
    assert no_horizontal_scroll(page)
    page.locator("[data-extra-judges]").click()
    page.wait_for_load_state()
    flash = page.locator(".flash", has_text="“B”(2–3위)")
    assert flash.is_visible()
    assert no_horizontal_scroll(page)
