"""A person of a program: their record for organizers and themself, their portfolio for
everyone else once published (404 before); the files a portfolio shows."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hackathon.caching import public_page
from hackathon.cohort import rules
from hackathon.cohort.services import portfolio as portfolios
from hackathon.cohort.services import record
from hackathon.cohort.views import bp
from hackathon.cohort.views.participant import record_page
from hackathon.events import services as events
from hackathon.events.models import Program
from hackathon.storage import StorageError, get_storage
from hackathon.submissions.rules import StorageUnavailable

DOWNLOAD_SECONDS = 300


@bp.get("/programs/<slug>/people/<int:user_id>")
@public_page
def person(slug: str, user_id: int) -> ResponseReturnValue:
    program = events.get_program(slug)
    organizer = rules.can_see_people(current_user, program)
    own = rules.is_self(current_user, user_id)
    if (organizer or own) and request.args.get("view") != "portfolio":
        return record_page(program, user_id, organizer)
    page = _visible_page(program, user_id, organizer or own)
    return render_template(
        "cohort/portfolio.html",
        program=program,
        page=page,
        preview=not page.portfolio.public,
        own=own,
    )


def _visible_page(program: Program, user_id: int, insider: bool) -> portfolios.PortfolioPage:
    """The portfolio page if this reader may see it: once published, anyone; before, only
    the trainee and the organizers. Everyone else gets 404, as for no portfolio at all."""
    page = portfolios.portfolio_page(program, user_id)
    if page is None or not (page.portfolio.public or insider):
        abort(404)
    return page


@bp.get("/programs/<slug>/people/<int:user_id>/files/<int:file_id>")
def portfolio_file(slug: str, user_id: int, file_id: int) -> ResponseReturnValue:
    """A file the trainee chose to show: a redirect to a short-lived URL, for whoever may
    see the portfolio."""
    program = events.get_program(slug)
    insider = rules.can_see_people(current_user, program) or rules.is_self(current_user, user_id)
    if not (insider or portfolios.is_published(program, user_id)):
        abort(404)
    row = portfolios.shown_file(program, user_id, file_id)
    if row is None:
        abort(404)
    try:
        url = get_storage().download_url(
            row.key, row.original_name, row.content_type, DOWNLOAD_SECONDS
        )
    except StorageError as error:
        raise StorageUnavailable() from error
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_context_processor
def cohort_helpers() -> dict[str, Any]:
    def cohort_links(program: Program) -> dict[str, Any]:
        """What the program page offers this reader: the people list, the talent view,
        their own record."""
        own = (
            current_user.id
            if current_user.is_authenticated and record.is_trainee(program, current_user.id)
            else None
        )
        return {
            "people": rules.can_see_people(current_user, program),
            "talent": rules.can_browse_talent(current_user, program),
            "own": own,
        }

    return {"cohort_links": cohort_links}
