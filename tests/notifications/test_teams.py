"""Team formation as the people involved hear of it: the bell, /notifications and the
mail server, through the real pages."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.jobs import wait_idle
from hackathon.mail import OutboxMessage
from hackathon.notifications.models import Notification
from hackathon.teams.models import JoinRequest
from hackathon.teams.services import formation, organizer
from tests.factories import make_event, make_team, make_user
from tests.helpers import bell, notifications_of, outbox_count


def _post(client, url: str, data: dict | None = None):
    return client.form_post(url, data or {}, headers={"Referer": f"http://localhost{url}"})


def test_a_join_request_rings_the_captains_bell_and_accepting_tells_the_requester(
    app, db, signed_in, smtp_server
):
    event = make_event("hack", phase="team_formation", team_max=4)
    alice = make_user(event=event, locale="en", name="Alice", email="alice@example.test")
    bob = make_user(event=event, locale="en", name="Bob", email="bob@example.test")
    team = make_team(event, "Night Owls", members=[alice])
    captain = signed_in(alice)
    assert bell(captain.get("/").get_data(as_text=True)) == 0

    seeker = signed_in(bob)
    sent = _post(seeker, f"/events/hack/teams/{team.id}/requests", {"message": "I know NLP"})
    assert sent.status_code == 302
    wait_idle(app)

    home = captain.get("/").get_data(as_text=True)
    assert bell(home) == 1
    assert 'aria-label="Notifications: 1 unread"' in home
    page = captain.get("/notifications").get_data(as_text=True)
    assert "New request to join your team" in page
    assert "Bob asked to join your team “Night Owls” in" in page
    [mail] = smtp_server.to("alice@example.test")
    assert mail["Subject"].startswith("New request to join your team")
    assert "I know NLP" in smtp_server.text(mail)

    # Following the notification opens the team page and marks it read.
    [note] = notifications_of(alice)
    opened = captain.get(f"/notifications/{note.id}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/events/hack/teams/{team.id}")
    assert bell(captain.get("/").get_data(as_text=True)) == 0

    request = db.session.scalars(select(JoinRequest)).one()
    accepted = _post(captain, f"/events/hack/teams/{team.id}/requests/{request.id}/accept")
    assert accepted.status_code == 302
    wait_idle(app)
    assert bell(seeker.get("/").get_data(as_text=True)) == 1
    page = seeker.get("/notifications").get_data(as_text=True)
    assert "Your request was accepted" in page
    assert "You are now a member of “Night Owls”" in page
    [mail] = smtp_server.to("bob@example.test")
    assert mail["Subject"].startswith("Your request was accepted")
    assert len(smtp_server.to("alice@example.test")) == 1  # the captain heard nothing more


def test_declining_and_handing_over_the_captaincy(db, signed_in):
    event = make_event("hack", phase="team_formation", team_max=4)
    alice, bob, carol = (
        make_user(event=event, locale="en", name="Alice"),
        make_user(event=event, locale="en", name="Bob"),
        make_user(event=event, locale="en"),
    )
    team = make_team(event, "Night Owls", members=[alice, bob])
    request = formation.request_to_join(event, team, carol)
    db.session.commit()
    captain = signed_in(alice)
    _post(captain, f"/events/hack/teams/{team.id}/requests/{request.id}/decline")
    [declined] = notifications_of(carol)
    assert declined.kind == "request_declined"
    assert declined.link == "/events/hack/my-team"

    _post(captain, f"/events/hack/teams/{team.id}/captain", {"user_id": bob.id})
    [handed] = notifications_of(bob)
    assert handed.kind == "captaincy"
    assert handed.params["team"] == "Night Owls"
    page = signed_in(bob).get("/notifications").get_data(as_text=True)
    assert "You are now the captain of “Night Owls”" in page

    # An organizer naming the captain tells the new captain too; naming the same one, not.
    organizer.set_captain(team, alice.id)
    organizer.set_captain(team, alice.id)
    db.session.commit()
    assert [n.kind for n in notifications_of(alice)] == ["team_request", "captaincy"]


def test_a_rolled_back_action_leaves_no_notification_and_no_mail(app, db, smtp_server):
    event = make_event("hack", phase="team_formation", team_max=4)
    alice, bob = (
        make_user(event=event, locale="en", email="alice@example.test"),
        make_user(event=event, locale="en"),
    )
    team = make_team(event, members=[alice])
    formation.request_to_join(event, team, bob)
    db.session.flush()
    assert outbox_count() == 1  # written with the action, in its transaction
    db.session.rollback()
    wait_idle(app)
    assert db.session.scalar(select(Notification.id)) is None
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert smtp_server.messages == []

    # The same request, committed this time, is delivered once.
    formation.request_to_join(event, team, bob)
    db.session.commit()
    wait_idle(app)
    assert len(smtp_server.to("alice@example.test")) == 1


def test_notifications_are_each_persons_own(db, signed_in):
    event = make_event("hack", phase="team_formation", team_max=4)
    alice, bob, carol = (
        make_user(event=event, locale="en"),
        make_user(event=event, locale="en"),
        make_user(event=event, locale="en"),
    )
    team = make_team(event, members=[alice])
    formation.request_to_join(event, team, bob)
    db.session.commit()
    [note] = notifications_of(alice)
    stranger = signed_in(carol)
    assert stranger.get(f"/notifications/{note.id}").status_code == 404
    assert "New request" not in stranger.get("/notifications").get_data(as_text=True)
    assert notifications_of(alice)[0].read_at is None


def test_mark_all_read(db, signed_in):
    event = make_event("hack", phase="team_formation", team_max=5)
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice])
    for _ in range(3):
        formation.request_to_join(event, team, make_user(event=event, locale="en"))
    db.session.commit()
    client = signed_in(alice)
    page = client.get("/notifications").get_data(as_text=True)
    assert bell(page) == 3
    assert page.count("Unread</span>") == 3
    landed = client.get(_post(client, "/notifications/read").headers["Location"])
    page = landed.get_data(as_text=True)
    assert "Every notification is marked as read." in page
    assert bell(page) == 0
    assert "Unread</span>" not in page
    assert all(n.read_at is not None for n in notifications_of(alice))
