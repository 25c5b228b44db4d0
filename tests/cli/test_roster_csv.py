"""`import`/`export SLUG roster FILE`: encodings, all-or-nothing, idempotent, round trip."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import make_event, make_user

HEADER = "email,name,role,team,track,company,skills"
ROSTER = [
    HEADER,
    "kim.minjun@example.test,김민준,participant,,,,python;ML;python",
    "lee.seoyeon@example.test,이서연,participant,,,,",
    "park.jiho@example.test,박지호,judge,,,한빛데이터,",
    "park.jiho@example.test,박지호,mentor,,,한빛데이터,",
    "choi.yuna@example.test,최유나,organizer,,,,",
    "jung.hyun@example.test,정현,company_rep,,,누리로보틱스,",
]


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return str(path)


def counts(db):
    from hackathon.accounts.models import User
    from hackathon.events.models import Company, EventRole

    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (User, EventRole, Company)
    )


def names(db):
    from hackathon.accounts.models import User

    return set(db.session.scalars(db.select(User.name)))


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig", "utf-8"])
def test_import_reads_korean_in_every_supported_encoding(cli, db, tmp_path, encoding):
    event = make_event("cohort-x")
    path = write(tmp_path / "roster.csv", ROSTER, encoding)
    result = cli("import", event.slug, "roster", path)
    assert result.exit_code == 0, result.output
    assert "6 created" in result.output
    assert names(db) == {"김민준", "이서연", "박지호", "최유나", "정현"}
    assert counts(db) == (5, 6, 2)


def test_the_roster_sets_roles_companies_and_skills(cli, db, tmp_path):
    from hackathon.accounts.models import User
    from hackathon.events.models import EventRole

    event = make_event("cohort-x")
    assert cli("import", event.slug, "roster", write(tmp_path / "r.csv", ROSTER)).exit_code == 0
    minjun = db.session.scalar(db.select(User).where(User.email == "kim.minjun@example.test"))
    assert minjun.skill_list == ["python", "ml"]
    assert minjun.password_hash is None  # imported people set a password later
    rows = db.session.execute(
        db.select(User.email, EventRole.role, EventRole.company_id).join(
            EventRole, EventRole.user_id == User.id
        )
    ).all()
    roles = {(email, role) for email, role, _ in rows}
    assert ("park.jiho@example.test", "judge") in roles
    assert ("park.jiho@example.test", "mentor") in roles
    assert all(company for email, role, company in rows if email == "park.jiho@example.test")


def test_reimporting_changes_nothing(cli, db, tmp_path):
    event = make_event("cohort-x")
    path = write(tmp_path / "roster.csv", ROSTER, "cp949")
    assert cli("import", event.slug, "roster", path).exit_code == 0
    before = counts(db)
    again = cli("import", event.slug, "roster", path)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 6 unchanged" in again.output
    assert counts(db) == before


def test_a_changed_row_is_an_update_not_a_duplicate(cli, db, tmp_path):
    event = make_event("cohort-x")
    cli("import", event.slug, "roster", write(tmp_path / "a.csv", ROSTER))
    changed = [line.replace("이서연", "이서윤") for line in ROSTER]
    result = cli("import", event.slug, "roster", write(tmp_path / "b.csv", changed))
    assert "0 created, 1 updated, 5 unchanged" in result.output
    assert "이서윤" in names(db)
    assert counts(db) == (5, 6, 2)


def test_an_existing_account_is_reused(cli, db, tmp_path):
    make_user("Kim.Minjun@example.test".lower(), "김민준")
    event = make_event("cohort-x")
    cli("import", event.slug, "roster", write(tmp_path / "a.csv", ROSTER))
    assert counts(db)[0] == 5


def test_one_bad_row_writes_nothing_and_names_the_row(cli, db, tmp_path):
    event = make_event("cohort-x")
    lines = [*ROSTER]
    lines[3] = "park.jiho@example.test,박지호,wizard,,,한빛데이터,"
    before = counts(db)
    result = cli("import", event.slug, "roster", write(tmp_path / "bad.csv", lines, "cp949"))
    assert result.exit_code != 0
    assert "row 4:" in result.output
    assert "wizard" in result.output
    assert "nothing was imported" in result.output
    assert counts(db) == before


def test_every_bad_row_gets_its_own_line(cli, db, tmp_path):
    event = make_event("cohort-x")
    lines = [
        HEADER,
        "not-an-email,이름,participant,,,,",
        "ok@example.test,,participant,,,,",
        "ok2@example.test,둘,judge,,,,",
        "ok2@example.test,둘,judge,,,,",
        "ok3@example.test,셋,participant,,,,,extra",
    ]
    result = cli("import", event.slug, "roster", write(tmp_path / "bad.csv", lines))
    assert result.exit_code != 0
    for row in (2, 3, 5, 6):
        assert f"row {row}:" in result.output, result.output
    assert "row 4:" not in result.output
    assert counts(db) == (0, 0, 0)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"email,name\r\na@example.test,A\r\n", "missing columns: role"),
        (b"email,name,role,age\r\n", "unknown columns: age"),
        (b"email,name,role,email\r\n", "twice"),
        (b"email,name,role\r\n" + b"\xff\xfe\xfa\xfb,x,y\r\n", "neither UTF-8 nor CP949"),
    ],
)
def test_a_bad_file_is_explained(cli, db, tmp_path, content, says):
    event = make_event("cohort-x")
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = cli("import", event.slug, "roster", str(path))
    assert result.exit_code != 0
    assert says in result.output
    assert "row 1:" in result.output


def test_import_reads_stdin(cli, db):
    event = make_event("cohort-x")
    data = ("\r\n".join(ROSTER) + "\r\n").encode("cp949")
    result = cli("import", event.slug, "roster", "-", input=data)
    assert result.exit_code == 0, result.output
    assert counts(db)[1] == 6


def test_export_round_trips(cli, db, tmp_path):
    first = make_event("cohort-x")
    second = make_event("cohort-y")
    cli("import", first.slug, "roster", write(tmp_path / "in.csv", ROSTER, "cp949"))
    exported = cli("export", first.slug, "roster", "-")
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert len(rows) == 6
    assert {r["name"] for r in rows} == {"김민준", "이서연", "박지호", "최유나", "정현"}
    assert next(r for r in rows if r["role"] == "company_rep")["company"] == "누리로보틱스"
    out = tmp_path / "out.csv"
    assert cli("export", first.slug, "roster", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == exported.output
    again = cli("import", second.slug, "roster", str(out))
    assert again.exit_code == 0, again.output
    assert "0 updated" in again.output
    assert cli("export", second.slug, "roster", "-").output == exported.output


def test_demo_style_addresses_round_trip(cli, db, tmp_path):
    """The demo's `.test` addresses are exported, so they must import again."""
    event = make_event("cohort-x")
    lines = [HEADER, "trainee1@demo.test,김하늘,participant,,,,"]
    assert cli("import", event.slug, "roster", write(tmp_path / "d.csv", lines)).exit_code == 0


def test_unknown_kind_and_event_are_clear_errors(cli, db, tmp_path):
    event = make_event("cohort-x")
    path = write(tmp_path / "r.csv", ROSTER)
    unknown_kind = cli("import", event.slug, "potatoes", path)
    assert unknown_kind.exit_code != 0
    assert "potatoes" in unknown_kind.output
    assert "roster" in unknown_kind.output  # lists what would work
    unknown_event = cli("import", "no-such-event", "roster", path)
    assert unknown_event.exit_code != 0
    assert "no-such-event" in unknown_event.output
    export_kind = cli("export", event.slug, "potatoes", "-")
    assert export_kind.exit_code != 0
    assert "potatoes" in export_kind.output
    export_event = cli("export", "no-such-event", "roster", str(tmp_path / "x.csv"))
    assert export_event.exit_code != 0
    assert "no-such-event" in export_event.output
    assert not (tmp_path / "x.csv").exists()
    assert "Traceback" not in unknown_event.output + export_event.output
