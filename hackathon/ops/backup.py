"""A portable backup of the database and a manifest of the storage, and its restore.

A backup is one zip file:

- `backup.json`: the format, when it was made, the database it came from, the schema's
  migration revision, and the number of rows of every table;
- `tables/<table>.jsonl`: every row of every table of the models' metadata, one JSON
  object per line, in the order of the table's primary key;
- `storage.jsonl`: every object the records say storage holds (key, size, SHA-256).

Rows are read and written through SQLAlchemy's metadata, table by table in dependency
order, so a backup made on PostgreSQL restores on SQLite and the other way round. On
PostgreSQL it is read in one REPEATABLE READ transaction: a consistent picture while the
app keeps running. The files themselves are not copied (S3 versioning or replication, or
a copy of the local folder, keeps them); the manifest tells a restore whether the storage
it finds holds them. See docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

import base64
import json
import os
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import Connection, Table, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.registry import StoredObject, get_registry
from hackathon.storage import StorageError, get_storage

FORMAT = "hackathon-backup"
VERSION = 1
BATCH = 500


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why (in the reader's language)."""


@dataclass
class Missing:
    """Objects of the manifest that storage does not hold as recorded."""

    absent: list[str] = field(default_factory=list)
    wrong_size: list[str] = field(default_factory=list)
    wrong_hash: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.absent or self.wrong_size or self.wrong_hash)


@dataclass
class Restored:
    rows: dict[str, int]
    objects: int
    missing: Missing


def tables() -> list[Table]:
    """Every table of the models, parents before the tables that refer to them."""
    return list(db.metadata.sorted_tables)


def revision(connection: Connection) -> str | None:
    """The schema's migration revision, or None where no migration has run."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Values: JSON has no dates, decimals or bytes; each column's type says how to read back.


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(python_type: type | None) -> Callable[[Any], Any]:
    if python_type is datetime:
        return datetime.fromisoformat
    if python_type is date:
        return date.fromisoformat
    if python_type is time:
        return time.fromisoformat
    if python_type is Decimal:
        return Decimal
    if python_type is bytes:
        return base64.b64decode
    return lambda value: value


def _decoders(table: Table) -> dict[str, Callable[[Any], Any]]:
    decoders = {}
    for column in table.columns:
        kind = column.type
        kind = getattr(kind, "impl", kind)  # a TypeDecorator stores as its `impl`
        try:
            python_type: type | None = kind.python_type
        except NotImplementedError:
            python_type = None
        decoders[column.name] = _decoder(python_type)
    return decoders


# Making a backup


def _write_lines(archive: zipfile.ZipFile, name: str, lines: Iterable[dict[str, Any]]) -> int:
    count = 0
    with archive.open(name, "w", force_zip64=True) as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    for row in result.mappings():
        yield {name: _encode(value) for name, value in row.items()}


def _manifest(connection: Connection) -> Iterator[dict[str, Any]]:
    for source in get_registry().stored_objects:
        for item in source(connection):
            yield {"key": item.key, "size": item.size, "sha256": item.sha256}


def make_backup(path: Path) -> dict[str, Any]:
    """Write a backup to `path` (a new file); returns what `backup.json` says."""
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose a new file.", path=path))
    partial = path.with_name(path.name + ".partial")
    engine = db.engine
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    try:
        with (
            engine.connect().execution_options(**options) as connection,
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            if engine.dialect.name == "sqlite":
                # One read transaction: every table as of the same moment.
                connection.exec_driver_sql("BEGIN")
            counts = {
                table.name: _write_lines(
                    archive, f"tables/{table.name}.jsonl", _rows(connection, table)
                )
                for table in tables()
            }
            # The manifest comes from the records, read in the same picture as the rows.
            objects = _write_lines(archive, "storage.jsonl", _manifest(connection))
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": utcnow().isoformat(),
                "database": engine.dialect.name,
                "revision": revision(connection),
                "tables": counts,
                "objects": objects,
            }
            archive.writestr("backup.json", json.dumps(header, indent=2))
            connection.rollback()
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return header


# Restoring


def read_header(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        header = json.loads(archive.read("backup.json"))
    except (KeyError, ValueError):
        raise BackupError(_("This file is not a backup of this platform.")) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(_("This file is not a backup of this platform."))
    if header.get("version") != VERSION:
        raise BackupError(
            _(
                "This backup's format (%(version)s) is not one this release reads.",
                version=header.get("version"),
            )
        )
    return header


def _lines(archive: zipfile.ZipFile, name: str) -> Generator[dict[str, Any], None, None]:
    try:
        stream: IO[bytes] = archive.open(name)
    except KeyError:
        raise BackupError(_("The backup has no %(name)s: it is incomplete.", name=name)) from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = json.loads(raw)
            except ValueError:
                raise BackupError(
                    _("%(name)s, line %(line)s, is damaged.", name=name, line=number)
                ) from None
            if not isinstance(line, dict):
                raise BackupError(_("%(name)s, line %(line)s, is damaged.", name=name, line=number))
            yield line


def manifest(archive: zipfile.ZipFile) -> list[StoredObject]:
    with closing(_lines(archive, "storage.jsonl")) as lines:
        return [_stored(line) for line in lines]


def _stored(line: dict[str, Any]) -> StoredObject:
    try:
        return StoredObject(str(line["key"]), int(line["size"]), str(line["sha256"]))
    except (KeyError, TypeError, ValueError):
        raise BackupError(_("storage.jsonl has a damaged entry.")) from None


def check_storage(items: Iterable[StoredObject], *, hashes: bool = False) -> Missing:
    """Which objects storage does not hold as the manifest records them."""
    storage = get_storage()
    missing = Missing()
    try:
        for item in items:
            info = storage.head(item.key)
            if info is None:
                missing.absent.append(item.key)
            elif info.size != item.size:
                missing.wrong_size.append(item.key)
            elif hashes and storage.sha256(item.key) != item.sha256:
                missing.wrong_hash.append(item.key)
    except StorageError as error:
        raise BackupError(_("Storage cannot be reached: %(error)s", error=error)) from None
    return missing


def _non_empty(connection: Connection) -> list[str]:
    return [
        table.name
        for table in tables()
        if connection.execute(select(func.count()).select_from(table)).scalar()
    ]


def _insert(connection: Connection, table: Table, lines: Iterable[dict[str, Any]]) -> int:
    decoders = _decoders(table)
    batch: list[dict[str, Any]] = []
    count = 0
    for line in lines:
        unknown = set(line) - set(decoders)
        if unknown:
            raise BackupError(
                _(
                    "The backup's table %(table)s has columns this schema lacks: %(columns)s.",
                    table=table.name,
                    columns=", ".join(sorted(unknown)),
                )
            )
        batch.append({name: None if v is None else decoders[name](v) for name, v in line.items()})
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: each id sequence continues after the largest id restored."""
    for table in tables():
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            largest = connection.execute(select(func.max(column))).scalar()
            connection.execute(
                text("SELECT setval(:sequence, :value, :called)"),
                {"sequence": sequence, "value": largest or 1, "called": largest is not None},
            )


