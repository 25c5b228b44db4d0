"""One way for a view to write: commit once, or roll back and show the service's error.

A view parses its input, calls one service inside `writing(...)`, and renders or
redirects. The services only flush; this is where their work is committed, once, or
thrown away when they refuse (a `DomainError`) or anything else goes wrong.

    with writing(form) as write:
        services.update_event(event, **values)
    if write.ok:
        flash(_("The event is saved."), "success")
        return redirect(...)
    return render_template(..., form=form)  # the problems are under the form's fields

Without a form, an error the view does not `catch` goes on to the app's handlers, which
flash it and send the browser back (a page), or answer with the JSON error (the API).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, FloatField, IntegerField

from hackathon.errors import DomainError
from hackathon.extensions import db
from hackathon.numbers import parse_int


@dataclass
class Write:
    """How the block went: `ok` once committed; `error` the refusal it caught."""

    ok: bool = False
    error: DomainError | None = None


@contextmanager
def writing(
    form: FlaskForm | None = None,
    *,
    field: str | None = None,
    catch: type[DomainError] | tuple[type[DomainError], ...] | None = None,
    quiet: bool = False,
    keep: type[DomainError] | tuple[type[DomainError], ...] = (),
) -> Iterator[Write]:
    """Commit what the block flushed, once; on an error, roll it all back.

    `catch` names the errors shown here rather than passed on: by default every
    `DomainError` when there is a form, none without one. A caught error is shown with
    `attach_errors(form, error, field)` (unless `quiet`: the view says it in its own
    words, from `write.error`) and the block's result is skipped: `write.ok` stays False.
    `keep` names errors after which what the block flushed is still committed (a refused
    upload whose removal must last) before the error goes on.
    """
    if catch is None:
        catch = DomainError if form is not None else ()
    write = Write()
    try:
        yield write
    except keep:
        db.session.commit()
        raise
    except catch as error:
        db.session.rollback()
        write.error = error
        if not quiet:
            attach_errors(form, error, field)
        return
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    write.ok = True


def attach_errors(form: FlaskForm | None, error: DomainError, field: str | None = None) -> None:
    """Show a service's refusal where the reader looks: each per-field message under its
    field; the error's own message, when it names no field, under `field`.

    A message with no field to sit under (the form has no such field, or there is no
    form) is flashed on top of the page instead, so that it is never lost.
    """
    messages: dict[str, Any] = error.details.get("fields") or {}
    if not messages:
        if field is None:
            flash(str(error.message), "error")
            return
        messages = {field: error.message}
    for name, message in messages.items():
        if form is not None and name in form:
            form[name].errors = [*form[name].errors, str(message)]
        else:
            flash(str(message), "error")


def flash_form_errors(form: FlaskForm) -> None:
    """A form posted from another page, which the view does not render again: each
    field's problem flashed with the field's name."""
    for item in form:
        for message in item.errors:
            flash(f"{item.label.text}: {message}", "error")


# Form fields by the project's rule for numbers and moments typed as text
# (hackathon.numbers; docs/architecture.md, "Input"). Every form uses these rather than
# WTForms' own IntegerField, FloatField and DateTimeLocalField, and `whole_number` as the
# `coerce` of a choice of ids, so a "²", an Arabic-Indic "٣" or a thousand digits is a
# message under its field, never a crash or an out-of-range database value.

NOT_WHOLE = _l("Give a whole number in the digits 0–9 (at most nine of them).")
NOT_DECIMAL = _l("Give a number in the digits 0–9, such as 1.5.")
# What a datetime-local input sends: minutes, or seconds when the browser adds them.
LOCAL_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
# Far enough for any event, near enough that a time zone shift never leaves the calendar.
YEARS = (1900, 2999)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def whole_number(value: Any) -> int:
    """`coerce` for a choice of ids: an int stays, text must be ASCII digits (ValueError
    else, which WTForms shows as an invalid choice)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_int(str(value), signed=True)


class WholeNumberField(IntegerField):
    """An IntegerField that reads only ASCII digits, at most nine (a leading minus sign
    allowed; the field's NumberRange says which numbers make sense)."""

    data: Any  # typed as loosely as WTForms' own fields

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_int(str(valuelist[0]), signed=True)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(NOT_WHOLE)) from exc


class DecimalNumberField(FloatField):
    """A FloatField for plain decimals typed in ASCII ("1.5"): no NaN, no infinity, no
    exponent, no other script's digits, and at most `limit` in size."""

    data: Any  # typed as loosely as WTForms' own fields

    def __init__(self, *args: Any, limit: float = 1_000_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        if len(text) > 20 or not _DECIMAL.fullmatch(text):
            self.data = None
            raise ValueError(str(NOT_DECIMAL))
        value = float(text)
        if not math.isfinite(value) or abs(value) > self.limit:
            self.data = None
            raise ValueError(str(_l("Give a number of at most %(max)s.", max=f"{self.limit:g}")))
        self.data = value


class MomentField(DateTimeLocalField):
    """A datetime-local input (event time): a malformed value, or a year outside 1900–2999,
    is a message under the field."""

    data: Any  # typed as loosely as WTForms' own fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", LOCAL_TIME_FORMATS)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Give a date and time such as 2026-03-01 14:00."))) from exc
        if self.data is not None and not YEARS[0] <= self.data.year <= YEARS[1]:
            self.data = None
            raise ValueError(
                str(_l("Give a year from %(first)d to %(last)d.", first=YEARS[0], last=YEARS[1]))
            )
