"""Byte counts as people read them."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import get_locale

UNITS = ("B", "KB", "MB", "GB", "TB")


def human_size(size: int) -> str:
    """1536 -> '1.5 KB', 52428800 -> '50 MB' (binary multiples, as file managers show)."""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    pattern = "#,##0" if unit == 0 or value >= 100 or value.is_integer() else "#,##0.#"
    try:
        locale = str(get_locale() or "en")
    except RuntimeError:  # outside a request (CLI)
        locale = "en"
    return f"{format_decimal(value, format=pattern, locale=locale)} {UNITS[unit]}"
