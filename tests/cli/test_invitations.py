"""`import SLUG roster FILE --invite` (CSV in CP949, or an Excel workbook) and
`invitations send SLUG`, against a real SMTP server: one invitation per person who needs
one, none for people with a password, nothing more on a second run."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.mail import MailStatus, OutboxMessage
from tests.factories import grant, make_event, make_user

HEADER = ["email", "name", "role", "team", "track", "company", "skills"]
PEOPLE = [
    ["kim.minjun@example.test", "김민준", "participant", "", "", "", "python;ML"],
    ["lee.seoyeon@example.test", "이서연", "participant", "", "", "", ""],
    ["park.jiho@example.test", "박지호", "judge", "", "", "한빛데이터", ""],
    ["park.jiho@example.test", "박지호", "mentor", "", "", "한빛데이터", ""],
    # Has an account with a password already: imported, never invited.
    ["choi.yuna@example.test", "최유나", "organizer", "", "", "", ""],
]
NEW = ["kim.minjun@example.test", "lee.seoyeon@example.test", "park.jiho@example.test"]


def cp949_file(path, rows):
    lines = [",".join(HEADER), *(",".join(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp949"))
    return str(path)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_file(path, rows):
    path.write_bytes(xlsx_bytes(rows))
    return str(path)


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.fixture
def event(app):
    make_user("choi.yuna@example.test", "최유나")
    return make_event("spring-hack")


@pytest.mark.parametrize("make_file", [cp949_file, xlsx_file], ids=["cp949-csv", "xlsx"])
def test_import_with_invite_sends_one_invitation_per_new_person(
    cli, app, event, smtp_server, tmp_path, make_file
):
    path = make_file(tmp_path / "roster.file", PEOPLE)
    result = cli("import", event.slug, "roster", path, "--invite")
    assert result.exit_code == 0, result.output
    assert "roster: 5 created" in result.output
    assert "3 people invited" in result.output
    wait_idle(app)
    for email in NEW:
        [mail] = smtp_server.to(email)
        assert "spring-hack" not in mail["Subject"]  # the event's name, not its address
        assert "/invite/" in smtp_server.text(mail)
    assert smtp_server.to("choi.yuna@example.test") == []
    assert len(smtp_server.messages) == 3
    names = set(db.session.scalars(select(User.name)))
    assert {"김민준", "이서연", "박지호", "최유나"} <= names
    db.session.expire_all()
    assert set(db.session.scalars(select(OutboxMessage.status))) == {MailStatus.SENT}

    again = cli("import", event.slug, "roster", path, "--invite")
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 5 unchanged" in again.output
    assert "0 people invited" in again.output
    wait_idle(app)
    assert len(smtp_server.messages) == 3
    assert outbox_count() == 3


def test_the_invitation_speaks_korean_and_its_link_is_stored_hashed(
    cli, app, event, smtp_server, tmp_path
):
    import hashlib
    import re

    path = cp949_file(tmp_path / "r.csv", PEOPLE[:1])
    assert cli("import", event.slug, "roster", path, "--invite").exit_code == 0
    wait_idle(app)
    [mail] = smtp_server.to("kim.minjun@example.test")
    text = smtp_server.text(mail)
    assert "김민준" in text
    assert re.search(r"[\uac00-\ud7a3]", mail["Subject"])
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", text).group(1)
    row = db.session.scalar(select(AccountToken))
    assert row.purpose == TokenPurpose.INVITE
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_import_without_invite_sends_nothing(cli, app, event, smtp_server, tmp_path):
    result = cli("import", event.slug, "roster", cp949_file(tmp_path / "r.csv", PEOPLE))
    assert result.exit_code == 0, result.output
    assert "invited" not in result.output
    wait_idle(app)
    assert smtp_server.messages == []
    assert outbox_count() == 0


def test_a_workbook_reads_cells_as_excel_shows_them(cli, event, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["jung.hyun@example.test", "정현", "participant", "", "", "", date(2026, 3, 1)])
    sheet["G2"].number_format = "yyyy-mm-dd"
    sheet.append([])  # a blank line in the middle counts as a row, as in Excel
    sheet.append(["han.bit@example.test", 2026, "participant", "", "", "", 12345])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    result = cli("import", event.slug, "roster", str(path))
    assert result.exit_code == 0, result.output
    people = dict(db.session.execute(select(User.email, User.skills)).all())
    assert people["jung.hyun@example.test"] == "2026-03-01"
    assert people["han.bit@example.test"] == "12345"
    assert db.session.scalar(select(User.name).where(User.email == "han.bit@example.test")) == (
        "2026"
    )


def test_a_bad_row_in_a_workbook_is_named_by_its_row_and_nothing_is_written(cli, event, tmp_path):
    rows = [*PEOPLE]
    rows[2] = ["park.jiho@example.test", "박지호", "wizard", "", "", "", ""]
    rows.insert(1, ["not-an-address", "누구", "participant", "", "", "", ""])
    path = xlsx_file(tmp_path / "bad.xlsx", rows)
    before = db.session.scalar(select(func.count()).select_from(User))
    result = cli("import", event.slug, "roster", path, "--invite")
    assert result.exit_code != 0
    assert "row 3:" in result.output
    assert "not-an-address" in result.output
    assert "row 5:" in result.output
    assert "wizard" in result.output
    assert "row 2:" not in result.output
    assert "row 4:" not in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert outbox_count() == 0


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("roster.xlsx", b"email,name,role\r\n", "not a real Excel workbook"),
        ("roster.xlsx", b"PK\x03\x04 broken zip", "not a real Excel workbook"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel file"),
        ("roster.csv", "email,name,role\r\n".encode("utf-16"), "neither CSV nor"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(cli, event, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("import", event.slug, "roster", str(path))
    assert result.exit_code != 0
    assert says in result.output
    assert "Nothing was imported." in result.output


def test_invite_goes_with_the_roster_only(cli, event, tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("name,company,capacity,description\r\n")
    result = cli("import", event.slug, "tracks", str(path), "--invite")
    assert result.exit_code != 0
    assert "--invite" in result.output


def without_password(email: str) -> User:
    user = make_user(email)
    user.password_hash = None
    db.session.commit()
    return user


def _invitation(user, *, expired=False, used=False):
    token = AccountToken(
        user_id=user.id,
        purpose=TokenPurpose.INVITE,
        token_hash=f"{user.id:064d}",
        expires_at=utcnow() + (timedelta(days=-1) if expired else timedelta(days=7)),
        used_at=utcnow() if used else None,
    )
    db.session.add(token)
    db.session.commit()


def test_invitations_send_invites_exactly_those_without_a_password_or_a_pending_invitation(
    cli, app, smtp_server
):
    event = make_event("spring-hack")
    never = without_password("never@example.test")
    pending = without_password("pending@example.test")
    expired = without_password("expired@example.test")
    with_password = make_user("member@example.test")
    elsewhere = without_password("elsewhere@example.test")
    for user, role in [(never, "participant"), (pending, "judge"), (expired, "mentor")]:
        grant(event, user, role)
    grant(event, never, "mentor")  # two roles, one invitation
    grant(event, with_password, "participant")
    grant(make_event("other-hack"), elsewhere, "participant")
    _invitation(pending)
    _invitation(expired, expired=True)

    result = cli("invitations", "send", event.slug)
    assert result.exit_code == 0, result.output
    assert "2 people invited" in result.output
    wait_idle(app)
    assert len(smtp_server.to("never@example.test")) == 1
    assert len(smtp_server.to("expired@example.test")) == 1
    for email in ("pending@example.test", "member@example.test", "elsewhere@example.test"):
        assert smtp_server.to(email) == []

    again = cli("invitations", "send", event.slug)
    assert again.exit_code == 0, again.output
    assert "0 people invited" in again.output
    wait_idle(app)
    assert len(smtp_server.messages) == 2


def test_invitations_send_names_an_unknown_event(cli):
    result = cli("invitations", "send", "no-such-event")
    assert result.exit_code != 0
    assert "no-such-event" in result.output
