"""Registration per event: closed (the roster only), open (a verified account joins as
a participant) and by approval (organizers accept or decline), checked on the server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hackathon.db import utcnow
from hackathon.events.models import EventRole, RegistrationRequest
from hackathon.extensions import db
from tests.events.test_event_pages import _form_values
from tests.factories import grant, make_event, make_user

EN = {"Accept-Language": "en"}


def verified(email: str = "applicant@example.test"):
    return make_user(email, "지원자", email_verified_at=utcnow(), locale="en")


def roles_of(user) -> set[str]:
    return set(db.session.scalars(select(EventRole.role).where(EventRole.user_id == user.id)))


def register(client, slug: str = "spring-hack", message: str = ""):
    client.get(f"/events/{slug}/register")
    return client.form_post(f"/events/{slug}/register", {"message": message}, headers=EN)


def test_closed_registration_says_so_and_refuses(client, login):
    make_event("spring-hack", phase="registration")
    user = verified()
    login(user)
    page = client.get("/events/spring-hack/register", headers=EN)
    assert page.status_code == 200
    assert "from the organizers' list only" in page.text
    assert "Join as a participant" not in page.text
    response = register(client)
    assert response.status_code == 403
    assert "Ask the organizers to add you." in response.text
    assert roles_of(user) == set()
    assert "/events/spring-hack/register" not in client.get("/events/spring-hack").text


@pytest.mark.parametrize("phase", ["registration", "team_formation"])
def test_open_registration_admits_a_verified_account_as_participant(client, login, phase):
    make_event("spring-hack", phase=phase, registration="open")
    user = verified()
    login(user)
    assert "/events/spring-hack/register" in client.get("/events/spring-hack").text
    assert "Join as a participant" in client.get("/events/spring-hack/register", headers=EN).text
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/spring-hack"
    assert roles_of(user) == {"participant"}
    again = register(client)
    assert again.status_code == 409
    assert roles_of(user) == {"participant"}


def test_open_registration_refuses_an_unverified_account_with_the_reason(client, login):
    make_event("spring-hack", phase="registration", registration="open")
    user = make_user("new@example.test", locale="en")  # signed up, address not confirmed
    login(user)
    page = client.get("/events/spring-hack/register", headers=EN)
    assert "verification mail we sent to new@example.test" in page.text
    assert "Join as a participant" not in page.text
    response = register(client)
    assert response.status_code == 403
    assert "follow the link in the verification mail we sent to new@example.test" in response.text
    assert roles_of(user) == set()


@pytest.mark.parametrize("phase", ["submission", "results"])
def test_registration_is_refused_outside_its_phases(client, login, phase):
    make_event("spring-hack", phase=phase, registration="open")
    user = verified()
    login(user)
    response = register(client)
    assert response.status_code == 409
    assert "registration or team formation" in response.text
    assert roles_of(user) == set()


def test_a_visitor_is_asked_to_sign_in(client):
    make_event("spring-hack", phase="registration", registration="open")
    page = client.get("/events/spring-hack/register", headers=EN)
    assert "Sign in to register" in page.text
    response = client.form_post("/events/spring-hack/register", {})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_draft_has_no_registration_page(client, login):
    make_event("spring-hack", phase="draft", registration="open")
    login(verified())
    assert client.get("/events/spring-hack/register").status_code == 404
    assert register(client).status_code == 404


def _requests():
    return db.session.scalars(select(RegistrationRequest).order_by(RegistrationRequest.id)).all()


def test_approval_creates_a_request_that_an_organizer_accepts(client, login, new_client):
    event = make_event("spring-hack", phase="registration", registration="approval")
    organizer = make_user("organizer@example.test", locale="en")
    grant(event, organizer, "organizer")
    user = verified()
    login(user)
    assert "Ask to take part" in client.get("/events/spring-hack/register", headers=EN).text
    response = register(client, message="AI 과정 수료생입니다")
    assert response.status_code == 302
    [request] = _requests()
    assert (request.user_id, request.state, request.message) == (
        user.id,
        "pending",
        "AI 과정 수료생입니다",
    )
    assert roles_of(user) == set()
    assert (
        "waiting for the organizers" in client.get("/events/spring-hack/register", headers=EN).text
    )
    assert register(client).status_code == 409  # asking twice
    assert len(_requests()) == 1

    staff = new_client()
    login(organizer, client=staff)
    page = staff.get("/events/spring-hack/people", headers=EN).text
    assert f'data-request="{request.id}"' in page
    assert "AI 과정 수료생입니다" in page
    accepted = staff.form_post(
        f"/events/spring-hack/people/requests/{request.id}", {"decision": "accept"}
    )
    assert accepted.status_code == 302
    db.session.expire_all()
    assert roles_of(user) == {"participant"}
    request = db.session.get(RegistrationRequest, request.id)
    assert (request.state, request.decided_by_id) == ("accepted", organizer.id)
    assert request.decided_at is not None
    # Decided once: a second decision changes nothing.
    staff.get("/events/spring-hack/people")
    twice = staff.form_post(
        f"/events/spring-hack/people/requests/{request.id}", {"decision": "decline"}
    )
    assert twice.status_code == 302
    db.session.expire_all()
    assert db.session.get(RegistrationRequest, request.id).state == "accepted"
    assert f'data-request="{request.id}"' not in staff.get("/events/spring-hack/people").text


def test_an_organizer_declines_a_request(client, login, new_client):
    event = make_event("spring-hack", phase="team_formation", registration="approval")
    organizer = make_user("organizer@example.test")
    grant(event, organizer, "organizer")
    user = verified()
    login(user)
    assert register(client).status_code == 302
    [request] = _requests()
    staff = new_client()
    login(organizer, client=staff)
    staff.get("/events/spring-hack/people")
    response = staff.form_post(
        f"/events/spring-hack/people/requests/{request.id}", {"decision": "decline"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RegistrationRequest, request.id).state == "declined"
    assert roles_of(user) == set()
    again = register(client)
    assert again.status_code == 409
    assert "declined" in again.text
    assert len(_requests()) == 1


def test_a_request_of_another_event_cannot_be_decided_here(client, login):
    event = make_event("spring-hack", phase="registration", registration="approval")
    other = make_event("other-hack", phase="registration", registration="approval")
    organizer = make_user()
    grant(event, organizer, "organizer")
    user = verified()
    db.session.add(RegistrationRequest(event_id=other.id, user_id=user.id, message=""))
    db.session.commit()
    [request] = _requests()
    login(organizer)
    client.get("/events/spring-hack/people")
    response = client.form_post(
        f"/events/spring-hack/people/requests/{request.id}", {"decision": "accept"}
    )
    assert response.status_code == 404
    assert roles_of(user) == set()


def test_the_organizer_sets_the_mode_on_the_edit_form(client, login):
    event = make_event("spring-hack", phase="registration")
    organizer = make_user()
    grant(event, organizer, "organizer")
    login(organizer)
    form = _form_values(client.get("/events/spring-hack/edit").text)
    assert form["registration"] == "closed"
    form["registration"] = "approval"
    response = client.form_post("/events/spring-hack/edit", form)
    assert response.status_code == 302, response.text[:2000]
    db.session.refresh(event)
    assert event.registration == "approval"
    form["registration"] = "everyone"
    refused = client.form_post("/events/spring-hack/edit", form)
    assert refused.status_code == 200
    db.session.refresh(event)
    assert event.registration == "approval"
    count = db.session.scalar(select(func.count()).select_from(EventRole))
    assert count == 1
