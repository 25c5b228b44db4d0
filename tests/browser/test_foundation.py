from tests.browser.conftest import sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories import grant, make_event, make_user


def test_organizer_signs_in_switches_language_and_opens_event(app, live_server, page):
    organizer = make_user("organizer@example.test", "운영자", is_admin=True)
    event = make_event("browser-hack", name="브라우저 해커톤", name_en="Browser hackathon")
    grant(event, organizer, "organizer")

    sign_in(page, live_server, organizer.email, TEST_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "ko"

    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{live_server}/events/{event.slug}")
    assert page.locator("h1").inner_text() == "Browser hackathon"
    assert page.locator("[data-phase]").get_attribute("data-phase") == "team_formation"
