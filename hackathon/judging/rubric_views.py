"""The organizers' rubric editor."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from hackathon.auth import organized_event
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging import bp, rubric
from hackathon.judging.forms import CriterionForm, UnlockForm
from hackathon.judging.models import Criterion
from hackathon.judging.services import criteria_of, score_count


def _criterion(event: Event, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.event_id != event.id:
        abort(404)
    return criterion


@bp.get("/events/<slug>/judging/rubric")
@login_required
def rubric_page(slug: str):
    event = organized_event(slug)
    criteria = criteria_of(event)
    total_weight = sum(c.weight for c in criteria)
    return render_template(
        "judging/rubric.html",
        event=event,
        criteria=criteria,
        shares={c.id: 100 * c.weight / total_weight for c in criteria} if total_weight else {},
        levels={c.id: rubric.level_list(c) for c in criteria},
        locked=rubric.is_locked(event),
        scores=score_count(event),
        lock_entry=rubric.lock_entry(event),
        unlock_form=UnlockForm(),
    )


def _values(form: CriterionForm) -> dict:
    lo, hi = form.min_score.data, form.max_score.data
    return {
        "name": form.name.data,
        "name_en": form.name_en.data,
        "description": form.description.data,
        "description_en": form.description_en.data,
        "weight": float(form.weight.data),
        "min_score": lo,
        "max_score": hi,
        "levels": rubric.parse_levels(form.levels_ko.data, form.levels_en.data, lo, hi),
    }


def _show_errors(form: CriterionForm, error: ValidationFailed) -> None:
    fields = error.details.get("fields") or {}
    for name, message in fields.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors = [*target.errors, message]
    if not fields:
        flash(str(error.message), "error")


def _edit(event: Event, criterion: Criterion | None):
    form = CriterionForm(obj=criterion)
    if request.method == "GET" and criterion is not None:
        form.levels_ko.data = rubric.levels_text(criterion.levels, "ko")
        form.levels_en.data = rubric.levels_text(criterion.levels, "en")
    if form.validate_on_submit():
        try:
            values = _values(form)
            if criterion is None:
                rubric.add_criterion(event, **values)
            else:
                rubric.update_criterion(criterion, **values)
        except ValidationFailed as error:
            db.session.rollback()
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(_("The rubric is saved."), "success")
            return redirect(url_for("judging.rubric_page", slug=event.slug))
    return render_template(
        "judging/criterion_form.html",
        event=event,
        form=form,
        criterion=criterion,
        locked=rubric.is_locked(event),
    )


@bp.route("/events/<slug>/judging/rubric/new", methods=["GET", "POST"])
@login_required
def new_criterion(slug: str):
    return _edit(organized_event(slug), None)


@bp.route("/events/<slug>/judging/rubric/<int:criterion_id>/edit", methods=["GET", "POST"])
@login_required
def edit_criterion(slug: str, criterion_id: int):
    event = organized_event(slug)
    return _edit(event, _criterion(event, criterion_id))


@bp.post("/events/<slug>/judging/rubric/<int:criterion_id>/delete")
@login_required
def delete_criterion(slug: str, criterion_id: int):
    event = organized_event(slug)
    rubric.delete_criterion(_criterion(event, criterion_id))
    db.session.commit()
    flash(_("The criterion is deleted."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/<int:criterion_id>/move")
@login_required
def move_criterion(slug: str, criterion_id: int):
    event = organized_event(slug)
    step = -1 if request.form.get("direction") == "up" else 1
    rubric.move_criterion(_criterion(event, criterion_id), step)
    db.session.commit()
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/unlock")
@login_required
def unlock_rubric(slug: str):
    event = organized_event(slug)
    form = UnlockForm()
    rubric.unlock_rubric(event, form.reason.data if form.validate_on_submit() else "")
    db.session.commit()
    flash(_("The rubric is unlocked; your reason is recorded. Lock it again when done."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/lock")
@login_required
def lock_rubric(slug: str):
    event = organized_event(slug)
    rubric.lock_rubric(event)
    db.session.commit()
    flash(_("The rubric is locked again."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))
