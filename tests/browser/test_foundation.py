"""The demo organizer signs in, switches the language and opens an event (issue 2)."""

from tests.helpers import sign_in


def test_demo_organizer_signs_in_switches_language_and_opens_event(app, db, live_server, page):
    from hackathon.events.demo import load_demo

    load_demo()
    sign_in(page, live_server, "organizer@demo.test", "demo-password")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("a[href='/admin/']").count() == 1  # signed in, as an administrator

    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{live_server}/events/cohort1-fintech")
    assert page.locator("h1").inner_text() == "Fintech AI hackathon"
    assert page.locator("[data-phase]").get_attribute("data-phase") == "results"
    assert page.locator("text=Edit the event").count() == 1

    # The choice is the account's: a new browser signs in to English pages.
    page.context.clear_cookies()
    sign_in(page, live_server, "organizer@demo.test", "demo-password")
    assert page.locator("html").get_attribute("lang") == "en"