def restore_backup(
    path: Path, *, force: bool = False, allow_missing: bool = False, hashes: bool = False
) -> Restored:
    """Load a backup into this database, in one transaction: every row, or none.

    The schema must be at the backup's migration revision, and the database empty unless
    `force` (then every row is replaced). Storage must hold every object of the manifest
    unless `allow_missing`; the missing are reported either way."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise BackupError(_("%(path)s cannot be read as a backup.", path=path)) from None
    with archive:
        header = read_header(archive)
        engine = db.engine
        with engine.connect() as connection:
            current = revision(connection)
            if current is None:
                raise BackupError(
                    _("The database has no schema yet: run `flask --app wsgi db upgrade` first.")
                )
            if current != header.get("revision"):
                raise BackupError(
                    _(
                        "The backup is of schema %(backup)s but the database is at %(current)s:"
                        " restore with the release that made the backup, then upgrade.",
                        backup=header.get("revision"),
                        current=current,
                    )
                )
            busy = _non_empty(connection)
            if busy and not force:
                raise BackupError(
                    _(
                        "The database is not empty (%(tables)s): restore into a new database,"
                        " or add --force to replace everything in it.",
                        tables=", ".join(busy[:5]) + (" …" if len(busy) > 5 else ""),
                    )
                )
        items = manifest(archive)
        missing = check_storage(items, hashes=hashes)
        if missing and not allow_missing:
            return Restored({}, len(items), missing)
        expected = header.get("tables") or {}
        known = {table.name for table in tables()}
        extra = sorted(set(expected) - known)
        if extra:
            raise BackupError(
                _("The backup has tables this schema lacks: %(tables)s.", tables=", ".join(extra))
            )
        try:
            rows = _load(archive, expected, force)
        except (SQLAlchemyError, ValueError, TypeError) as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            raise BackupError(
                _(
                    "Nothing was restored: a row of the backup was refused (%(reason)s).",
                    reason=reason[0] if reason else type(error).__name__,
                )
            ) from error
    db.session.remove()
    return Restored(rows, len(items), missing)


def _load(archive: zipfile.ZipFile, expected: dict[str, int], force: bool) -> dict[str, int]:
    engine = db.engine
    rows: dict[str, int] = {}
    with engine.begin() as connection:  # commits at the end, rolls back on any error
        if force:
            for table in reversed(tables()):
                connection.execute(table.delete())
        for table in tables():
            if table.name not in expected:
                raise BackupError(
                    _("The backup has no %(name)s: it is incomplete.", name=table.name)
                )
            # Closed at once, even on an error: no open member outlives the archive.
            with closing(_lines(archive, f"tables/{table.name}.jsonl")) as lines:
                rows[table.name] = _insert(connection, table, lines)
            if rows[table.name] != expected[table.name]:
                raise BackupError(
                    _("The backup's table %(table)s is incomplete.", table=table.name)
                )
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection)
    return rows
