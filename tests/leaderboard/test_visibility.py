"""Who sees the board in each state: nothing leaks while hidden, frozen stays frozen."""

from __future__ import annotations

import re

API = "/api/v1/events/hack/leaderboard"
PAGE = "/events/hack/leaderboard"


CSRF = re.compile(rb'(name="csrf-token" content="|name="csrf_token" value=")[^"]*"')


def snapshot_of(client):
    """Every byte a visitor gets from the API, the CSV and the page (the page's CSRF
    tokens aside: they are signed with the time, whatever the board)."""
    out = []
    for url in (API, API.replace("leaderboard", "leaderboard.csv"), PAGE):
        response = client.get(url)
        out.append((response.status_code, CSRF.sub(rb"\1", response.get_data())))
    return out


def test_hidden_board_is_404_and_byte_identical_after_100_more_scores(client, scored, more_scores):
    before = snapshot_of(client)
    assert [status for status, _ in before] == [404, 404, 404]
    more_scores(100)
    assert snapshot_of(client) == before


def test_hidden_board_looks_like_a_missing_event(client, scored):
    missing = client.get("/api/v1/events/no-such-event/leaderboard")
    hidden = client.get(API)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()


def test_organizers_see_the_hidden_board(organizer_client, scored):
    response = organizer_client.get(API)
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "hidden"
    assert body["rows"][0]["team"]["name"] == "A"
    assert body["rows"][-1]["team"]["name"] == "E"
    assert body["rows"][-1]["rank"] is None
    page = organizer_client.get(PAGE)
    assert page.status_code == 200
    assert "lb-preview" in page.get_data(as_text=True)


def test_other_signed_in_people_do_not(client, scored, login):
    login(scored.member)
    assert client.get(API).status_code == 404
    assert client.get(PAGE).status_code == 404


def test_live_board_follows_the_scores(client, scored, set_state, more_scores):
    set_state("live")
    first = client.get(API).get_json()
    assert first["state"] == "live"
    assert next(r for r in first["rows"] if r["team"]["name"] == "E")["rank"] is None
    more_scores(4)
    second = client.get(API).get_json()
    # A judge with one team gives z = 0: E is now ranked, in the middle.
    assert next(r for r in second["rows"] if r["team"]["name"] == "E")["rank"] is not None


def test_frozen_board_never_changes_with_new_scores(client, scored, set_state, more_scores):
    set_state("live")
    set_state("frozen")
    before = snapshot_of(client)
    assert [status for status, _ in before] == [200, 200, 200]
    more_scores(100)
    assert snapshot_of(client) == before
    body = client.get(API).get_json()
    assert (body["state"], body["snapshot"]) == ("frozen", 1)
    assert next(r for r in body["rows"] if r["team"]["name"] == "E")["rank"] is None


def test_organizers_still_see_current_scores_while_frozen(
    organizer_client, scored, set_state, more_scores
):
    set_state("frozen")
    more_scores(4)
    public = organizer_client.get(API).get_json()
    current = organizer_client.get(API + "?source=current").get_json()
    assert next(r for r in public["rows"] if r["team"]["name"] == "E")["rank"] is None
    assert next(r for r in current["rows"] if r["team"]["name"] == "E")["rank"] is not None


def test_published_board_shows_the_awards(client, scored, set_state):
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services

    services.create_award(
        scored.event, name="대상", name_en="Grand prize", team_id=scored.teams["A"].id
    )
    db.session.commit()
    set_state("live")
    assert client.get(API).get_json()["awards"] == []
    set_state("published")
    body = client.get(API).get_json()
    assert body["state"] == "published"
    assert [(a["name"], a["team"]["name"]) for a in body["awards"]] == [("대상", "A")]
    row = next(r for r in body["rows"] if r["team"]["name"] == "A")
    assert row["awards"] == [{"name": "대상", "name_en": "Grand prize"}]
    page = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Grand prize" in page


def test_draft_event_board_is_404_even_when_live(client, app):
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services
    from tests.factories import make_event

    event = make_event("drafty", phase="draft")
    services.set_state(event, "live")
    db.session.commit()
    assert client.get("/api/v1/events/drafty/leaderboard").status_code == 404


def test_a_hidden_board_costs_a_visitor_no_more_than_a_missing_event(client, scored, db):
    """Anonymous readers of a hidden board get their 404 without the board or the event
    being read again: no extra work to time, none per poll of an open page."""
    from sqlalchemy import event

    def queries(url: str) -> int:
        seen = []

        def count(*_args, **_kwargs):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 404
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    client.get(API)  # the pointer is remembered from here on
    assert queries(API) == 0
    assert queries("/api/v1/events/no-such-event/leaderboard") == 0
