"""Public pages: the leaderboard, the gallery, a team's results; and the cohort report."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Response, abort, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.caching import choose, public_page
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.i18n import format_local
from hackathon.leaderboard.logic.charts import bars, histogram, progress
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import report, results
from hackathon.leaderboard.services.public import ask_from, resolve
from hackathon.leaderboard.views import bp
from hackathon.numbers import ascii_int
from hackathon.registry import get_registry
from hackathon.teams import rules as teams
from hackathon.teams.models import Team

if TYPE_CHECKING:
    from hackathon.events.models import Event
    from hackathon.leaderboard.services.cache import View

# Seconds between refreshes of an open page, per state (a 304 costs the server little).
POLL_SECONDS = {"live": 10, "frozen": 15, "published": 60, "hidden": 30}


def _visible_event(slug: str) -> Event:
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    return event


@bp.get("/events/<slug>/leaderboard")
def board(slug: str) -> ResponseReturnValue:
    event = _visible_event(slug)
    ask = ask_from("json")
    found = resolve(slug, ask)
    view, ptr = found.view, found.ptr
    choose(found.policy)
    g.cache_etag = True  # the page's own ETag, of its bytes (see `caching.finish`)
    params: dict[str, Any] = {
        k: v for k, v in request.args.items() if k in {"track", "source", "snapshot", "mode"}
    }
    every = current_app.config.get("LEADERBOARD_POLL_SECONDS")
    polls = {state: every or seconds for state, seconds in POLL_SECONDS.items()}
    preview = ask.source != "public" or ptr.state == BoardState.HIDDEN
    return render_template(
        "leaderboard/board.html",
        event=event,
        data=view.data,
        etag=f'W/"{_fragment_etag(view, event)}"',
        fragment_url=url_for("leaderboard.board_fragment", slug=slug, **params),
        polls={} if ask.source == "snapshot" else polls,
        organizer=events.is_organizer(current_user, event),
        preview=preview,
        projector=request.args.get("projector") == "1",
        params=params,
    )


@bp.get("/events/<slug>/leaderboard/fragment")
def board_fragment(slug: str):
    """The part of the board page that changes (state, awards, table) for the open page to
    swap in: seen by the same readers as the page, 404 while hidden, 304 when unchanged."""
    event = _visible_event(slug)
    found = resolve(slug, ask_from("json"))
    etag = _fragment_etag(found.view, event)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        html = render_template("leaderboard/_board.html", event=event, data=found.view.data)
        response = Response(html)
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = found.policy.header()
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def _fragment_etag(view: View, event: Event) -> str:
    """The board's own ETag, told apart per language and time zone the rows are written in."""
    words = f"{view.etag}|{get_locale()}|{event.timezone}".encode()
    return hashlib.blake2s(words, digest_size=12).hexdigest()


@bp.get("/events/<slug>/gallery")
@public_page
def gallery(slug: str) -> ResponseReturnValue:
    """Published projects; public once the results are published, organizers any time."""
    event = _visible_event(slug)
    published = results.results_published(event.id)
    organizer = events.is_organizer(current_user, event)
    if not (published or organizer):
        abort(404)
    return render_template(
        "leaderboard/gallery.html",
        event=event,
        items=results.gallery(event),
        preview=not published,
    )


@bp.get("/events/<slug>/results")
@login_required
def team_results(slug: str) -> ResponseReturnValue:
    """A team's own results after publication; organizers may open any team's, any time."""
    event = _visible_event(slug)
    organizer = events.is_organizer(current_user, event)
    board = results.published_board(event.id)
    if organizer and request.args.get("team"):
        team: Team | None = teams.get_team(event, request.args.get("team", type=ascii_int) or 0)
    else:
        team = teams.team_of(current_user, event)
    if team is None or (board is None and not organizer):
        abort(404)
    preview = board is None
    if board is None:
        board = services.compute_board(event)
    outcome = results.team_results(event, team, board)
    chart = bars(
        [(_bilingual(c["name"], c["name_en"]), c["mean"]) for c in outcome.criteria],
        title=team.name,
        reference=[c["average"] for c in outcome.criteria],
    )
    return render_template(
        "leaderboard/results.html", event=event, outcome=outcome, chart=chart, preview=preview
    )


@bp.get("/programs/<slug>/report")
@login_required
def program_report(slug: str) -> ResponseReturnValue:
    program = events.get_program(slug)
    if not report.can_see_report(current_user, program):
        abort(404)
    data = report.program_report(program, current_user)
    charts = {}
    for item in data.events:
        key = item.event.id
        charts[key] = {
            "judging": progress(item.judged, item.assignments, title=item.event.display_name),
            "spread": histogram(item.raw_scores, title=item.event.display_name),
            "criteria": bars(
                [(_bilingual(c["name"], c["name_en"]), c["average"]) for c in item.criteria],
                title=item.event.display_name,
            ),
        }
    # The program's other sides (its people: awards, participation, the job fair) come from
    # the features above, through the registry.
    sections = get_registry().report_sections_for(program, current_user)
    return render_template("leaderboard/report.html", report=data, charts=charts, sections=sections)


@bp.app_context_processor
def leaderboard_helpers() -> dict[str, Any]:
    def published_team_awards(team: Team | None) -> list[dict[str, Any]]:
        if team is None or not results.results_published(team.event_id):
            return []
        return [
            a for a in services.award_dicts(team.event_id) if (a["team"] or {}).get("id") == team.id
        ]

    return {
        "bilingual": _bilingual,
        "lb_state_labels": {
            "hidden": _("Hidden"),
            "live": _("Live"),
            "frozen": _("Frozen"),
            "published": _("Published"),
        },
        "published_team_awards": published_team_awards,
        "program_report_visible": lambda program: report.can_see_report(current_user, program),
    }


@bp.app_template_filter("lb_time")
def lb_time(value: str | None, tz: str | None = None) -> str:
    """An ISO time from a board payload, shown in the event's time zone."""
    if not value:
        return ""
    return format_local(datetime.fromisoformat(value.replace("Z", "+00:00")), tz)


def _bilingual(name: str | None, name_en: str | None) -> str:
    """The English name for English readers when there is one, else the Korean name."""
    return (name_en if name_en and str(get_locale()) == "en" else name) or ""
