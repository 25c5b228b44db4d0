"""In Chromium: create a team, join it from a second browser with the code, see both."""

from tests.factories import (
    TEST_PASSWORD,
    grant,
    make_company,
    make_event,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import sign_in


def test_create_a_team_and_join_it_from_another_browser(app, live_server, context_factory):
    event = make_event("browser-teams", phase="team_formation", team_min=2, team_max=4)
    alice = make_user("alice@example.test", "김앨리스")
    bob = make_user("bob@example.test", "이밥")
    for user in (alice, bob):
        grant(event, user, "participant")

    first = context_factory().new_page()
    sign_in(first, live_server, alice.email, TEST_PASSWORD)
    first.goto(f"{live_server}/events/{event.slug}")
    first.click("#teams-panel a[href$='/my-team']")
    first.fill("input[name=name]", "데이터 고래")
    first.click("form[action$='/teams/new'] button[type=submit]")
    first.wait_for_load_state()
    assert first.locator("[data-team-name]").inner_text() == "데이터 고래"
    assert first.locator("[data-under-size]").count() == 1  # alone, below the minimum of 2
    code = first.locator("[data-invite-code]").inner_text().strip()
    assert len(code) >= 10

    second = context_factory().new_page()
    sign_in(second, live_server, bob.email, TEST_PASSWORD)
    second.goto(f"{live_server}/events/{event.slug}/my-team")
    second.fill("input[name=code]", code.lower())
    second.click("form[action$='/teams/join'] button[type=submit]")
    second.wait_for_load_state()
    members = second.locator("[data-members] [data-member]")
    assert members.count() == 2
    assert "김앨리스" in members.all_inner_texts()[0]
    assert "이밥" in members.all_inner_texts()[1]

    first.reload()
    assert first.locator("[data-members] [data-member]").count() == 2
    assert first.locator("[data-under-size]").count() == 0


def test_the_team_page_fits_a_phone(app, live_server, phone_page):
    event = make_event("phone-teams", phase="team_formation")
    user = make_user("phone@example.test", "박폰")
    grant(event, user, "participant")
    sign_in(phone_page, live_server, user.email, TEST_PASSWORD)
    phone_page.goto(f"{live_server}/events/{event.slug}/my-team")
    phone_page.fill("input[name=name]", "모바일 팀")
    phone_page.click("form[action$='/teams/new'] button[type=submit]")
    phone_page.wait_for_load_state()
    assert phone_page.locator("[data-team-name]").inner_text() == "모바일 팀"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing pushes the page sideways


def test_the_team_lists_fit_a_phone(app, live_server, phone_page):
    """The directory, the finder and the organizers' board, matching and company pages,
    with long Korean names in every cell, never push a 360-px page sideways."""
    event = make_event("phone-lists", phase="team_formation", team_min=4, team_max=5)
    company = make_company("아주 긴 이름을 가진 인공지능 협력 기업 주식회사")
    tracks = [
        make_track(event, f"기업 과제 {i}: 아주 긴 이름의 인공지능 과제", company=company)
        for i in range(3)
    ]
    for i in range(6):
        members = [
            make_user(name=f"참가자 이름이 긴 사람 {i}-{j}", skills="vision;nlp") for j in range(3)
        ]
        make_team(
            event,
            f"아주 긴 이름을 가진 팀 {i} 빛나는 고래",
            members=members,
            track=tracks[i // 2],
            open_places=2,
            wanted_skills="backend;frontend;design",
        )
    organizer = make_user("boss@example.test", "관리자", is_admin=True)
    sign_in(phone_page, live_server, organizer.email, TEST_PASSWORD)
    base = f"{live_server}/events/{event.slug}"
    for path in (
        "/teams",
        "/finder",
        "/teams/board",
        "/teams/matching",
        "/company-teams",
        "/tracks",
    ):
        phone_page.goto(base + path)
        assert phone_page.locator("h1").count() == 1, path
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
