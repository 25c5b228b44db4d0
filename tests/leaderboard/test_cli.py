"""`leaderboard SLUG` and `export SLUG leaderboard`: the organizers' view, any state."""

from __future__ import annotations

import csv
import io
import json


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_table_whatever_the_state(app, scored):
    result = run(app, "leaderboard", "hack")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "hack · hidden · zscore"
    assert lines[1].split()[:2] == ["rank", "team"]
    assert lines[2].split()[:2] == ["1", "A"]
    assert lines[-1].split()[:2] == ["-", "E"]


def test_json_and_csv_in_both_modes(app, scored):
    for mode in ("zscore", "raw"):
        out = run(app, "leaderboard", "hack", "--format", "json", "--mode", mode)
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        assert data["mode"] == mode
        assert len(data["rows"]) == 5
    out = run(app, "leaderboard", "hack", "--format", "csv", "--mode", "raw")
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[0] == ["rank", "team", "track", "score", "raw_score", "judges", "아이디어", "기술"]
    assert rows[1][1] == "A"


def test_export_kind(app, scored):
    out = run(app, "export", "hack", "leaderboard", "-")
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[0][-2:] == ["아이디어", "기술"]
    assert len(rows) == 6


def test_unknown_event(app):
    out = run(app, "leaderboard", "nope")
    assert out.exit_code != 0
    assert "no event" in out.output


def test_scores_that_do_not_fit_the_rubric_are_one_clear_line(app, scored, db):
    idea, _tech = scored.criteria
    idea.max_score = 5
    db.session.commit()
    out = run(app, "leaderboard", "hack")
    assert out.exit_code != 0
    assert "Traceback" not in out.output
    assert "rubric" in out.output
    assert out.exception is None or isinstance(out.exception, SystemExit)
