"""Whole numbers typed by people: only ASCII digits of a sane length are numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackathon.numbers import MAX_DIGITS, ascii_int, parse_int


@given(st.integers(min_value=0, max_value=10**MAX_DIGITS - 1))
def test_every_number_written_in_ascii_digits_reads_back(value: int) -> None:
    assert parse_int(f"  {value} ") == value


@given(st.integers(min_value=-(10**MAX_DIGITS) + 1, max_value=10**MAX_DIGITS - 1))
def test_a_minus_sign_is_taken_only_where_asked_for(value: int) -> None:
    assert parse_int(str(value), signed=True) == value
    if value < 0:
        with pytest.raises(ValueError, match="not a whole number"):
            parse_int(str(value))


@pytest.mark.parametrize(
    "text",
    ["", " ", "²", "٣", "３", "1.5", "1e3", "+1", "--1", "0x10", "1_000", "1" * (MAX_DIGITS + 1)],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int(text, signed=True)


@given(st.text(max_size=30))
def test_no_text_raises_anything_but_value_error(text: str) -> None:
    try:
        value = parse_int(text, signed=True)
    except ValueError:
        return
    digits = text.strip().removeprefix("-")
    assert digits.isascii()
    assert digits.isdigit()
    assert len(digits) <= MAX_DIGITS
    assert abs(value) == int(digits)


def test_query_strings_fall_back_to_the_default() -> None:
    from werkzeug.datastructures import MultiDict

    args = MultiDict({"page": "²", "k": "3", "big": "9" * 50})
    assert args.get("page", 1, type=ascii_int) == 1
    assert args.get("k", type=ascii_int) == 3
    assert args.get("big", type=ascii_int) is None
