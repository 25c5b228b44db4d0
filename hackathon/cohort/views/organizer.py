"""Organizers: the program's trainees, sortable and filterable."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from hackathon.cohort import rules
from hackathon.cohort.logic.people import SORT_KEYS, facets, filter_rows, sort_rows
from hackathon.cohort.services import record
from hackathon.cohort.views import bp
from hackathon.events import services as events


@bp.get("/programs/<slug>/people")
@login_required
def people(slug: str) -> ResponseReturnValue:
    """Every trainee of the program with their events, best rank, awards and peer mean."""
    program = events.get_program(slug)
    if not rules.can_see_people(current_user, program):
        abort(404)
    found = record.records(program, record.organizer_sight(current_user, program))
    rows = [record.person_row(r) for r in found]
    tracks, _every_name, _skills = facets(rows)
    # Rows match an award by either of its names; the choices show the reader's language.
    awards = sorted({record.award_label(a) for r in found for a in (*r.team_awards, *r.awards)})
    args = request.args
    filters = {k: args.get(k, "").strip()[:100] for k in ("query", "track", "award")}
    sort = args.get("sort", "name") if args.get("sort") in SORT_KEYS else "name"
    descending = args.get("dir") == "desc"
    shown = sort_rows(filter_rows(rows, **filters), sort, descending)
    return render_template(
        "cohort/people.html",
        program=program,
        rows=shown,
        records={r.user.id: r for r in found},
        total=len(rows),
        tracks=tracks,
        awards=awards,
        filters=filters,
        sort=sort,
        descending=descending,
    )
