"""A judge on a 360-px phone: queue, scoring with autosave, reload, submit, progress; and the
same form by keyboard alone."""

from __future__ import annotations

from tests.factories import (
    TEST_PASSWORD,
    grant,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_user,
)
from tests.helpers import sign_in


def judging_event():
    event = make_event("phone-judging", phase="judging", name="심사 해커톤")
    idea = make_criterion(event, "기획력", weight=2, lo=1, hi=10, name_en="Idea")
    pitch = make_criterion(event, "발표", weight=1, lo=1, hi=5, name_en="Pitch")
    from hackathon.extensions import db

    idea.levels = {
        "1": {"ko": "흔한 아이디어"},
        "7": {"ko": "참신하고 근거 있음"},
        "10": {"ko": "누구도 생각 못 함"},
    }
    db.session.commit()
    judge = make_user("judge@example.test", "심사위원")
    grant(event, judge, "judge")
    teams = [make_team(event, f"팀 {n}") for n in (1, 2)]
    for n, team in enumerate(teams, start=1):
        make_submission(team, title=f"작품 {n}", summary="요약")
    from hackathon.judging.services.assignments import add_assignment

    for team in teams:
        add_assignment(event, judge.id, team.id)
    db.session.commit()
    return event, idea, pitch, judge


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_judge_scores_on_a_phone_reloads_and_submits(app, live_server, phone_page):
    event, idea, pitch, judge = judging_event()
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, judge.email, TEST_PASSWORD)

    page.goto(f"{live_server}/events/{event.slug}/judging")
    progress = page.locator("[data-progress]")
    assert progress.get_attribute("data-done") == "0"
    assert progress.get_attribute("data-total") == "2"
    assert no_horizontal_scroll(page)
    page.locator(".j-item", has_text="팀 1").click()
    page.wait_for_selector("#score-form")
    assert no_horizontal_scroll(page)

    seven = page.locator(f"label:has(input[name='score-{idea.id}'][value='7']) span")
    box = seven.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    seven.click()
    state = page.locator("#save-state")
    page.locator("#save-state[data-state=saved]").wait_for()
    assert (
        page.locator(f"#levels-{idea.id} li.is-current").inner_text().endswith("참신하고 근거 있음")
    )
    page.fill("textarea[name=feedback]", "데모가 인상적이었습니다")
    page.locator("#save-state[data-state=saved]").wait_for()

    page.reload()
    assert page.locator(f"input[name='score-{idea.id}'][value='7']").is_checked()
    assert page.locator("textarea[name=feedback]").input_value() == "데모가 인상적이었습니다"
    assert state.get_attribute("data-state") == "saved"  # "draft saved at …" after a reload

    assert not page.locator("[data-save-button]").is_visible()  # drafts save themselves
    assert page.locator("[data-status-badge]").get_attribute("class").endswith("in_progress")
    page.locator(f"label:has(input[name='score-{pitch.id}'][value='4']) span").click()
    page.locator("[data-submit-button]").click()
    page.wait_for_url(f"{live_server}/events/{event.slug}/judging")
    assert page.locator("[data-progress]").get_attribute("data-done") == "1"
    assert page.locator(".j-item", has_text="팀 1").get_attribute("data-status") == "submitted"
    assert no_horizontal_scroll(page)


def test_the_scoring_form_works_by_keyboard_alone(app, live_server, page):
    event, idea, pitch, judge = judging_event()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, judge.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/judging")
    page.locator(".j-item", has_text="팀 2").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#score-form")

    def tab_to(selector: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to(f"input[name='score-{idea.id}']")
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # 1 → 5
    tab_to(f"input[name='score-{pitch.id}']")
    page.keyboard.press("Space")
    tab_to("textarea[name=feedback]")
    page.keyboard.type("키보드로 작성")
    tab_to("[data-submit-button]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/events/{event.slug}/judging")
    assert page.locator(".j-item", has_text="팀 2").get_attribute("data-status") == "submitted"

    from hackathon.extensions import db
    from hackathon.judging.models import Assignment

    db.session.expire_all()
    done = db.session.scalar(db.select(Assignment).where(Assignment.status == "submitted"))
    assert {s.criterion_id: s.value for s in done.scores} == {idea.id: 5, pitch.id: 1}
    assert done.feedback == "키보드로 작성"


def test_removing_work_asks_the_organizer_first(app, live_server, page):
    event, _idea, _pitch, _judge = judging_event()
    organizer = make_user("organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    sign_in(page, live_server, organizer.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/judging/assignments")
    remove = page.locator("tr[data-team] form button").first
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.click()
    assert page.locator("tr[data-team] form").count() == 2  # nothing was removed
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        remove.click()
    assert page.locator("tr[data-team] form").count() == 1


VISIBLE = """() => {
  const e = document.activeElement;
  const bar = document.querySelector('.j-bar');
  const form = document.getElementById('score-form');
  if (!e || !form.contains(e) || bar.contains(e) || e.type === 'hidden') return null;
  const shown = e.type === 'radio' ? e.nextElementSibling : e;
  const box = shown.getBoundingClientRect();
  const barTop = bar.getBoundingClientRect().top;
  return {name: e.name, top: box.top, bottom: box.bottom, barTop: barTop,
          height: window.innerHeight};
}"""


def test_keyboard_focus_is_never_hidden_under_the_sticky_bar(app, live_server, phone_page):
    """On a phone the save bar stays at the bottom of the screen; a control reached by Tab
    must come into view above it, whole, not behind it or below the screen's edge."""
    event, idea, pitch, judge = judging_event()
    page = phone_page
    sign_in(page, live_server, judge.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/judging")
    page.locator(".j-item", has_text="팀 1").click()
    page.wait_for_selector("#score-form")
    reached = set()
    for _ in range(30):
        page.keyboard.press("Tab")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        where = page.evaluate(VISIBLE)
        if where is None:
            continue
        reached.add(where["name"])
        assert where["top"] >= 0, where
        assert where["bottom"] <= min(where["barTop"], where["height"]) + 1, where
    assert {f"score-{idea.id}", f"score-{pitch.id}", "feedback", "note"} <= reached
