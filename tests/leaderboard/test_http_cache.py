"""What caches may do with the board, per state: a published board is public for a while
(then stale while fetched again), a live or frozen one is asked again every time, an
organizer's view of a hidden board is kept nowhere; every view has a strong ETag that every
process gives the same content, and answers If-None-Match with 304."""

from __future__ import annotations

import time

import pytest

API = "/api/v1/events/hack/leaderboard"
PAGE = "/events/hack/leaderboard"
PUBLISHED = "public, max-age=30, stale-while-revalidate=60"


def _reads(client, **headers):
    return {
        "api": client.get(API, headers=headers),
        "csv": client.get(API + ".csv", headers=headers),
        "page": client.get(PAGE, headers=headers),
    }


@pytest.mark.parametrize(
    ("states", "expected"),
    [(["live"], "no-cache"), (["live", "frozen"], "no-cache"), (["published"], PUBLISHED)],
)
def test_each_public_state_says_how_long_and_answers_304(
    new_client, scored, set_state, states, expected
):
    for state in states:
        set_state(state)
    for kind, response in _reads(new_client(), **{"Accept-Language": "en"}).items():
        assert response.status_code == 200, kind
        assert response.headers["Cache-Control"] == expected, kind
        assert not response.headers.getlist("Set-Cookie"), kind
        etag = response.headers["ETag"]
        assert etag.startswith('"'), kind  # strong
        path = {"api": API, "csv": API + ".csv", "page": PAGE}[kind]
        again = new_client().get(path, headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert again.status_code == 304, kind
        assert again.get_data() == b""
        assert again.headers["Cache-Control"] == expected, kind


def test_a_hidden_board_is_kept_nowhere(new_client, login, scored, set_state):
    set_state("live")
    set_state("hidden")
    visitor = _reads(new_client())
    assert {kind: r.status_code for kind, r in visitor.items()} == dict.fromkeys(visitor, 404)
    organizer = login(scored.organizer, client=new_client())
    for kind, response in _reads(organizer).items():
        assert response.status_code == 200, kind
        assert response.headers["Cache-Control"] == "no-store", kind


def test_an_organizers_own_view_of_a_public_board_is_kept_nowhere(
    new_client, login, scored, set_state
):
    set_state("published")
    organizer = login(scored.organizer, client=new_client())
    current = organizer.get(API + "?source=current")
    assert current.headers["Cache-Control"] == "no-store"
    public = organizer.get(API)  # the public view, but to a signed-in browser
    assert public.headers["Cache-Control"] == PUBLISHED.replace("public", "private")
    assert "Cookie" in public.headers["Vary"]


@pytest.mark.parametrize("state", ["live", "published"])
def test_every_process_gives_the_same_content_the_same_etag(
    app, new_client, scored, set_state, state
):
    """A process that computed the board a moment later (a fresh cache is a process that
    has not computed it yet) sends the same bytes: the ETag names the content only."""
    set_state(state)
    first = new_client().get(API)
    time.sleep(0.01)
    app.extensions.pop("leaderboard_cache", None)
    second = new_client().get(API, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304
    app.extensions.pop("leaderboard_cache", None)
    again = new_client().get(API)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    # The time a live board gives is that of its revision, the same everywhere.
    assert again.get_json()["generated_at"] == first.get_json()["generated_at"]


def test_a_new_score_on_a_live_board_is_a_new_etag(app, new_client, scored, set_state, more_scores):
    saved = app.config["LEADERBOARD_LIVE_SECONDS"]
    app.config["LEADERBOARD_LIVE_SECONDS"] = 0
    try:
        set_state("live")
        first = new_client().get(API)
        more_scores(2)
        changed = new_client().get(API, headers={"If-None-Match": first.headers["ETag"]})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != first.headers["ETag"]
        assert changed.get_json()["generated_at"] >= first.get_json()["generated_at"]
    finally:
        app.config["LEADERBOARD_LIVE_SECONDS"] = saved
