"""The foundation's pages on a 360-px phone: nothing wider than the screen, every control
labelled, and the forms usable by touch."""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD, grant, make_event, make_user
from tests.helpers import sign_in

PAGES = [
    "/",
    "/login",
    "/signup",
    "/events/phone-hack",
    "/events/phone-hack/edit",
    "/programs/phone-cohort",
    "/account",
    "/admin/",
    "/admin/users",
    "/admin/events/new",
    "/no-such-page",
]

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture
def site(app, db):
    from hackathon.events.models import Program

    program = Program(slug="phone-cohort", name="모바일 기수", name_en="Phone cohort")
    db.session.add(program)
    db.session.commit()
    event = make_event(
        "phone-hack",
        name="아주 긴 이름을 가진 모바일 해커톤 행사 — 줄바꿈이 잘 되는지 확인합니다",
        program_id=program.id,
        description="첫 줄\n둘째 줄",
    )
    admin = make_user("admin@example.test", "관리자", is_admin=True)
    grant(event, admin, "organizer")
    return admin


def test_pages_fit_a_phone_and_label_every_control(site, live_server, phone_page):
    sign_in(phone_page, live_server, site.email, TEST_PASSWORD)
    problems = []
    for path in PAGES:
        phone_page.goto(f"{live_server}{path}")
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{path} is {width}px wide")
        unlabelled = phone_page.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{path} has unlabelled controls: {unlabelled}")
    assert problems == []


def test_an_error_is_announced_next_to_its_field(site, live_server, phone_page):
    phone_page.goto(f"{live_server}/signup")
    phone_page.fill("input[name=name]", "새 사람")
    phone_page.fill("input[name=email]", "not-an-address")
    phone_page.fill("input[name=password]", "long-enough-password")
    phone_page.fill("input[name=confirm]", "long-enough-password")
    phone_page.click("form[action='/signup'] button[type=submit]")
    email = phone_page.locator("input[name=email]")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby")
    assert phone_page.locator(f"#{error_id}").is_visible()
