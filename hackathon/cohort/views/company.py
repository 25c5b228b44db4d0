"""The talent view: published portfolios for the program's company reps, mentors and
organizers, filtered by skill, award and track."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from hackathon.cohort import rules
from hackathon.cohort.logic.people import PersonRow, facets, filter_rows
from hackathon.cohort.services import portfolio as portfolios
from hackathon.cohort.views import bp
from hackathon.events import services as events


@bp.get("/programs/<slug>/talent")
@login_required
def talent(slug: str) -> ResponseReturnValue:
    program = events.get_program(slug)
    if not rules.can_browse_talent(current_user, program):
        abort(404)
    cards = {c.user_id: c for c in portfolios.published_portfolios(program)}
    rows = [
        PersonRow(
            c.user_id,
            c.name,
            tracks=frozenset(c.tracks),
            award_names=frozenset(c.awards),
            skills=frozenset(c.skills),
        )
        for c in cards.values()
    ]
    tracks, awards, skills = facets(rows)
    filters = {k: request.args.get(k, "").strip()[:100] for k in ("skill", "award", "track")}
    shown = sorted(filter_rows(rows, **filters), key=lambda r: (r.name.casefold(), r.id))
    return render_template(
        "cohort/talent.html",
        program=program,
        cards=[cards[r.id] for r in shown],
        total=len(rows),
        tracks=tracks,
        awards=awards,
        skills=skills,
        filters=filters,
    )
