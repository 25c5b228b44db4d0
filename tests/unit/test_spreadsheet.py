"""Cells of an Excel workbook as the text Excel shows, and files that are no workbook."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import openpyxl
import pytest

from hackathon.events.logic.spreadsheet import NotAWorkbook, cell_text, read_rows


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (None, "General", ""),
        ("김민준", "General", "김민준"),
        (12345, "General", "12345"),
        (12345.0, "General", "12345"),
        (0.1 + 0.2, "General", "0.3"),
        (1.5, "0.00", "1.50"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (0.25, "0%", "25%"),
        (0.256, "0.0%", "25.6%"),
        (1234, "00000", "01234"),
        (1012345678, "000-0000-0000", "010-1234-5678"),
        (-5, "0.00;[Red]-0.00", "-5.00"),
        (123456, "0.00E+00", "1.23E+05"),
        (True, "General", "TRUE"),
        (datetime(2026, 3, 1), "mm-dd-yy", "2026-03-01"),
        (datetime(2026, 3, 1), "yyyy.mm.dd", "2026.03.01"),
        (datetime(2026, 3, 1, 14, 5), 'yyyy"년" m"월" d"일" h:mm AM/PM', "2026년 3월 1일 2:05 PM"),
        (datetime(2026, 3, 1, 9, 7, 3), "yyyy-mm-dd hh:mm:ss", "2026-03-01 09:07:03"),
        (date(2026, 12, 25), "d mmm yyyy", "25 Dec 2026"),
        (time(9, 30), "h:mm", "9:30"),
        (datetime(2026, 3, 1, 18, 0), "General", "2026-03-01 18:00:00"),
    ],
)
def test_a_cell_reads_as_excel_shows_it(value, fmt, shown):
    assert cell_text(value, fmt) == shown


def test_rows_keep_their_numbers_and_drop_trailing_blanks():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name"])
    sheet.append(["a@example.test", "가"])
    sheet.append([])
    sheet.append(["b@example.test", None, None])
    sheet.append([])
    out = io.BytesIO()
    book.save(out)
    assert read_rows(out.getvalue()) == [
        ["email", "name"],
        ["a@example.test", "가"],
        [],
        ["b@example.test"],
    ]


@pytest.mark.parametrize(
    "data", [b"", b"email,name\r\n", b"PK\x03\x04broken", b"PK\x05\x06" + b"\0" * 18]
)
def test_what_is_no_workbook_is_refused(data):
    with pytest.raises(NotAWorkbook):
        read_rows(data)
