"""A trainee's own record and portfolio; organizers see anyone's record on the same page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.cohort import rules
from hackathon.cohort.forms import PortfolioForm
from hackathon.cohort.services import portfolio as portfolios
from hackathon.cohort.services import record
from hackathon.cohort.views import bp
from hackathon.events import services as events
from hackathon.events.models import Program
from hackathon.web import writing


def record_page(program: Program, user_id: int, organizer: bool) -> ResponseReturnValue:
    """The record, for the organizers (every event's ranks as they may see them) and for
    the trainee themself (ranks only from published results)."""
    sight = record.organizer_sight(current_user, program) if organizer else record.OWN
    found = record.record_of(program, user_id, sight)
    if found is None:
        abort(404)
    return render_template(
        "cohort/record.html",
        program=program,
        record=found,
        portfolio=portfolios.get_portfolio(program, user_id),
        own=rules.is_self(current_user, user_id),
        organizer=organizer,
    )


@bp.route("/programs/<slug>/portfolio", methods=["GET", "POST"])
@login_required
def edit_portfolio(slug: str) -> ResponseReturnValue:
    """The trainee chooses what their portfolio shows, and publishes or hides it."""
    program = events.get_program(slug)
    own = record.record_of(program, current_user.id, record.OWN)
    if own is None:
        abort(404)
    existing = portfolios.get_portfolio(program, current_user.id)
    options = portfolios.project_options(own)
    form = PortfolioForm(obj=existing)
    if request.method == "GET":
        form.skills.data = "; ".join(portfolios.skills_of(existing, current_user))
        form.links.data = "\n".join(existing.links if existing else [])
    if form.validate_on_submit():
        with writing(form) as write:
            portfolios.save_portfolio(
                program,
                current_user,
                headline=form.headline.data or "",
                about=form.about.data or "",
                skills=form.skills.data or "",
                links=(form.links.data or "").splitlines(),
                public=bool(form.public.data),
                projects=_chosen(options),
            )
        if write.ok:
            flash(
                _("Your portfolio is published.")
                if form.public.data
                else _("Your portfolio is saved; only you and the organizers can see it."),
                "success",
            )
            return redirect(url_for("cohort.edit_portfolio", slug=slug))
    chosen = {p.event_id: p for p in existing.projects} if existing else {}
    return render_template(
        "cohort/edit_portfolio.html",
        program=program,
        form=form,
        options=options,
        chosen=chosen,
        portfolio=existing,
    )


def _chosen(options: list[portfolios.ProjectOption]) -> dict[int, dict[str, list[Any]]]:
    """The projects ticked on the form, each with its ticked files and feedback (feedback
    is named by its place in the list shown: its text may be long)."""
    picked = set(request.form.getlist("project"))
    out: dict[int, dict[str, list[Any]]] = {}
    for option in options:
        event_id = option.entry.event.id
        if str(event_id) not in picked:
            continue
        files = {str(f.id) for f in option.files} & set(request.form.getlist(f"file_{event_id}"))
        places = set(request.form.getlist(f"feedback_{event_id}"))
        out[event_id] = {
            "files": [int(f) for f in files],
            "feedback": [t for i, t in enumerate(option.feedback) if str(i) in places],
        }
    return out
