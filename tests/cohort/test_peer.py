"""Peer review: members rate teammates 1..5 after submissions close, until the results are
published; never themselves or outsiders; one row per (rater, ratee, event); teammates
never see who gave what; organizers see mean, count and the far-below flag."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from hackathon.cohort.models import PeerReview
from hackathon.cohort.services import peer
from hackathon.db import utcnow
from hackathon.events.models import Program
from hackathon.jobs.queue import run_due
from tests.cohort.conftest import publish
from tests.factories import make_event, make_team, make_user
from tests.helpers import notifications_of


def _rows(db, **where) -> list[PeerReview]:
    db.session.expire_all()
    query = select(PeerReview)
    for name, value in where.items():
        query = query.where(getattr(PeerReview, name) == value)
    return list(db.session.scalars(query))


def _rate(client, crew, ratee, score, comment=""):
    prefix = f"p{ratee.id}"
    return client.form_post(
        f"/events/peer/peer-review/{ratee.id}",
        {f"{prefix}-score": score, f"{prefix}-comment": comment},
    )


def test_a_member_rates_a_teammate_and_a_retry_changes_nothing(db, crew, signed_in):
    rater, ratee = crew.members[0], crew.members[1]
    browser = signed_in(rater)
    assert _rate(browser, crew, ratee, 4, "잘했어요").status_code == 302
    assert _rate(browser, crew, ratee, 4, "잘했어요").status_code == 302
    rows = _rows(db, rater_id=rater.id)
    assert [(r.ratee_id, r.score, r.comment) for r in rows] == [(ratee.id, 4, "잘했어요")]
    # A new rating replaces the old one: still one row.
    assert _rate(browser, crew, ratee, 2).status_code == 302
    assert [(r.score, r.comment) for r in _rows(db, rater_id=rater.id)] == [(2, "")]


def test_the_api_sets_ratings_and_refuses_oneself_and_outsiders(db, crew, signed_in):
    rater = crew.members[0]
    browser = signed_in(rater)
    url = "/api/v1/events/peer/peer-reviews"
    ok = browser.api("PUT", f"{url}/{crew.members[2].id}", {"score": 5, "comment": "최고"})
    assert ok.status_code == 200, ok.get_json()
    again = browser.api("PUT", f"{url}/{crew.members[2].id}", {"score": 5, "comment": "최고"})
    assert again.get_json() == ok.get_json()
    for target, code in ((rater, "peer_self_rating"), (crew.outsider, "peer_not_teammate")):
        refused = browser.api("PUT", f"{url}/{target.id}", {"score": 3})
        assert refused.status_code == 422
        assert refused.get_json()["error"]["code"] == code
    for bad in ({"score": 6}, {"score": 0}, {"score": "5"}, {}):
        assert browser.api("PUT", f"{url}/{crew.members[1].id}", bad).status_code == 422
    assert [(r.ratee_id, r.score) for r in _rows(db, rater_id=rater.id)] == [
        (crew.members[2].id, 5)
    ]
    mine = browser.get(f"{url}/mine").get_json()
    assert mine["state"] == "open"
    assert {r["ratee"]["id"]: r["score"] for r in mine["ratings"]} == {
        crew.members[1].id: None,
        crew.members[2].id: 5,
        crew.members[3].id: None,
    }


def test_the_form_refuses_oneself_and_outsiders_with_a_message(db, crew, signed_in):
    rater = crew.members[0]
    browser = signed_in(rater)
    for target, text in (
        (rater, "You cannot rate yourself"),
        (crew.outsider, "You can only rate members of your own team"),
    ):
        response = _rate(browser, crew, target, 3)
        assert response.status_code == 422
        assert text in response.get_data(as_text=True)
    missing = browser.form_post(f"/events/peer/peer-review/{crew.members[1].id}", {})
    assert missing.status_code == 422
    assert "Give a rating from 1 to 5." in missing.get_data(as_text=True)
    assert _rows(db) == []


def test_teammates_never_see_who_gave_what(db, crew, signed_in):
    ratee = crew.members[1]
    for rater, score, comment in ((crew.members[0], 1, "SECRET-ONE"), (crew.members[2], 5, "")):
        assert _rate(signed_in(rater), crew, ratee, score, comment).status_code == 302
    browser = signed_in(ratee)
    pages = [
        browser.get("/events/peer/peer-review").get_data(as_text=True),
        browser.get("/events/peer").get_data(as_text=True),
        browser.get(f"/events/peer/teams/{crew.team.id}").get_data(as_text=True),
        browser.get("/api/v1/events/peer/peer-reviews/mine").get_data(as_text=True),
    ]
    for page in pages:
        assert "SECRET-ONE" not in page
        assert "data-rated>" not in page  # the ratee has rated nobody yet
    # A third teammate sees only their own ratings, not what others gave.
    other = signed_in(crew.members[3]).get("/events/peer/peer-review").get_data(as_text=True)
    assert "SECRET-ONE" not in other
    assert "data-rated" not in other
    api = signed_in(crew.members[3]).get("/api/v1/events/peer/peer-reviews/mine").get_json()
    assert all(r["score"] is None for r in api["ratings"])
    # Organizers see the comment, without its author.
    boss = signed_in(make_user(event=crew.event, role="organizer", locale="en"))
    summary = boss.get("/events/peer/peer-review/summary").get_data(as_text=True)
    assert "SECRET-ONE" in summary
    assert summary.count(crew.members[0].name) == 1  # only as a person rated, in their row


def test_peer_review_is_closed_before_submissions_close_and_read_only_after_publication(
    db, crew, signed_in
):
    rater, ratee = crew.members[0], crew.members[1]
    assert _rate(signed_in(rater), crew, ratee, 4).status_code == 302
    publish(crew.event)
    browser = signed_in(rater)
    refused = browser.api("PUT", f"/api/v1/events/peer/peer-reviews/{ratee.id}", {"score": 1})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "peer_review_closed"
    form = _rate(browser, crew, ratee, 1)
    assert form.status_code == 409
    page = browser.get("/events/peer/peer-review").get_data(as_text=True)
    assert 'data-peer-state="closed"' in page
    assert "<form" not in page.split("<main")[1]
    assert [r.score for r in _rows(db, rater_id=rater.id)] == [4]

    early = make_event("early", phase="submission")
    people = [make_user(event=early, locale="en") for _ in range(2)]
    make_team(early, members=people)
    response = signed_in(people[0]).api(
        "PUT", f"/api/v1/events/early/peer-reviews/{people[1].id}", {"score": 3}
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "peer_review_not_open"


def test_organizers_see_mean_count_and_the_flag_far_below_the_team(db, crew, signed_in):
    weak = crew.members[3]
    for rater in crew.members:
        for ratee in crew.members:
            if rater is ratee:
                continue
            score = 2 if ratee is weak else 4
            peer.rate(crew.event, rater, ratee.id, score)
    db.session.commit()
    boss = signed_in(make_user(event=crew.event, role="organizer", locale="en"))
    html = boss.get("/events/peer/peer-review/summary").get_data(as_text=True)
    row = html.split(f'data-person="{weak.id}"')[1].split("</tr>")[0]
    assert row.startswith(" data-flagged")
    assert "Far below the team" in row
    assert "<td data-mean>2.00</td>" in row
    assert "<td data-count>3</td>" in row
    strong = html.split(f'data-person="{crew.members[0].id}"')[1].split("</tr>")[0]
    assert "data-flagged" not in strong
    # Teammates' ratings of the strong ones are 4 from two and 4 from the weak member.
    assert "<td data-mean>4.00</td>" in strong
    # Members never reach the summary.
    assert signed_in(crew.members[0]).get("/events/peer/peer-review/summary").status_code == 404


def test_peer_by_person_and_coverage_over_the_program(db, crew):
    program = Program(slug="prog", name="1기", description="")
    db.session.add(program)
    db.session.flush()
    crew.event.program_id = program.id
    db.session.commit()
    a, b, c, d = crew.members
    peer.rate(crew.event, a, b.id, 5)
    peer.rate(crew.event, c, b.id, 3)
    peer.rate(crew.event, b, a.id, 2)
    db.session.commit()
    found = peer.peer_by_person(program)
    assert found == {b.id: {"mean": 4.0, "count": 2}, a.id: {"mean": 2.0, "count": 1}}
    assert peer.peer_by_person(program, [a.id, d.id]) == {a.id: {"mean": 2.0, "count": 1}}
    covered = peer.coverage(program)
    assert covered["given"] == 3
    assert covered["expected"] == 4 * 3  # the outsider's team of one owes nothing
    assert covered["events"][0]["slug"] == "peer"
    assert covered["events"][0]["state"] == "open"


def test_members_hear_once_when_it_opens_and_once_before_it_closes(app, db, crew):
    now = utcnow()
    crew.event.judging_close_at = now + timedelta(days=3)
    db.session.commit()
    run_due(now)
    for member in crew.members:
        kinds = [n.kind for n in notifications_of(member)]
        assert kinds == ["peer_review_open"]
    assert notifications_of(crew.outsider) == []  # alone in a team: nobody to rate
    run_due(now + timedelta(hours=1))
    assert all(len(notifications_of(m)) == 1 for m in crew.members)
    # The judging closes within a day: those who have not rated everyone are reminded.
    a = crew.members[0]
    for ratee in crew.members[1:]:
        peer.rate(crew.event, a, ratee.id, 4)
    db.session.commit()
    later = crew.event.judging_close_at - timedelta(hours=2)
    run_due(later)
    run_due(later + timedelta(minutes=30))
    assert [n.kind for n in notifications_of(a)] == ["peer_review_open"]
    for member in crew.members[1:]:
        assert [n.kind for n in notifications_of(member)] == [
            "peer_review_open",
            "peer_review_reminder",
        ]
    publish(crew.event)
    newcomer = make_user(event=crew.event, locale="en")
    make_team(crew.event, members=[newcomer, make_user(event=crew.event)])
    run_due(later + timedelta(hours=1))
    assert notifications_of(newcomer) == []  # published: peer review is over


def test_the_event_page_links_a_member_to_the_form(db, crew, signed_in):
    html = signed_in(crew.members[0]).get("/events/peer").get_data(as_text=True)
    assert "data-peer-link" in html
    assert "0 of 3 rated" in html
    assert "data-peer-link" not in signed_in(crew.outsider).get("/events/peer").get_data(
        as_text=True
    )


def test_one_row_per_rater_ratee_and_event_is_kept_by_the_database(db, crew):
    a, b = crew.members[:2]
    for score in (1, 2, 3):
        peer.rate(crew.event, a, b.id, score)
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(PeerReview))
    assert count == 1
    assert _rows(db)[0].score == 3
