"""A trainee publishes a portfolio and a company rep finds it in the talent view by skill,
in Korean and in English; the published portfolio reads on a 360-px phone and prints
without the site's chrome."""

from __future__ import annotations

import pytest

from tests.cohort.conftest import World
from tests.cohort.conftest import world as world  # the fixture
from tests.factories import TEST_PASSWORD
from tests.helpers import sign_in

WORDS = {
    "ko-KR": {"talent": "인재 보기", "published": "공개", "filter": "필터"},
    "en-US": {"talent": "Talent", "published": "Public", "filter": "Filter"},
}


def _publish(page, base: str, w: World) -> None:
    sign_in(page, base, w.trainee.email, TEST_PASSWORD)
    page.goto(f"{base}/programs/c1/portfolio")
    page.fill("input[name=headline]", "데이터로 문제를 푸는 개발자")
    page.fill("input[name=skills]", "python, docker")
    page.check(f"input[name=project][value='{w.pub.id}']")
    page.check(f"input[name=file_{w.pub.id}]")
    page.check("input[name=public]")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_a_rep_finds_a_published_portfolio_by_skill(
    live_server,
    context_factory,
    world,
    locale,
):
    words = WORDS[locale]
    trainee = context_factory(locale=locale).new_page()
    _publish(trainee, live_server, world)
    assert trainee.locator("[data-portfolio-state=public]").inner_text() == words["published"]

    rep = context_factory(locale=locale).new_page()
    sign_in(rep, live_server, world.rep.email, TEST_PASSWORD)
    rep.goto(f"{live_server}/programs/c1")
    rep.click(f"a:text-is('{words['talent']}')")
    assert rep.locator("h1").inner_text() == words["talent"]
    rep.select_option("select[name=skill]", "docker")
    rep.click(f"button:text-is('{words['filter']}')")
    rep.wait_for_load_state()
    assert "skill=docker" in rep.url
    card = rep.locator(f"[data-person='{world.trainee.id}']")
    assert card.count() == 1
    card.locator("h2 a").click()
    rep.wait_for_load_state()
    assert rep.locator("h1").inner_text() == world.trainee.name
    assert "데이터로 문제를 푸는 개발자" in rep.locator(".co-head").inner_text()
    assert world.trainee.email not in rep.content()
    # The rep of another program finds nothing here.
    far = context_factory(locale=locale).new_page()
    sign_in(far, live_server, world.outsider_rep.email, TEST_PASSWORD)
    response = far.goto(f"{live_server}/programs/c1/talent")
    assert response is not None
    assert response.status == 404


def test_the_published_portfolio_fits_a_phone_and_prints(
    live_server,
    context_factory,
    phone_page,
    world,
):
    _publish(context_factory().new_page(), live_server, world)
    phone_page.goto(f"{live_server}/programs/c1/people/{world.trainee.id}")
    assert phone_page.locator(".co-project").count() == 1
    assert phone_page.locator("img.co-image").count() == 1
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    phone_page.emulate_media(media="print")
    assert not phone_page.locator(".site-header").is_visible()
    assert phone_page.locator(".co-project").is_visible()
