"""The pitch day's pages: the organizers' schedule (settings, preview, confirm, absent
teams, moving a slot), the public timetable and each room's projector page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.caching import public_page
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.models import Event
from hackathon.events.services import can_view, get_event, is_organizer, organized_event
from hackathon.extensions import db
from hackathon.judging.forms import MoveSlotForm, ScheduleForm
from hackathon.judging.rules import is_judge, judge_roles
from hackathon.judging.services import pitch_day
from hackathon.judging.services import schedule as service
from hackathon.judging.views import bp
from hackathon.numbers import int_or_none
from hackathon.web import writing


def _local(event: Event, value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def _form(event: Event) -> ScheduleForm:
    """The settings form, filled from the event's last schedule (or a sensible day)."""
    form = ScheduleForm()
    if form.is_submitted():
        return form
    rooms = [r.name for r in service.rooms_of(event)] or service.default_room_names(3, [])
    form.rooms.data = "\n".join(rooms)
    saved = service.settings_of(event)
    if saved is not None:
        form.start.data = _local(event, saved.starts_at)
        form.slot_minutes.data = saved.slot_minutes
        form.break_every.data = saved.break_every
        form.break_minutes.data = saved.break_minutes
    else:
        tomorrow = _local(event, datetime.now(ZoneInfo("UTC"))) + timedelta(days=1)
        form.start.data = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    return form


# Seeds are drawn below 2**31 (`service.preview`), so they may have ten digits.
SEED_DIGITS = 10


def _shape(event: Event, form: ScheduleForm) -> service.DayShape:
    seed = form.seed.data
    return service.DayShape(
        rooms=[line.strip() for line in (form.rooms.data or "").splitlines() if line.strip()],
        starts_at=form.start.data.replace(tzinfo=ZoneInfo(event.timezone)),
        slot_minutes=form.slot_minutes.data,
        break_every=form.break_every.data,
        break_minutes=form.break_minutes.data,
        seed=int_or_none(str(seed), max_digits=SEED_DIGITS) if seed else None,
    )


def _move_form(event: Event, slot_view: pitch_day.SlotView) -> MoveSlotForm:
    form = MoveSlotForm(prefix=f"move-{slot_view.slot.id}", formdata=None)
    form.room_id.choices = [(r.id, r.name) for r in service.rooms_of(event)]
    form.room_id.data = slot_view.room.id
    form.start.data = _local(event, slot_view.slot.starts_at)
    return form


def _page(
    event: Event,
    form: ScheduleForm,
    preview: service.Preview | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    slots = pitch_day.timetable(event)
    return render_template(
        "judging/schedule_manage.html",
        event=event,
        form=form,
        preview=preview,
        problems=problems or [],
        slots=slots,
        move_forms={v.slot.id: _move_form(event, v) for v in slots},
        judge_names=_names(event),
    ), status


def _names(event: Event) -> dict[int, str]:
    ids = [r.user_id for r in judge_roles(event)]
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


@bp.get("/events/<slug>/judging/schedule")
@login_required
def schedule_page(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    return _page(event, _form(event))


@bp.post("/events/<slug>/judging/schedule")
@login_required
def schedule_preview(slug: str) -> ResponseReturnValue:
    """Show the timetable these settings give, without writing; its seed is kept in the
    form, so confirming stores exactly what was shown."""
    event = organized_event(slug)
    form = _form(event)
    if not form.validate_on_submit():
        return _page(event, form, status=422)
    try:
        preview = service.make_plan(event, _shape(event, form))
    except (service.ScheduleImpossible, ValidationFailed) as error:
        lines = error.details.get("missing") or [str(error.message)]
        return _page(event, form, problems=[str(error.message).split("\n")[0], *lines], status=422)
    form.seed.data = str(preview.seed)
    return _page(event, form, preview)


@bp.post("/events/<slug>/judging/schedule/confirm")
@login_required
def schedule_confirm(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = _form(event)
    if not form.validate_on_submit():
        return _page(event, form, status=422)
    refusals = (service.ScheduleImpossible, service.ScoresInTheWay, ValidationFailed)
    with writing(catch=refusals, quiet=True) as write:
        applied = service.apply_schedule(event, _shape(event, form))
    if write.error is not None:
        error = write.error
        lines = error.details.get("missing") or []
        return _page(event, form, problems=[str(error.message).split("\n")[0], *lines], status=409)
    flash(
        _(
            "The schedule is saved: %(slots)d pitches; %(created)d assignments made, "
            "%(kept)d kept, %(removed)d removed.",
            slots=applied.slots,
            created=applied.created,
            kept=applied.kept,
            removed=applied.removed,
        ),
        "success",
    )
    return redirect(url_for("judging.schedule_page", slug=slug))


@bp.post("/events/<slug>/judging/schedule/slots/<int:slot_id>/absent")
@login_required
def slot_absent(slug: str, slot_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    slot = pitch_day.event_slot(event, slot_id)
    team = slot.team.name
    with writing():
        freed = pitch_day.mark_absent(slot, current_user.id)
    flash(
        _("“%(team)s” is marked absent; %(n)d judges were told.", team=team, n=freed),
        "success",
    )
    return redirect(url_for("judging.schedule_page", slug=slug))


@bp.post("/events/<slug>/judging/schedule/slots/<int:slot_id>/move")
@login_required
def slot_move(slug: str, slot_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    slot = pitch_day.event_slot(event, slot_id)
    form = MoveSlotForm(prefix=f"move-{slot.id}")
    form.room_id.choices = [(r.id, r.name) for r in service.rooms_of(event)]
    if not form.validate_on_submit():
        flash(_("Choose a room and a time."), "error")
        return redirect(url_for("judging.schedule_page", slug=slug))
    room = pitch_day.event_room(event, form.room_id.data)
    starts_at = form.start.data.replace(tzinfo=ZoneInfo(event.timezone))
    with writing():
        pitch_day.move_slot(slot, room, starts_at)
    flash(_("The pitch is moved."), "success")
    return redirect(url_for("judging.schedule_page", slug=slug))


# Everyone's pages.


def _visible(slug: str) -> Event:
    event = get_event(slug)
    if not can_view(current_user, event):
        raise NotFound()
    return event


def _insider(event: Event) -> bool:
    return is_organizer(current_user, event) or is_judge(current_user, event)


@bp.get("/events/<slug>/schedule")
@public_page
def timetable(slug: str) -> ResponseReturnValue:
    event = _visible(slug)
    insider = _insider(event)
    return render_template(
        "judging/schedule.html",
        event=event,
        slots=pitch_day.timetable(event),
        rooms=service.rooms_of(event),
        insider=insider,
        judge_names=_names(event) if insider else {},
    )


@bp.get("/events/<slug>/schedule/rooms/<int:room_id>")
@public_page
def projector(slug: str, room_id: int) -> ResponseReturnValue:
    """One room on the wall: now, next, and the time left; its script moves on by itself."""
    event = _visible(slug)
    room = pitch_day.event_room(event, room_id)
    slots = [v.as_json(False) for v in pitch_day.timetable(event, room)]
    for slot in slots:
        for key in ("starts_at", "ends_at"):
            slot[key] = slot[key].isoformat()
    return render_template(
        "judging/projector.html",
        event=event,
        room=room,
        slots=slots,
        messages=_projector_messages(),
    )


def _projector_messages() -> dict[str, Any]:
    return {
        "now": _("Now"),
        "next": _("Next"),
        "left": _("%(time)s left"),
        "starts": _("Starts at %(time)s"),
        "none": _("No more pitches in this room today."),
        "before": _("The first pitch starts at %(time)s."),
        "break": _("Break"),
    }
