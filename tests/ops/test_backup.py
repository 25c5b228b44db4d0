"""`backup` and `restore`: the demo backed up, the database wiped and restored gives the
same rows in every table and a working app; a database that is not empty, a damaged
backup, another schema or missing files are refused with nothing written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hackathon.extensions import db
from hackathon.storage import get_storage
from tests.factories import make_user
from tests.helpers import Client, clear_tables


def every_row() -> dict[str, list[tuple]]:
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        ]
        for table in db.metadata.sorted_tables
    }


def rows_in_all_tables() -> int:
    return sum(
        db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    )


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        result = runner.invoke(args=list(args))
        db.session.remove()
        return result

    return run


def rewrite(source: Path, target: Path, change) -> None:
    """A copy of a backup with `change(name, bytes) -> bytes` applied to each member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))


def test_the_demo_round_trip(app, cli, tmp_path):
    assert cli("demo").exit_code == 0
    before = every_row()
    files = json.loads(json.dumps(before["submission_files"], default=str))
    assert files, "the demo stores files"
    path = tmp_path / "site.zip"
    made = cli("backup", str(path))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("backup.json"))
        manifest = [json.loads(line) for line in archive.read("storage.jsonl").splitlines()]
    assert header["tables"] == {name: len(rows) for name, rows in before.items()}
    assert len(manifest) == header["objects"] > 0
    storage = get_storage()
    for item in manifest:
        assert storage.head(item["key"]).size == item["size"]

    again = cli("backup", str(path))
    assert again.exit_code != 0  # an existing file is never overwritten
    refused = cli("restore", str(path))
    assert refused.exit_code != 0
    assert "--force" in refused.output

    clear_tables(db)
    assert rows_in_all_tables() == 0
    restored = cli("restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert every_row() == before

    # New rows take new ids (PostgreSQL's sequences continue after the restored ones).
    newcomer = make_user("after-restore@example.test")
    assert newcomer.id > max(row[0] for row in before["users"])

    app.test_client_class = Client
    browser = app.test_client()
    browser.get("/login")
    signed_in = browser.form_post(
        "/login", {"email": "organizer@demo.test", "password": "demo-password"}
    )
    assert signed_in.status_code == 302
    assert browser.get("/api/v1/me").json["is_admin"]
    board = browser.get("/events/cohort1-fintech/leaderboard")
    assert board.status_code == 200
    team = db.session.scalar(
        select(db.metadata.tables["teams"].c.name)
        .join(db.metadata.tables["events"])
        .where(db.metadata.tables["events"].c.slug == "cohort1-fintech")
        .limit(1)
    )
    assert team in board.get_data(as_text=True)


@pytest.fixture
def small(app, cli, tmp_path) -> Path:
    for n in range(3):
        make_user(f"small{n}@example.test", f"작은 {n}")
    path = tmp_path / "small.zip"
    assert cli("backup", str(path)).exit_code == 0
    return path


def test_force_replaces_every_row(small, cli):
    before = every_row()
    make_user("later@example.test")
    result = cli("restore", "--force", str(small))
    assert result.exit_code == 0, result.output
    assert every_row() == before


def test_a_damaged_backup_writes_nothing(small, cli, tmp_path):
    clear_tables(db)
    damaged = tmp_path / "damaged.zip"

    def change(name: str, data: bytes) -> bytes:
        if name == "tables/users.jsonl":
            lines = data.splitlines()
            row = json.loads(lines[-1])
            row["created_at"] = "not a time"
            return b"\n".join([*lines[:-1], json.dumps(row).encode()]) + b"\n"
        return data

    rewrite(small, damaged, change)
    result = cli("restore", str(damaged))
    assert result.exit_code != 0
    assert "not a time" in result.output  # the refused value is named
    assert rows_in_all_tables() == 0  # not even the users before the damaged one


def test_a_duplicate_row_rolls_back_everything_even_with_force(small, cli, tmp_path):
    before = every_row()
    doubled = tmp_path / "doubled.zip"

    def change(name: str, data: bytes) -> bytes:
        if name == "tables/users.jsonl":
            return data + data.splitlines()[0] + b"\n"
        if name == "backup.json":
            header = json.loads(data)
            header["tables"]["users"] += 1
            return json.dumps(header).encode()
        return data

    rewrite(small, doubled, change)
    result = cli("restore", "--force", str(doubled))
    assert result.exit_code != 0
    assert every_row() == before  # the rows deleted by --force are back


def test_a_backup_of_another_schema_is_refused(small, cli, tmp_path):
    clear_tables(db)
    other = tmp_path / "other.zip"

    def change(name: str, data: bytes) -> bytes:
        if name == "backup.json":
            header = json.loads(data)
            header["revision"] = "0001_something_else"
            return json.dumps(header).encode()
        return data

    rewrite(small, other, change)
    result = cli("restore", str(other))
    assert result.exit_code != 0
    assert "0001_something_else" in result.output
    assert rows_in_all_tables() == 0


def test_a_file_that_is_not_a_backup_is_refused(app, cli, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"hello")
    result = cli("restore", str(junk))
    assert result.exit_code != 0
    assert str(junk) in result.output


def test_files_missing_from_storage_are_reported(app, cli, tmp_path):
    assert cli("demo").exit_code == 0
    path = tmp_path / "site.zip"
    assert cli("backup", str(path)).exit_code == 0
    with zipfile.ZipFile(path) as archive:
        first = json.loads(archive.read("storage.jsonl").splitlines()[0])
    storage = get_storage()
    kept = b"".join(storage.iter_bytes(first["key"]))
    storage.delete(first["key"])
    try:
        clear_tables(db)
        refused = cli("restore", str(path))
        assert refused.exit_code != 0
        assert first["key"] in refused.output
        assert rows_in_all_tables() == 0
        allowed = cli("restore", "--allow-missing", str(path))
        assert allowed.exit_code == 0, allowed.output
        assert first["key"] in allowed.output
        assert rows_in_all_tables() > 0
    finally:
        storage.put(first["key"], kept, "application/octet-stream")
