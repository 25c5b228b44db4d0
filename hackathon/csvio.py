"""CSV import and export: the shared framework every kind plugs into.

Files are read as UTF-8, UTF-8 with BOM, or CP949 (what Korean Excel saves). An import
checks every row first; any problem means one line per problem with its row number
(the header is row 1, as in a spreadsheet) and nothing written at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return str(_l("row %(row)d: %(message)s", row=self.row, message=self.message))


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return str(
            _l(
                "%(created)d created, %(updated)d updated, %(unchanged)d unchanged",
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            )
        )


Importer = Callable[[Any, list[Row]], ImportResult]
Exporter = Callable[[Any], Iterable[dict[str, Any]]]


@dataclass
class Kind:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    importer: Importer | None = None
    exporter: Exporter | None = None
    # Exports that add columns per event (the leaderboard's criteria) compute them.
    dynamic_columns: Callable[[Any], tuple[str, ...]] | None = None


KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    columns: tuple[str, ...],
    *,
    required: tuple[str, ...] | None = None,
    importer: Importer | None = None,
    exporter: Exporter | None = None,
    dynamic_columns: Callable[[Any], tuple[str, ...]] | None = None,
) -> Kind:
    kind = Kind(name, columns, required or columns, importer, exporter, dynamic_columns)
    KINDS[name] = kind
    return kind


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then CP949; anything else is refused."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([RowProblem(1, str(_l("the file is neither UTF-8 nor CP949 text")))])


def parse(data: bytes, kind: Kind) -> list[Row]:
    """The data rows of a file, after checking its header against the kind's columns."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed([RowProblem(1, str(_l("the file is empty")))]) from None
    missing = [c for c in kind.required if c not in header]
    unknown = [h for h in header if h and h not in kind.columns]
    problems = []
    if missing:
        problems.append(
            RowProblem(1, str(_l("missing columns: %(cols)s", cols=", ".join(missing))))
        )
    if unknown:
        problems.append(
            RowProblem(1, str(_l("unknown columns: %(cols)s", cols=", ".join(unknown))))
        )
    if problems:
        raise ImportFailed(problems)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines that spreadsheets leave at the end
        if len(cells) > len(header):
            problems.append(RowProblem(number, str(_l("more cells than columns"))))
            continue
        rows.append(Row(number, dict(zip(header, cells, strict=False))))
    if problems:
        raise ImportFailed(problems)
    return rows


def write(kind: Kind, records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV text (UTF-8; the caller adds a BOM for Excel if wanted)."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return out.getvalue()
