"""A live board under a stream of scores: its public view is computed at most once per
LEADERBOARD_LIVE_SECONDS in a process, new scores show within that time, and a change of
state shows at once."""

from __future__ import annotations

import time

import pytest

from hackathon.leaderboard.services import board as services

API = "/api/v1/events/hack/leaderboard"


def computations() -> int:
    return services.STATS["computations"]


def judges_of(client, team: str, **kwargs) -> int:
    rows = client.get(API, **kwargs).get_json()["rows"]
    return next(r for r in rows if r["team"]["name"] == team)["judges"]


@pytest.fixture
def live_seconds(app):
    def use(seconds: float) -> None:
        app.config["LEADERBOARD_LIVE_SECONDS"] = seconds

    saved = app.config["LEADERBOARD_LIVE_SECONDS"]
    yield use
    app.config["LEADERBOARD_LIVE_SECONDS"] = saved


def test_a_stream_of_scores_computes_the_live_board_once_in_the_interval(
    client, scored, set_state, more_scores, live_seconds
):
    live_seconds(60)
    set_state("live")
    first = client.get(API)
    before = computations()
    for _ in range(5):
        more_scores(2)
        again = client.get(API, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304  # the board computed within the interval
    assert computations() == before
    assert judges_of(client, "E") == 0


def test_new_scores_show_once_the_interval_is_over(
    client, scored, set_state, more_scores, live_seconds
):
    live_seconds(0.3)
    set_state("live")
    assert judges_of(client, "E") == 0
    more_scores(4)
    assert judges_of(client, "E") == 0
    time.sleep(0.35)
    before = computations()
    assert judges_of(client, "E") == 2
    assert computations() == before + 1


def test_freezing_publishing_and_hiding_show_at_once(
    client, scored, set_state, more_scores, live_seconds
):
    live_seconds(60)
    set_state("live")
    assert client.get(API).get_json()["state"] == "live"
    more_scores(4)
    set_state("frozen")
    frozen = client.get(API).get_json()
    assert frozen["state"] == "frozen"
    assert next(r for r in frozen["rows"] if r["team"]["name"] == "E")["judges"] == 2
    set_state("published")
    assert client.get(API).get_json()["state"] == "published"
    set_state("live")
    assert client.get(API).get_json()["state"] == "live"
    set_state("hidden")
    assert client.get(API).status_code == 404


def test_organizers_current_scores_do_not_wait(
    client, organizer_client, scored, set_state, more_scores, live_seconds
):
    live_seconds(60)
    set_state("live")
    assert judges_of(client, "E") == 0
    more_scores(4)
    assert judges_of(organizer_client, "E", query_string={"source": "current"}) == 2
    assert judges_of(client, "E") == 0


def test_by_default_the_live_board_is_at_most_two_seconds_behind():
    from config import Config

    assert Config({}).LEADERBOARD_LIVE_SECONDS == 2.0
    assert Config({"LEADERBOARD_LIVE_SECONDS": "0"}).LEADERBOARD_LIVE_SECONDS == 0
