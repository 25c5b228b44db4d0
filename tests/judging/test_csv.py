"""CSV kinds `rubric`, `assignments` and `scores` through `flask import/export`."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from hackathon.judging.models import Assignment, Criterion, Score, ScoreChange
from hackathon.judging.rules import submitted_scores
from tests.factories import grant, make_company, make_submission, make_team, make_track
from tests.helpers import assign


def run(app, *args):
    return app.test_cli_runner().invoke(args=[*args])


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def export(app, slug, kind) -> list[dict]:
    result = run(app, "export", slug, kind, "-")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_rubric_imports_exports_and_reimports_unchanged(setup, app, db, tmp_path):
    text = (
        "name,weight,min,max,description\r\n"
        "기획력,3,1,10,아이디어의 참신함\r\n"
        "발표,0.5,0,4,전달력\r\n"
    )
    path = write(tmp_path, "rubric.csv", text, "cp949")  # as Korean Excel saves it
    first = run(app, "import", setup.event.slug, "rubric", path)
    assert first.exit_code == 0, first.output
    db.session.expire_all()
    rows = {c.name: c for c in db.session.scalars(select(Criterion))}
    assert (rows["기획력"].weight, rows["기획력"].description) == (3.0, "아이디어의 참신함")
    assert (rows["발표"].min_score, rows["발표"].max_score, rows["발표"].weight) == (0, 4, 0.5)
    assert rows["기획력"].name_en == "Idea"  # what the file does not carry is kept
    exported = export(app, setup.event.slug, "rubric")
    assert [r["name"] for r in exported] == ["기획력", "완성도", "발표"]
    again = run(
        app, "import", setup.event.slug, "rubric", write(tmp_path, "again.csv", "\ufeff" + text)
    )
    assert "0 created, 0 updated, 2 unchanged" in again.output


def test_bad_rubric_rows_are_all_reported_and_nothing_is_written(setup, app, db, tmp_path):
    text = (
        "name,weight,min,max,description\n"
        "새 기준,2,1,10,\n"
        ",1,1,5,\n"
        "무게,zero,1,5,\n"
        "범위,1,5,5,\n"
        "새 기준,1,1,5,\n"
    )
    result = run(app, "import", setup.event.slug, "rubric", write(tmp_path, "bad.csv", text))
    assert result.exit_code != 0
    for row in (3, 4, 5, 6):
        assert f"row {row}:" in result.output or f"{row}행" in result.output
    db.session.expire_all()
    assert "새 기준" not in {c.name for c in db.session.scalars(select(Criterion))}


def test_rubric_import_is_refused_once_scoring_started(setup, app, db, tmp_path):
    a = assign(setup, setup.judges[0], setup.teams[0])
    db.session.add(Score(assignment_id=a.id, criterion_id=setup.criteria[0].id, value=5))
    db.session.commit()
    result = run(
        app,
        "import",
        setup.event.slug,
        "rubric",
        write(tmp_path, "r.csv", "name,weight,min,max\n새 기준,1,1,5\n"),
    )
    assert result.exit_code != 0
    db.session.expire_all()
    assert db.session.scalar(select(Criterion).where(Criterion.name == "새 기준")) is None


def test_assignments_import_export_and_conflicts(setup, app, db, tmp_path):
    acme = make_company("에이크미")
    acme_team = make_team(setup.event, "에이크미 팀", track=make_track(setup.event, company=acme))
    make_submission(acme_team, title="x")
    acme_judge = setup.judges[3]
    grant(setup.event, acme_judge, "company_rep", acme)
    j0, j1 = setup.judges[0].email, setup.judges[1].email
    text = f"judge_email,team\n{j0},팀 1\n{j1},팀 1\n{j0.upper()},팀 2\n"
    done = run(app, "import", setup.event.slug, "assignments", write(tmp_path, "a.csv", text))
    assert done.exit_code == 0, done.output
    exported = export(app, setup.event.slug, "assignments")
    assert sorted((r["judge_email"], r["team"]) for r in exported) == sorted(
        [(j0, "팀 1"), (j1, "팀 1"), (j0, "팀 2")]
    )
    again = run(app, "import", setup.event.slug, "assignments", write(tmp_path, "b.csv", text))
    assert "0 created" in again.output

    bad = (
        f"judge_email,team\n{acme_judge.email},에이크미 팀\nnobody@example.test,팀 1\n"
        f"{j0},없는 팀\n{j1},팀 3\n"
    )
    refused = run(app, "import", setup.event.slug, "assignments", write(tmp_path, "c.csv", bad))
    assert refused.exit_code != 0
    assert "에이크미" in refused.output
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(Assignment).where(Assignment.team_id.in_([acme_team.id, setup.teams[2].id]))
        )
        is None
    )


def test_scores_import_as_submitted_audited_and_round_trips(setup, app, db, tmp_path):
    idea, execution = setup.criteria
    judge = setup.judges[0]
    text = (
        "judge_email,team,criterion,score,feedback\n"
        f"{judge.email},팀 1,기획력,8,발표가 명확함\n"
        f"{judge.email},팀 1,Execution,4,발표가 명확함\n"
        f"{judge.email},팀 2,기획력,3,\n"
        f"{judge.email},팀 2,완성도,2,\n"
    )
    done = run(app, "import", setup.event.slug, "scores", write(tmp_path, "s.csv", text))
    assert done.exit_code == 0, done.output
    rows = {(r.team_id, r.criterion_id): r.value for r in submitted_scores(setup.event)}
    assert rows == {
        (setup.teams[0].id, idea.id): 8,
        (setup.teams[0].id, execution.id): 4,
        (setup.teams[1].id, idea.id): 3,
        (setup.teams[1].id, execution.id): 2,
    }
    db.session.expire_all()
    first = db.session.scalar(select(Assignment).where(Assignment.team_id == setup.teams[0].id))
    assert first.feedback == "발표가 명확함"
    sources = set(db.session.scalars(select(ScoreChange.source)))
    assert sources == {"import"}

    exported = export(app, setup.event.slug, "scores")
    assert len(exported) == 4
    path = tmp_path / "export.csv"
    path.write_text(run(app, "export", setup.event.slug, "scores", "-").output, "utf-8")
    audit_rows = db.session.query(ScoreChange).count()
    again = run(app, "import", setup.event.slug, "scores", str(path))
    assert "0 created, 0 updated, 4 unchanged" in again.output
    db.session.expire_all()
    assert db.session.query(ScoreChange).count() == audit_rows  # nothing changed, nothing logged


def test_bad_score_rows_are_reported_by_row_and_nothing_is_written(setup, app, db, tmp_path):
    judge = setup.judges[0]
    text = (
        "judge_email,team,criterion,score\n"
        f"{judge.email},팀 1,기획력,11\n"
        f"{judge.email},팀 1,완성도,2.5\n"
        f"{judge.email},팀 1,없는 기준,3\n"
        f"{judge.email},팀 2,기획력,5\n"
    )  # 팀 2 lacks 완성도
    result = run(app, "import", setup.event.slug, "scores", write(tmp_path, "s.csv", text))
    assert result.exit_code != 0
    for row in (2, 3, 4, 5):
        assert f"row {row}:" in result.output or f"{row}행" in result.output
    db.session.expire_all()
    assert db.session.query(Score).count() == 0
    assert db.session.query(Assignment).count() == 0
