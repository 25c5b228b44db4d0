"""Whole numbers typed by people: ASCII digits only, of a sane length.

`str.isdigit()` passes a superscript "²" that `int()` refuses, and `int()` takes Arabic-Indic
or full-width digits ("٣", "３") and numbers far larger than any column holds. Every number
that arrives as text (a form field, a query string, a CSV cell, an id in a JSON key) goes
through `parse_int`, so the rule lives in one place (docs/architecture.md, "Input").
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Nine digits fit a 32-bit integer column, the smallest that holds our numbers.
MAX_DIGITS = 9


def parse_int(text: str, *, max_digits: int = MAX_DIGITS, signed: bool = False) -> int:
    """The whole number `text` spells in ASCII digits (surrounding blanks allowed; a leading
    minus sign only when `signed`). Raises ValueError for anything else."""
    digits = text.strip()
    negative = signed and digits.startswith("-")
    if negative:
        digits = digits[1:]
    if not digits or len(digits) > max_digits or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a whole number of at most {max_digits} digits: {text[:20]!r}")
    value = int(digits)
    return -value if negative else value


def ascii_int(text: str) -> int:
    """`parse_int` with the defaults, shaped for `request.args.get(name, type=ascii_int)`:
    Werkzeug answers the default for a value it raises ValueError on."""
    return parse_int(text)


def int_or_none(text: str, *, max_digits: int = MAX_DIGITS, signed: bool = False) -> int | None:
    """`parse_int`, or None for what it refuses: for loops over posted keys like `rank_12`."""
    try:
        return parse_int(text, max_digits=max_digits, signed=signed)
    except ValueError:
        return None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: at most `MAX_DIGITS` ASCII digits (Werkzeug's own takes any
    number of any script's digits), so an id that no column can hold is an unknown
    address, 404, rather than a query the database refuses."""

    regex = rf"[0-9]{{1,{MAX_DIGITS}}}"
