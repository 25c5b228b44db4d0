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

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_wtf import FlaskForm

from hackathon.errors import DomainError
from hackathon.extensions import db


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
