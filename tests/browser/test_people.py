"""The people, preview and registration pages on a 360-px phone in headless Chromium:
nothing wider than the screen (the table scrolls inside its frame), every control
labelled."""

from __future__ import annotations

from tests.browser.test_layout import UNLABELLED
from tests.factories import TEST_PASSWORD, grant, make_company, make_event, make_user
from tests.helpers import sign_in


def test_the_people_pages_fit_a_phone(app, live_server, phone_page, tmp_path):
    event = make_event(
        "phone-hack", phase="registration", registration="approval", name="모바일 해커톤"
    )
    organizer = make_user("organizer.with.a.rather.long.address@example.test", "운영자")
    grant(event, organizer, "organizer")
    company = make_company("아주 긴 이름의 주식회사 한빛데이터 연구소")
    for n in range(5):
        person = make_user(f"person.number.{n}@academy.example.test", f"참가자 {n}")
        grant(event, person, "judge" if n % 2 else "participant", company if n % 2 else None)
    sign_in(phone_page, live_server, organizer.email, TEST_PASSWORD)
    roster = tmp_path / "명단.csv"
    roster.write_bytes(
        "email,name,role\r\nnew@example.test,새 사람,participant\r\nbad,이름,wizard\r\n".encode(
            "cp949"
        )
    )
    problems = []

    def check(label: str) -> None:
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{label} is {width}px wide")
        unlabelled = phone_page.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{label} has unlabelled controls: {unlabelled}")

    for path in ("/events/phone-hack", "/events/phone-hack/people"):
        phone_page.goto(f"{live_server}{path}")
        check(path)
    phone_page.set_input_files("input[type=file]", str(roster))
    phone_page.click("#upload button[type=submit]")
    phone_page.wait_for_load_state()
    assert "/people/upload/" in phone_page.url
    assert phone_page.locator("li[data-row='3']").is_visible()
    check("the preview")

    visitor = make_user("visitor@example.test", "방문자")
    phone_page.context.clear_cookies()
    sign_in(phone_page, live_server, visitor.email, TEST_PASSWORD)
    phone_page.goto(f"{live_server}/events/phone-hack/register")
    check("/events/phone-hack/register")
    assert problems == []
