"""Leaderboard rules: computing the board, its states and snapshots, and awards.

Services only flush; the request (or command) commits once. Every change of state,
snapshot and award is written to the audit log and bumps the board's `revision`, the key
of every cached view, in the same transaction (state changes here, the other writes the
board reads by the `revision` module's watch of the session).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon import audit
from hackathon.db import utcnow
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Company, Event
from hackathon.events.services import take_turns
from hackathon.extensions import db
from hackathon.leaderboard.logic import ranking
from hackathon.leaderboard.logic.rows import build_board
from hackathon.leaderboard.models import Award, BoardState, Leaderboard, Snapshot
from hackathon.leaderboard.services import notices, revision, votes
from hackathon.leaderboard.services.inputs import load_inputs
from hackathon.teams.models import Team

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
PUBLIC_STATES = frozenset({BoardState.LIVE, BoardState.FROZEN, BoardState.PUBLISHED})
SNAPSHOT_REASON = {BoardState.FROZEN: "freeze", BoardState.PUBLISHED: "publish"}

# How often the board was computed from scores, per process: tests and the bench read it.
STATS: Counter[str] = Counter()


class SameState(Conflict):
    code = "same_state"
    message = _l("The leaderboard is already in that state.")


class ScoresDoNotFit(Conflict):
    code = "scores_do_not_fit"
    message = _l(
        "The scores do not fit the rubric (a scale or criterion changed after scoring). "
        "Check the rubric."
    )


def _ranked(compute: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a ranking function; inconsistent data is a clear error, not a crash. What is
    wrong names a judge and a score: it goes to the log, never into the response."""
    try:
        return compute(*args, **kwargs)
    except ValueError as error:
        log.error("leaderboard: inconsistent scores: %s", error)
        raise ScoresDoNotFit() from error


def get_board(event_id: int) -> Leaderboard | None:
    return db.session.scalar(select(Leaderboard).where(Leaderboard.event_id == event_id))


def ensure_board(event: Event) -> Leaderboard:
    """The event's board, created hidden on first use."""
    board = get_board(event.id)
    if board is None:
        board = Leaderboard(event_id=event.id, state=BoardState.HIDDEN, revision=1)
        db.session.add(board)
        db.session.flush()
    return board


def scores_changed(event_id: int) -> None:
    """Call after writing an event's scores, in the same transaction: bumps the revision
    at once, so every cached view of the board is rebuilt from the new scores. (A write
    through the session is noticed and bumped at commit without it; see `revision`.)"""
    revision.bump(event_id)


def compute_board(event: Event, mode: str | None = None) -> dict[str, Any]:
    """The board from the current submitted scores (docs/scoring.md), full precision."""
    mode = mode or str(event.scoring_mode)
    inputs = load_inputs(event.id)
    rows = _ranked(ranking.compute_leaderboard, inputs.criteria, inputs.teams, inputs.scores, mode)
    STATS["computations"] += 1
    return build_board(rows, inputs.criteria, mode=mode, computed_at=utcnow(), labels=inputs.labels)


def robustness(event: Event, mode: str | None = None, rounds: int = 200) -> dict[str, Any]:
    """Organizers only: the median and Borda rankings, whether the top three differ from
    the official ranking, each team's bootstrap rank interval over its judges, and the
    groups of the judge–team graph (teams' names; more than one is worth a warning)."""
    mode = mode or str(event.scoring_mode)
    inputs = load_inputs(event.id)
    args = (inputs.criteria, inputs.teams, inputs.scores)
    official = _ranked(ranking.compute_leaderboard, *args, mode)
    median = ranking.median_ranking(*args)
    borda = ranking.borda_ranking(*args)
    intervals = ranking.bootstrap_rank_intervals(*args, mode=mode, rounds=rounds)
    names = {t.id: t.name for t in inputs.teams}
    return {
        "groups": _group_names(ranking.judge_groups(*args), names),
        "median": {r.team.id: r.rank for r in median},
        "borda": {r.team.id: r.rank for r in borda},
        "intervals": intervals,
        "top_differs": ranking.top_differs(official, median, borda),
        "tied_at_top": _tied_at_top(official, intervals),
    }


