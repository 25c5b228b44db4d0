"""Everything an event received, as one zip streamed while it is written (never in memory)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hackathon.csvio import neutralize
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.storage import Storage
from hackathon.submissions.models import FileSlot, FileStatus, Submission, SubmissionFile
from hackathon.teams.models import Team

FLUSH_AT = 1024 * 1024
MAX_PART = 120
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Entry:
    path: str
    key: str
    size: int
    sha256: str
    version: int
    team: str
    slot: str
    name: str
    uploaded_at: datetime


def _part(name: str, keep_extension: bool = False) -> str:
    """One path component: no folders, no tricks, still readable (Hangul kept), at most
    MAX_PART characters, a file keeping its extension when its name is cut short."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "_"
    if len(cleaned) <= MAX_PART:
        return cleaned
    stem, dot, ext = cleaned.rpartition(".")
    if keep_extension and dot and stem and len(ext) <= 10:
        return f"{stem[: MAX_PART - len(ext) - 1]}.{ext}"
    return cleaned[:MAX_PART]


def archive_entries(event: Event) -> list[Entry]:
    """The version that counts of every slot of every team, in team and slot order."""
    rows = db.session.execute(
        select(SubmissionFile, Team.name, FileSlot.key)
        .join(Submission, Submission.id == SubmissionFile.submission_id)
        .join(Team, Team.id == Submission.team_id)
        .join(FileSlot, FileSlot.id == SubmissionFile.slot_id)
        .where(Submission.event_id == event.id, SubmissionFile.status == FileStatus.READY)
        .order_by(Team.name, FileSlot.position, FileSlot.id, SubmissionFile.version.desc())
    ).all()
    entries, seen, folders = [], set(), _team_folders(rows)
    for row, team_name, slot_key in rows:
        if (row.submission_id, row.slot_id) in seen:
            continue  # an earlier version
        seen.add((row.submission_id, row.slot_id))
        name = _part(row.original_name, keep_extension=True)
        path = f"{folders[row.submission_id]}/{_part(slot_key)}/{name}"
        entries.append(
            Entry(
                path,
                row.key,
                row.size,
                row.sha256,
                row.version or 0,
                team_name,
                slot_key,
                row.original_name,
                row.completed_at or row.created_at,
            )
        )
    return entries


def _team_folders(rows: Sequence[Any]) -> dict[int, str]:
    """A folder per team; names that clean up alike (or differ only in case, as a laptop's
    disk sees them) get the submission's id, so no team's files overwrite another's unzipped."""
    names = {row.submission_id: _part(team_name) for row, team_name, _ in rows}
    counts = Counter(name.casefold() for name in names.values())
    return {
        submission_id: name if counts[name.casefold()] == 1 else f"{name} ({submission_id})"
        for submission_id, name in names.items()
    }


class _Sink:
    """A write-only file that zipfile fills and the response generator empties."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass  # zipfile leaves a file object it was given open; the response owns it

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks, self.size = [], 0
        return data


def manifest(entries: list[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["team", "slot", "file", "size", "sha256", "version", "uploaded_at", "path"])
    for e in entries:
        cells = [e.team, e.slot, e.name, e.size, e.sha256, e.version, e.uploaded_at, e.path]
        # Names come from teams: a cell starting with "=" would run as a formula in Excel.
        writer.writerow(
            [neutralize(c.isoformat() if isinstance(c, datetime) else c) for c in cells]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Korean Excel reads it right


def stream_archive(storage: Storage, entries: list[Entry], timezone: str) -> Iterator[bytes]:
    """Zip bytes as they are produced; files are stored as they are (media is compressed)."""
    zone = ZoneInfo(timezone)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr("manifest.csv", manifest(entries))
        yield sink.drain()
        for entry in entries:
            info = zipfile.ZipInfo(entry.path, _zip_time(entry.uploaded_at, zone))
            info.file_size = entry.size  # lets zipfile choose zip64 before writing
            with archive.open(info, "w") as out:
                for chunk in storage.iter_bytes(entry.key):
                    out.write(chunk)
                    if sink.size >= FLUSH_AT:
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()


def _zip_time(moment: datetime, zone: ZoneInfo) -> tuple[int, int, int, int, int, int]:
    local = moment.astimezone(zone)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
