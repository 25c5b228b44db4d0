"""Reading the first sheet of an Excel workbook (.xlsx) as rows of text.

Each cell becomes the text a person sees in Excel: numbers and dates are shown through
the cell's number format (`12345`, `1.50`, `25%`, `2026-03-01`), text stays as it is. The
short-date format Excel shows in the reader's locale (built-in format 14) comes out as
`yyyy-mm-dd`, the way Korean Excel shows it. Formulas give the value Excel saved with the
file. Plain data in (the file's bytes), plain data out (a list of rows of strings).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta

import openpyxl  # type: ignore[import-untyped]  # no stubs in requirements-dev yet

ZIP_MAGIC = b"PK\x03\x04"
# Limits that keep a crafted file from taking the server's memory.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100


class NotAWorkbook(ValueError):
    """The bytes are not an .xlsx workbook that can be read."""


class TooLarge(ValueError):
    """The workbook has more rows or columns than a roster can have."""


def looks_like_xlsx(data: bytes) -> bool:
    """An .xlsx file is a zip archive; this says only that it starts like one."""
    return data.startswith(ZIP_MAGIC)


def read_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows (row 1 first), each cell as its displayed text, trailing
    empty cells and rows left out; NotAWorkbook or TooLarge when it cannot be read."""
    if not looks_like_xlsx(data):
        raise NotAWorkbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise NotAWorkbook() from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLarge()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise NotAWorkbook() from error
    try:
        if not book.worksheets:
            raise NotAWorkbook()
        rows: list[list[str]] = []
        for cells in book.worksheets[0].iter_rows():
            texts = [cell_text(c.value, getattr(c, "number_format", None)) for c in cells]
            while texts and texts[-1] == "":
                texts.pop()
            if len(texts) > MAX_COLUMNS:
                raise TooLarge()
            rows.append(texts)
            if len(rows) > MAX_ROWS + 1:
                raise TooLarge()
    except (NotAWorkbook, TooLarge):
        raise
    except Exception as error:
        raise NotAWorkbook() from error
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def cell_text(value: object, number_format: str | None = None) -> str:
    """A cell's value as Excel shows it with this number format."""
    fmt = number_format or "General"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date | time):
        return format_moment(value, fmt)
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, fmt)
    return str(value)


def _first_section(fmt: str) -> str:
    """The format for positive numbers, without colours, conditions or quoted text."""
    section = fmt.split(";")[0]
    section = re.sub(r"\[[^\]]*\]", "", section)
    return re.sub(r'"[^"]*"|\\.|_.|\*.', "", section)


def _general(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def format_number(value: int | float, fmt: str) -> str:
    """`0`, `0.00`, `#,##0.0`, `0%`, `0.00E+00`; anything else as General."""
    section = _first_section(fmt)
    if fmt in ("General", "@") or not re.search(r"[0#?]", section):
        return _general(value)
    percent = "%" in section
    number = float(value) * (100 if percent else 1)
    integer, _, fraction = section.partition(".")
    decimals = len(re.findall(r"[0#?]", re.split(r"[Ee]", fraction)[0]))
    if re.search(r"[Ee][+-]", section):
        return f"{number:.{decimals}E}"
    if not decimals and "," not in integer:
        return _fill(round(number), section.replace("%", "")) + ("%" if percent else "")
    grouping = "," if "," in integer else ""
    text = f"{number:{grouping}.{decimals}f}"
    return text + ("%" if percent else "")


def _fill(number: int, template: str) -> str:
    """Digits into a template such as `00000` (a postal code) or `000-0000-0000` (a phone
    number), from the right: `0` pads with zero, `#` with nothing, `?` with a space."""
    digits = list(str(abs(number)))
    out: list[str] = []
    slots = [i for i, ch in enumerate(template) if ch in "0#?"]
    first = slots[0] if slots else len(template)
    for index in range(len(template) - 1, -1, -1):
        ch = template[index]
        if ch in "0#?":
            digit = digits.pop() if digits else {"0": "0", "#": "", "?": " "}[ch]
            if index == first and digits:  # more digits than places: all go in front
                digit = "".join(digits) + digit
                digits = []
            out.append(digit)
        else:
            out.append(ch)
    text = "".join(reversed(out)).strip()
    return ("-" if number < 0 else "") + text


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOKEN = re.compile(
    r'(yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|"[^"]*"|\\.|.)',
    re.IGNORECASE,
)


def format_moment(value: datetime | date | time, fmt: str) -> str:
    """A date or time through an Excel date format (`yyyy-mm-dd`, `yyyy"년" m"월" d"일"`,
    `h:mm AM/PM`); the locale's short date (`mm-dd-yy`, built-in 14) as `yyyy-mm-dd`."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        moment = datetime(1900, 1, 1, value.hour, value.minute, value.second, value.microsecond)
    section = re.sub(r"\[[^\]]*\]", "", fmt.split(";")[0])
    if fmt in ("General", "mm-dd-yy") or not re.search(r"[ymdhs]", section, re.IGNORECASE):
        if isinstance(value, time):
            return moment.strftime("%H:%M:%S")
        if moment.time() == time(0):
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    tokens = TOKEN.findall(section)
    twelve = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out = []
    for index, token in enumerate(tokens):
        low = token.lower()
        if low in ("m", "mm") and _is_minute(tokens, index):
            out.append(f"{moment.minute:0{len(low)}d}")
        elif low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("m", "mm"):
            out.append(f"{moment.month:0{len(low)}d}")
        elif low == "mmm":
            out.append(MONTHS[moment.month - 1][:3])
        elif low == "mmmm":
            out.append(MONTHS[moment.month - 1])
        elif low == "mmmmm":
            out.append(MONTHS[moment.month - 1][0])
        elif low in ("d", "dd"):
            out.append(f"{moment.day:0{len(low)}d}")
        elif low == "ddd":
            out.append(DAYS[moment.weekday()][:3])
        elif low == "dddd":
            out.append(DAYS[moment.weekday()])
        elif low in ("h", "hh"):
            hour = (moment.hour % 12 or 12) if twelve else moment.hour
            out.append(f"{hour:0{len(low)}d}")
        elif low in ("s", "ss"):
            out.append(f"{moment.second:0{len(low)}d}")
        elif low == "am/pm":
            out.append("AM" if moment.hour < 12 else "PM")
        elif low == "a/p":
            out.append("A" if moment.hour < 12 else "P")
        elif low.startswith(".0"):
            digits = len(low) - 1
            out.append("." + f"{moment.microsecond:06d}"[:digits])
        elif token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        else:
            out.append(token)
    return "".join(out)


def _is_minute(tokens: list[str], index: int) -> bool:
    """`m`/`mm` means minutes right after an hour or right before seconds."""
    parts = [t.lower() for t in tokens]
    for earlier in reversed(parts[:index]):
        if earlier in ("h", "hh"):
            return True
        if re.fullmatch(r"[ymd]+", earlier):
            break
    for later in parts[index + 1 :]:
        if later in ("s", "ss"):
            return True
        if re.fullmatch(r"[ymdh]+", later):
            break
    return False
