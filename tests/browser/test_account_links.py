"""The pages behind mailed links on a 360-px phone: nothing wider than the screen, every
control labelled, and an invitation accepted by touch from the link to the event."""

from __future__ import annotations

from hackathon.accounts import services
from hackathon.accounts.models import TokenPurpose
from hackathon.extensions import db
from tests.factories import grant, make_event, make_user

# As in test_layout.py: visible controls with neither a label nor an accessible name.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


def _imported(email: str, name: str):
    user = make_user(email, name)
    user.password_hash = None
    db.session.commit()
    return user


def test_link_pages_fit_a_phone_and_label_every_control(app, live_server, phone_page):
    person = _imported("phone@example.test", "아주 긴 이름을 가진 초대받은 참가자 한 사람")
    invite = services.issue_link(person, TokenPurpose.INVITE)
    reset = services.issue_link(make_user("reset@example.test"), TokenPurpose.RESET)
    verify = services.issue_link(make_user("verify@example.test"), TokenPurpose.VERIFY)
    db.session.commit()
    paths = [
        "/password/forgot",
        f"/invite/{invite}",
        f"/password/reset/{reset}",
        f"/verify/{verify}",
        "/invite/no-such-link",
    ]
    problems = []
    for path in paths:
        phone_page.goto(f"{live_server}{path}")
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{path} is {width}px wide")
        unlabelled = phone_page.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{path} has unlabelled controls: {unlabelled}")
    phone_page.goto(f"{live_server}/password/forgot")
    phone_page.fill("input[name=email]", "someone@example.test")
    with phone_page.expect_navigation():  # the answer page, not the form still unloading
        phone_page.tap("form[action='/password/forgot'] button[type=submit]")
    if phone_page.evaluate("() => document.documentElement.scrollWidth") > 360:
        problems.append("the 'check your mail' page is too wide")
    assert problems == []


def test_an_invitation_is_accepted_by_touch(app, live_server, phone_page):
    event = make_event("phone-invite", name="모바일 초대 행사")
    person = _imported("touch@example.test", "터치 사용자")
    grant(event, person, "participant")
    token = services.issue_link(person, TokenPurpose.INVITE, event)
    db.session.commit()
    phone_page.goto(f"{live_server}/invite/{token}")
    phone_page.fill("input[name=password]", "a-long-new-password")
    phone_page.fill("input[name=confirm]", "a-long-new-password")
    phone_page.tap("form[action^='/invite/'] button[type=submit]")
    phone_page.wait_for_url(f"{live_server}/events/phone-invite")
    assert "터치 사용자" in phone_page.inner_text("header")
