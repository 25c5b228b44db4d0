"""The leaderboard's API body, ETag and 304, gzip, per-track boards and the CSV."""

from __future__ import annotations

import csv
import gzip
import io

import pytest

from hackathon.leaderboard.logic import ranking

API = "/api/v1/events/hack/leaderboard"


@pytest.fixture
def live(scored, set_state):
    set_state("live")
    return scored


def expected_order(scored, mode="zscore"):
    from hackathon.leaderboard.services.inputs import load_inputs

    inputs = load_inputs(scored.event.id)
    rows = ranking.compute_leaderboard(inputs.criteria, inputs.teams, inputs.scores, mode)
    return [(r.rank, r.team.name) for r in rows], rows


def test_body_follows_the_contract(client, live):
    response = client.get(API)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert {"event", "state", "mode", "generated_at", "rows"} <= set(body)
    assert (body["event"], body["state"], body["mode"]) == ("hack", "live", "zscore")
    row = body["rows"][0]
    assert {"rank", "team", "track", "score", "raw_score", "judges", "criteria"} <= set(row)
    assert set(row["team"]) == {"id", "name"}
    assert set(row["criteria"]) == {"아이디어", "기술"}
    assert all(0 <= v <= 100 for r in body["rows"] for v in r["criteria"].values())
    order, _ = expected_order(live)
    assert [(r["rank"], r["team"]["name"]) for r in body["rows"]] == order
    assert [r["judges"] for r in body["rows"]] == [3, 3, 3, 3, 0]


def test_scores_are_rounded_for_display_but_ranked_on_full_precision(client, live):
    body = client.get(API).get_json()
    _, rows = expected_order(live)
    for shown, exact in zip(body["rows"], rows, strict=True):
        if exact.score is None:
            assert shown["score"] is None
            continue
        assert shown["score"] == round(exact.score, 3)
        assert shown["raw_score"] == round(exact.raw_score, 2)
        assert all(v == round(v, 2) for v in shown["criteria"].values())


def test_raw_mode_event(client, scored, set_state, db):
    scored.event.scoring_mode = "raw"
    db.session.commit()
    set_state("live")
    body = client.get(API).get_json()
    assert body["mode"] == "raw"
    order, _ = expected_order(scored, "raw")
    assert [(r["rank"], r["team"]["name"]) for r in body["rows"]] == order


def test_etag_and_304(client, live, more_scores):
    first = client.get(API)
    etag = first.headers["ETag"]
    assert etag.startswith('"')  # strong: it names these bytes
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(API, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    more_scores(4)
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_gzip_when_the_reader_accepts_it(client, live):
    plain = client.get(API)
    packed = client.get(API, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    # Other bytes, another strong tag; either one held is the same content: 304.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    for held in (plain.headers["ETag"], packed.headers["ETag"]):
        again = client.get(API, headers={"Accept-Encoding": "gzip", "If-None-Match": held})
        assert again.status_code == 304
        assert again.headers["ETag"] == packed.headers["ETag"]


def test_track_board_is_ranked_within_the_track(client, live):
    finance, security = live.tracks
    body = client.get(f"{API}?track={finance.id}").get_json()
    assert body["track"]["name"] == "금융"
    assert [(r["rank"], r["team"]["name"]) for r in body["rows"]] == [(1, "A"), (2, "B")]
    body = client.get(f"{API}?track={security.id}").get_json()
    assert [r["rank"] for r in body["rows"]] == [1, 2]
    assert client.get(f"{API}?track=999999").status_code == 404
    assert client.get(f"{API}?track=abc").status_code == 404


def test_csv_has_the_export_columns(client, live):
    response = client.get(API + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "ETag" in response.headers
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["rank", "team", "track", "score", "raw_score", "judges", "아이디어", "기술"]
    assert len(rows) == 6
    assert rows[-1][:2] == ["", "E"]
    body = client.get(API).get_json()
    assert [r[1] for r in rows[1:]] == [r["team"]["name"] for r in body["rows"]]
    assert rows[1][3] == str(body["rows"][0]["score"])


def test_export_kind_matches(app, live):
    from hackathon.registry import get_registry

    kind = get_registry().csv_kinds["leaderboard"]
    columns = kind.columns + kind.dynamic_columns(live.event)
    assert columns == ("rank", "team", "track", "score", "raw_score", "judges", "아이디어", "기술")
    records = list(kind.exporter(live.event))
    assert [r["team"] for r in records][-1] == "E"
    assert kind.importer is None


def test_openapi_describes_both_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    board = spec["paths"]["/events/{slug}/leaderboard"]["get"]
    assert {"200", "304", "404"} <= set(board["responses"])
    assert "/events/{slug}/leaderboard.csv" in spec["paths"]


def test_organizer_options_from_anyone_else_give_the_public_view(client, scored, set_state):
    set_state("frozen")
    public = client.get(API).get_data()
    assert client.get(API + "?source=current").get_data() == public
    assert client.get(API + "?snapshot=1&mode=raw").get_data() == public
    set_state("hidden")
    assert client.get(API + "?source=current").status_code == 404
    assert client.get(API + "?snapshot=1").status_code == 404


def test_csv_starts_with_a_bom_for_korean_excel(client, live):
    body = client.get(API + ".csv").get_data()
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").startswith("rank,team,track")


def test_no_gzip_for_a_reader_that_refuses_it(client, live):
    response = client.get(API, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["rows"]


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "gzip",
        "GZip",
        "deflate, gzip",
        "br,gzip ",
        "*",
        "x-gzip",
        "deflate",
        "identity",
        "gzip;q=0",
        "gzip;q=0, identity",
        "deflate, gzip;q=0.5",
        "*;q=0",
        "gzip;q=0, *",
    ],
)
def test_gzip_is_read_from_accept_encoding_as_the_full_parser_reads_it(app, accept):
    from hackathon.leaderboard.api import takes_gzip

    with app.test_request_context(headers={"Accept-Encoding": accept} if accept else {}):
        from flask import request

        assert takes_gzip() == bool(request.accept_encodings["gzip"])


def test_the_csv_is_named_a_download_and_its_304_is_not(client, live):
    first = client.get(API + ".csv")
    assert first.headers["Content-Disposition"] == 'attachment; filename="hack-leaderboard.csv"'
    again = client.get(API + ".csv", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Content-Disposition" not in again.headers
    assert (again.headers["Cache-Control"], again.headers["Vary"]) == (
        "no-cache",
        "Accept-Encoding, Cookie",
    )


def test_csv_rows_are_the_leaderboard_exports_rows(client, live):
    from hackathon import csvio
    from hackathon.registry import get_registry

    kind = get_registry().csv_kinds["leaderboard"]
    exported = csvio.write(
        kind, kind.exporter(live.event), kind.columns + kind.dynamic_columns(live.event)
    )
    assert client.get(API + ".csv").get_data().decode("utf-8-sig") == exported
