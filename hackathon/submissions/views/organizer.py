"""Organizer pages: who has submitted, extensions, file slots, and one zip of everything."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from hackathon.errors import ValidationFailed
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.events.services import organized_event
from hackathon.extensions import db
from hackathon.i18n import human_size
from hackathon.storage import StorageError, content_disposition, get_storage
from hackathon.submissions.forms import (
    TIME_FORMAT,
    ActionForm,
    ExtensionForm,
    SlotForm,
    show_field_errors,
)
from hackathon.submissions.models import MB, FileSlot
from hackathon.submissions.rules import StorageUnavailable
from hackathon.submissions.services import entries as services
from hackathon.submissions.services import slots
from hackathon.submissions.services.archive import archive_entries, stream_archive
from hackathon.submissions.views import bp
from hackathon.teams.models import Team


@bp.get("/events/<slug>/submissions")
@login_required
def overview(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    rows = services.overview(event)
    return render_template(
        "submissions/overview.html",
        event=event,
        rows=rows,
        slots=slots.event_slots(event),
        submitted=sum(1 for r in rows if r.submission and r.submission.status == "submitted"),
        extension_form=ExtensionForm(),
        human_size=human_size,
        local_input=lambda moment: _local_input(moment, event.timezone),
    )


def _local_input(moment: datetime | None, timezone: str) -> str:
    """A datetime-local field's value: wall-clock time in the event's zone."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime(TIME_FORMAT)


@bp.post("/events/<slug>/teams/<int:team_id>/extension")
@login_required
def extension(slug: str, team_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        abort(404)
    form = ExtensionForm()
    if form.validate():
        until = events.local_to_utc(form.until.data, event.timezone)
        services.set_extension(services.get_or_create_submission(team), until)
        db.session.commit()
        if until:
            flash(_("%(team)s may edit until the new time.", team=team.name), "success")
        else:
            flash(_("The extension of %(team)s is removed.", team=team.name), "success")
    return redirect(url_for("submissions.overview", slug=event.slug))


@bp.get("/events/<slug>/submissions.zip")
@login_required
def archive(slug: str) -> ResponseReturnValue:
    """The current version of every file, streamed: the zip is never held in memory."""
    event = organized_event(slug)
    storage = get_storage()
    try:
        storage.check()  # say so now: once streaming, an error can only cut the zip short
    except StorageError as error:
        raise StorageUnavailable() from error
    body = stream_archive(storage, archive_entries(event), event.timezone)
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": content_disposition(f"{event.slug}-submissions.zip"),
            "Cache-Control": "private, no-store",
        },
    )


def _slot_forms(
    event: Event, failed: SlotForm | None = None, failed_id: int | None = None
) -> list[tuple[FileSlot, SlotForm]]:
    forms = []
    for slot in slots.event_slots(event):
        if failed is not None and failed_id == slot.id:
            forms.append((slot, failed))
            continue
        form = SlotForm(prefix=f"s{slot.id}", obj=slot, formdata=None)
        form.extensions.data = ", ".join(slot.extension_list)
        form.max_mb.data = max(1, slot.max_bytes // MB)
        forms.append((slot, form))
    return forms


def _slot_page(
    event: Event,
    new_form: SlotForm | None = None,
    failed: SlotForm | None = None,
    failed_id: int | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "submissions/slots.html",
        event=event,
        slot_forms=_slot_forms(event, failed, failed_id),
        new_form=new_form or SlotForm(prefix="new", formdata=None),
        action_form=ActionForm(),
        human_size=human_size,
    ), status


def _spec(form: SlotForm) -> slots.SlotSpec:
    return slots.SlotSpec(
        key=(form.key.data or "").strip().lower(),
        label=form.label.data or "",
        label_en=form.label_en.data or "",
        extensions=tuple(slots.parse_extensions(form.extensions.data or "")),
        max_bytes=(form.max_mb.data or 0) * MB,
        required=bool(form.required.data),
    )


@bp.get("/events/<slug>/slots")
@login_required
def slot_list(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    slots.ensure_default_slots(event)  # a new event starts with slides, code and video
    db.session.commit()
    return _slot_page(event)


@bp.post("/events/<slug>/slots")
@login_required
def slot_create(slug: str) -> ResponseReturnValue:
    return _save_slot(organized_event(slug), None, SlotForm(prefix="new"))


@bp.post("/events/<slug>/slots/<int:slot_id>")
@login_required
def slot_update(slug: str, slot_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    return _save_slot(event, _event_slot(event, slot_id), SlotForm(prefix=f"s{slot_id}"))


def _event_slot(event: Event, slot_id: int) -> FileSlot:
    slot = db.session.get(FileSlot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404)
    return slot


def _save_slot(event: Event, slot: FileSlot | None, form: SlotForm) -> ResponseReturnValue:
    if form.validate():
        try:
            slots.save_slot(event, slot, _spec(form))
        except ValidationFailed as error:
            db.session.rollback()
            show_field_errors(form, error)
        else:
            db.session.commit()
            flash(_("The file slot is saved."), "success")
            return redirect(url_for("submissions.slot_list", slug=event.slug))
    if slot is None:
        return _slot_page(event, new_form=form, status=422)
    return _slot_page(event, failed=form, failed_id=slot.id, status=422)


@bp.post("/events/<slug>/slots/<int:slot_id>/delete")
@login_required
def slot_delete(slug: str, slot_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    slot = _event_slot(event, slot_id)
    if ActionForm().validate():
        slots.delete_slot(slot)
        db.session.commit()
        flash(_("The file slot is removed."), "success")
    return redirect(url_for("submissions.slot_list", slug=event.slug))
