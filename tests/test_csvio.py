"""The CSV framework on its own: decoding, header checks, row numbers, formula cells."""

from __future__ import annotations

import pytest

from hackathon import csvio

KIND = csvio.Kind("people", ("email", "name", "note"), ("email", "name"))


def test_row_numbers_count_records_as_a_spreadsheet_does(app):
    data = b'email,name,note\r\na@x.test,A,"two\r\nlines"\r\n\r\nb@x.test,B,\r\n'
    rows = csvio.parse(data, KIND)
    assert [(r.number, r.get("email")) for r in rows] == [(2, "a@x.test"), (4, "b@x.test")]
    assert rows[0].get("note") == "two\r\nlines"


def test_headers_are_trimmed_and_case_blind(app):
    rows = csvio.parse(b" Email , NAME \r\na@x.test,A\r\n", KIND)
    assert rows[0].values == {"email": "a@x.test", "name": "A"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example","click")', "'=HYPERLINK"),
        ("+1+1", "'+1+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("-1.25", "-1.25"),
        ("+3", "+3"),
        ("김철수", "김철수"),
        (-0.5, "-0.5"),
    ],
)
def test_formula_like_cells_are_neutralized_and_read_back(app, value, written):
    text = csvio.write(KIND, [{"email": "a@x.test", "name": value, "note": ""}], KIND.columns)
    cell = text.splitlines()[1].split(",", 1)[1]
    assert cell.lstrip('"').startswith(written)
    (row,) = csvio.parse(text.encode(), KIND)
    assert row.values["name"] == str(value)


def test_a_real_leading_apostrophe_is_kept(app):
    text = csvio.write(KIND, [{"email": "a@x.test", "name": "'quoted", "note": ""}], KIND.columns)
    (row,) = csvio.parse(text.encode(), KIND)
    assert row.values["name"] == "'quoted"
