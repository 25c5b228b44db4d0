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


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then CP949; anything else is refused."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([RowProblem(1, str(_l("the file is neither UTF-8 nor CP949 text")))])


def parse(data: bytes, kind: Kind) -> list[Row]:
    """The data rows of a file; ImportFailed on any problem with the header or a row."""
    rows, problems = parse_rows(data, kind)
    if problems:
        raise ImportFailed(problems)
    return rows


def parse_rows(data: bytes, kind: Kind) -> tuple[list[Row], list[RowProblem]]:
    """The well-formed data rows and a problem per malformed row; a bad header (which
    makes every row unreadable) raises ImportFailed at once."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed([RowProblem(1, str(_l("the file is empty")))]) from None
    except csv.Error:
        raise ImportFailed([RowProblem(1, str(_l("this line is not valid CSV")))]) from None
    missing = [c for c in kind.required if c not in header]
    unknown = [h for h in header if h and h not in kind.columns]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    problems = []
    if twice:
        problems.append(
            RowProblem(1, str(_l("columns named twice: %(cols)s", cols=", ".join(twice))))
        )
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
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(RowProblem(number + 1, str(_l("this line is not valid CSV"))))
            break
        # A quoted cell may span lines; the row number counts records, as a spreadsheet does.
        number += 1
        if not any(c.strip() for c in cells):
            continue  # blank lines that spreadsheets leave at the end
        if len(cells) > len(header):
            problems.append(RowProblem(number, str(_l("more cells than columns"))))
            continue
        rows.append(Row(number, dict(zip(header, map(restore, cells), strict=False))))
    return rows, problems


def run_import(kind: Kind, event: Any, data: bytes) -> ImportResult:
    """Parse and import a file, reporting every problem at once: malformed rows and the
    kind's own checks of the others. The caller commits on success and rolls back on
    ImportFailed, so nothing is written unless the whole file is good."""
    assert kind.importer is not None
    rows, problems = parse_rows(data, kind)
    try:
        result = kind.importer(event, rows)
    except ImportFailed as failure:
        problems = [*problems, *failure.problems]
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.row))
    return result


# A spreadsheet runs a cell that starts with one of these as a formula. Names and titles
# come from users, so an export opened in Excel could run `=HYPERLINK(...)` and the like.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralize(value: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe
    (which spreadsheets hide); numbers, negative ones included, stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def restore(cell: str) -> str:
    """The value `neutralize` protected, so an export imports back unchanged."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def write(kind: Kind | None, records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV text (UTF-8; the caller adds a BOM for Excel if wanted)."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else neutralize(v) for k, v in record.items()})
    return out.getvalue()