def judge_groups(event: Event) -> list[list[str]]:
    """The team names of each connected group of the judge–team graph, largest first; more
    than one group means some scores cannot be compared through a shared judge."""
    inputs = load_inputs(event.id)
    groups = _ranked(ranking.judge_groups, inputs.criteria, inputs.teams, inputs.scores)
    return _group_names(groups, {t.id: t.name for t in inputs.teams})


def _group_names(groups: Any, names: dict[int, str]) -> list[list[str]]:
    return [sorted(names[t] for t in group.teams) for group in groups]


def _tied_at_top(rows: list[ranking.Row], intervals: dict[int, tuple[int, int]]) -> list[str]:
    """Teams outside the top three whose rank interval reaches into it."""
    return [
        r.team.name
        for r in rows
        if r.rank is not None and r.rank > 3 and intervals.get(r.team.id, (r.rank,))[0] <= 3
    ]


def set_state(event: Event, state: BoardState | str) -> Leaderboard:
    """Move the board to a state; freezing and publishing store a new versioned snapshot.

    Two changes of one board's state take turns on the event's row (`take_turns`), which
    score writes pass. The board's own row is locked last, for the moment it takes to
    commit: every submitted score bumps the board's revision as it commits, and a lock held
    on it while the snapshot is computed and the cohort is told would hold up every judge.
    The snapshot is the board as the scores stood when it was computed; a score committed
    after that is a score given after the freeze or the publication (docs/architecture.md,
    "The public leaderboard")."""
    state = BoardState(state)
    ensure_board(event)
    take_turns(event)
    old = BoardState(_current(event.id, lock=False).state)
    if state == old:
        raise SameState()
    snapshot = None
    if state == BoardState.PUBLISHED:
        votes.award_at_publication(event)  # before the snapshot, which keeps the awards
    if state in SNAPSHOT_REASON:
        snapshot = take_snapshot(event, SNAPSHOT_REASON[state])
    if state == BoardState.PUBLISHED and snapshot is not None:
        notices.published(event, snapshot)
    board = _current(event.id, lock=True)
    board.snapshot_id = snapshot.id if snapshot else None
    board.state = state
    board.revision = board.revision + 1
    db.session.flush()
    revision.bumped(event.id)
    audit.record(
        "leaderboard.state",
        event_id=event.id,
        subject=board,
        old=str(old),
        new=str(state),
        snapshot=snapshot.version if snapshot else None,
    )
    return board


def _current(event_id: int, *, lock: bool) -> Leaderboard:
    """The board's row as it is now in the database (another transaction may have bumped
    its revision since this one read it), locked for update if asked."""
    query = (
        select(Leaderboard)
        .where(Leaderboard.event_id == event_id)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query.with_for_update() if lock else query).one()


def take_snapshot(event: Event, reason: str) -> Snapshot:
    """Store the board computed now as the event's next snapshot version."""
    data = compute_board(event)
    if reason == "publish":
        data["awards"] = award_dicts(event.id)
    latest = db.session.scalar(
        select(func.max(Snapshot.version)).where(Snapshot.event_id == event.id)
    )
    snapshot = Snapshot(
        event_id=event.id,
        version=(latest or 0) + 1,
        reason=reason,
        mode=data["mode"],
        data=data,
        created_by=audit.actor_id(),
    )
    db.session.add(snapshot)
    db.session.flush()
    audit.record(
        "leaderboard.snapshot",
        event_id=event.id,
        subject=snapshot,
        version=snapshot.version,
        reason=reason,
        mode=snapshot.mode,
    )
    return snapshot


def snapshots(event_id: int) -> list[Snapshot]:
    return list(
        db.session.scalars(
            select(Snapshot).where(Snapshot.event_id == event_id).order_by(Snapshot.version.desc())
        )
    )


