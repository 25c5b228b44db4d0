"""Roster files from organizers: CSV (UTF-8, UTF-8 with BOM or CP949) or an Excel
workbook (.xlsx, its first sheet), read into exactly the checks of `import SLUG roster`.

On the people page a file goes through a preview before anything is written. Between
the two steps the file stays on the server, in the storage under a random key that names
the event and the organizer, for an hour; the confirmation reads it from there and checks
it again, so nothing the browser sends back is trusted.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit, csvio
from hackathon.accounts.models import User
from hackathon.accounts.services import normalize_email
from hackathon.db import utcnow
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.csv import RosterPlan, check_rows, plan_roster
from hackathon.events.logic import spreadsheet
from hackathon.events.models import Event
from hackathon.events.services.invitations import invite_due
from hackathon.extensions import db
from hackathon.i18n import human_size
from hackathon.registry import get_registry
from hackathon.storage.base import get_storage

MAX_FILE_BYTES = 5 * 1024 * 1024
UPLOAD_LIFETIME = timedelta(hours=1)
UPLOAD_PREFIX = "roster-uploads/"
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files


class UnreadableFile(ValidationFailed):
    code = "unreadable_file"
    message = _l(
        "This file is neither CSV nor an Excel workbook (.xlsx). Save it from Excel as "
        "“Excel workbook (.xlsx)” or as “CSV” and try again."
    )


class BrokenWorkbook(UnreadableFile):
    code = "broken_workbook"
    message = _l(
        "This is not a real Excel workbook (.xlsx): it cannot be opened. Save it from Excel "
        "again as “Excel workbook (.xlsx)” or as “CSV”."
    )


class OldExcelFile(UnreadableFile):
    code = "old_excel_file"
    message = _l(
        "This is an old Excel file (.xls). Save it from Excel as “Excel workbook (.xlsx)” "
        "or as “CSV” and try again."
    )


class FileTooLarge(UnreadableFile):
    code = "file_too_large"
    message = _l("The file is too large for a roster.")


class UploadGone(NotFound):
    code = "upload_gone"
    message = _l("This upload has expired or was used already. Upload the file again.")


def as_csv(data: bytes, filename: str = "") -> bytes:
    """The file as CSV bytes for csvio: a workbook's first sheet written out as CSV (cells
    as Excel shows them), a CSV file as it is; UnreadableFile for anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(_l("The file is larger than %(size)s.", size=human_size(MAX_FILE_BYTES)))
    if spreadsheet.looks_like_xlsx(data):
        try:
            rows = spreadsheet.read_rows(data)
        except spreadsheet.TooLarge:
            raise FileTooLarge() from None
        except spreadsheet.NotAWorkbook:
            raise BrokenWorkbook() from None
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise BrokenWorkbook()
    if data.startswith(OLE_MAGIC):
        raise OldExcelFile()
    if b"\x00" in data:
        raise UnreadableFile()  # binary, or UTF-16 text, which csvio does not read
    return data


def _kind() -> csvio.Kind:
    return get_registry().csv_kinds["roster"]


@dataclass
class Preview:
    """What a file would do: its problems by row, or the changes (never both)."""

    problems: list[csvio.RowProblem] = field(default_factory=list)
    plan: RosterPlan | None = None
    rows: int = 0


def preview(event: Event, data: bytes) -> Preview:
    """Every problem `import` would report for this file (CSV bytes), or the changes it
    would make; nothing is written."""
    try:
        rows, problems = csvio.parse_rows(data, _kind())
    except csvio.ImportFailed as failure:
        return Preview(problems=failure.problems)
    problems = sorted([*problems, *check_rows(event, rows)], key=lambda p: p.row)
    if problems:
        return Preview(problems=problems, rows=len(rows))
    return Preview(plan=plan_roster(event, rows), rows=len(rows))


def people_of(data: bytes) -> list[User]:
    """The accounts of everyone a (good, imported) roster file names."""
    emails = {normalize_email(row.get("email")) for row in csvio.parse(data, _kind())}
    return list(db.session.scalars(select(User).where(User.email.in_(emails))))


def import_file(event: Event, data: bytes, *, invite: bool) -> tuple[csvio.ImportResult, int]:
    """Import a roster file (CSV bytes) all or nothing (csvio.ImportFailed on any
    problem), then, if asked, invite the people of the file who are due an invitation.
    The result and how many were invited; the caller commits."""
    result = csvio.run_import(_kind(), event, data)
    invited = invite_due(event, people_of(data)) if invite else []
    if result.created or result.updated:  # importing the same file again records nothing
        audit.record(
            "roster.imported",
            event_id=event.id,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    return result, len(invited)


# The upload between preview and confirmation.


def _key(event: Event, user: User, upload_id: str) -> str:
    return f"{UPLOAD_PREFIX}{event.id}/{user.id}/{upload_id}"


def keep(event: Event, user: User, data: bytes) -> str:
    """Store an uploaded file for its confirmation; its id. Expired uploads go."""
    forget_expired()
    upload_id = secrets.token_urlsafe(24)
    get_storage().put(_key(event, user, upload_id), data, "application/octet-stream")
    return upload_id


def fetch(event: Event, user: User, upload_id: str) -> bytes:
    """The file this organizer uploaded for this event; UploadGone when it is not
    there (expired, confirmed, or someone else's)."""
    if not UPLOAD_ID.match(upload_id):
        raise UploadGone()
    storage = get_storage()
    key = _key(event, user, upload_id)
    info = storage.head(key)
    if info is None:
        raise UploadGone()
    if info.last_modified + UPLOAD_LIFETIME < utcnow():
        storage.delete(key)
        raise UploadGone()
    return b"".join(storage.iter_bytes(key))


def forget(event: Event, user: User, upload_id: str) -> None:
    if UPLOAD_ID.match(upload_id):
        get_storage().delete(_key(event, user, upload_id))


def forget_expired() -> None:
    storage = get_storage()
    limit = utcnow() - UPLOAD_LIFETIME
    for item in list(storage.list_objects(UPLOAD_PREFIX)):
        if item.last_modified < limit:
            storage.delete(item.key)