def get_snapshot(event_id: int, version: int) -> Snapshot:
    snapshot = db.session.scalar(
        select(Snapshot).where(Snapshot.event_id == event_id, Snapshot.version == version)
    )
    if snapshot is None:
        raise NotFound()
    return snapshot


# Awards ------------------------------------------------------------------------------


def awards(event_id: int) -> list[Award]:
    return list(
        db.session.scalars(
            select(Award).where(Award.event_id == event_id).order_by(Award.position, Award.id)
        )
    )


def award_dicts(event_id: int) -> list[dict[str, Any]]:
    """Awards as plain data for the board's readers, in their order."""
    rows = db.session.execute(
        select(Award, Team.name, Company.name)
        .outerjoin(Team, Team.id == Award.team_id)
        .outerjoin(Company, Company.id == Award.company_id)
        .where(Award.event_id == event_id)
        .order_by(Award.position, Award.id)
    ).all()
    return [
        {
            "id": a.id,
            "name": a.name,
            "name_en": a.name_en,
            "position": a.position,
            "team": {"id": a.team_id, "name": team} if a.team_id else None,
            "company": company,
        }
        for a, team, company in rows
    ]


def get_award(event: Event, award_id: int) -> Award:
    award = db.session.get(Award, award_id)
    if award is None or award.event_id != event.id:
        raise NotFound()
    return award


def award_names(values: dict[str, Any], errors: dict[str, str]) -> tuple[str, str | None]:
    """An award's Korean name (required) and English one, each of at most 200 characters;
    what is wrong goes into `errors` by field. Team prizes and individual awards share it."""
    name = (values.get("name") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = str(_l("Give the award a name of at most 200 characters."))
    name_en = (values.get("name_en") or "").strip() or None
    if name_en and len(name_en) > 200:
        errors["name_en"] = str(_l("Give the award a name of at most 200 characters."))
    return name, name_en


def _check_award(event: Event, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name, name_en = award_names(values, errors)
    team_id = values.get("team_id") or None
    if (
        team_id is not None
        and db.session.scalar(select(Team.id).where(Team.id == team_id, Team.event_id == event.id))
        is None
    ):
        errors["team_id"] = str(_l("Choose a team of this event."))
    company_id = values.get("company_id") or None
    if company_id is not None and db.session.get(Company, company_id) is None:
        errors["company_id"] = str(_l("Unknown company."))
    if errors:
        raise ValidationFailed(fields=errors)
    return {"name": name, "name_en": name_en, "team_id": team_id, "company_id": company_id}


def create_award(event: Event, **values: Any) -> Award:
    """Name a prize (optionally given to a team, optionally a company's); it goes last."""
    clean = _check_award(event, values)
    last = db.session.scalar(select(func.max(Award.position)).where(Award.event_id == event.id))
    award = Award(event_id=event.id, position=(last or 0) + 1, **clean)
    db.session.add(award)
    db.session.flush()
    _award_changed(event, "award.create", award, **clean)
    return award


def update_award(event: Event, award: Award, **values: Any) -> Award:
    """Rename a prize or give it to another team (or to none)."""
    clean = _check_award(event, values)
    before = {k: getattr(award, k) for k in clean}
    for key, value in clean.items():
        setattr(award, key, value)
    db.session.flush()
    _award_changed(event, "award.update", award, before=before, after=clean)
    return award


def delete_award(event: Event, award: Award) -> None:
    _award_changed(event, "award.delete", award, name=award.name, team_id=award.team_id)
    db.session.delete(award)
    db.session.flush()


def move_award(event: Event, award: Award, step: int) -> None:
    """Swap a prize with its neighbour above (step -1) or below (+1)."""
    ordered = awards(event.id)
    index = next(i for i, a in enumerate(ordered) if a.id == award.id)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()
    _award_changed(event, "award.move", award, order=[a.id for a in ordered])


def _award_changed(event: Event, action: str, award: Award, **details: Any) -> None:
    # The boards show awards: the award's write bumps the revision when it commits (see
    # `revision`), and only if it changed something.
    audit.record(action, event_id=event.id, subject=award, **details)
    ensure_board(event)
