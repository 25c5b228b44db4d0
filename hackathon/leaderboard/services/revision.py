"""The board's revision, and every write that moves it on.

A board's `revision` (on its `Leaderboard` row) is the key of every cached view of it: a
view is never invalidated, a new revision is a new key. So every write that changes what
the board shows bumps the revision in the same transaction; one that changes nothing it
shows is not noticed here, and keeps the views and their ETags (unless its writer calls
`scores_changed` all the same). A board that has no row yet has no revision: its views
are not cached at all (see `public`); the first write the watch below notes gives it one.

What the board reads, and so what is watched here (the `WATCHED` columns):

- the submitted assignments and their scores: a score set, changed or cleared on a
  submitted assignment, an assignment submitted, reopened, moved or removed while
  submitted (a draft's autosave changes nothing the board shows); a calibration item's
  assignment never counts, so its writes are not noticed, unless its purpose changes;
- what counts (judging's `counting`): a judge made a shadow or a counting judge again, an
  assignment's purpose changed (marking a calibration item adds assignments of its own
  and changes nothing the board shows);
- the rubric: a criterion's name, English name, weight, scale and order, one added or
  removed;
- the teams: name and track, one added or removed; the tracks: name, English name and
  order; the time a team handed in (it breaks ties);
- the awards, and the names of the companies they are given by;
- the event's slug, scoring mode and opening time (before it, the board is not public).

Every flush of the session notes the events whose watched columns changed (a value set to
what it already was changes nothing), and the revision of each is bumped once, just before
the transaction commits. `bump` bumps one at once (`board.scores_changed` calls it). A bulk
statement (`update(Team)…`) names no event we can
tell, so one on a watched table moves every board on when it commits; SQL that goes round
the session entirely must call `scores_changed` itself.

The state of the board (hidden, live, frozen, published) and its snapshot are on the same
row; `board.set_state` bumps the revision when it changes them. The event's scoring mode,
slug and opening time are read together with the revision (see `pointer`), and mode and
slug are part of every key beside it, so even an edit of the event that goes round the
session is seen; the session's edits of them bump the revision as well, so that this
process sees them at its next request like every other change.

Once the transaction has committed, this process forgets the pointers it remembered of
those boards: its next request reads the new revision.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from flask import current_app, has_app_context
from sqlalchemy import CursorResult, event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from hackathon.db import utcnow
from hackathon.events.models import Company, Event
from hackathon.extensions import db
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
    AssignmentStatus,
    Criterion,
    Score,
    ShadowJudge,
)
from hackathon.leaderboard.models import Award, BoardState, Leaderboard
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team, Track

# The columns the board is computed and shown from, per model.
WATCHED: dict[type, tuple[str, ...]] = {
    Assignment: ("event_id", "judge_id", "team_id", "status", "purpose"),
    ShadowJudge: ("event_id", "judge_id"),
    Score: ("assignment_id", "criterion_id", "value"),
    Criterion: ("event_id", "name", "name_en", "weight", "min_score", "max_score", "position"),
    Team: ("event_id", "name", "track_id"),
    Track: ("event_id", "name", "name_en", "position"),
    Submission: ("event_id", "team_id", "submitted_at"),
    Award: ("event_id", "name", "name_en", "team_id", "company_id", "position"),
    Company: ("name",),
    # Read with the revision and part of every key beside it (see `pointer`); bumped too,
    # so that this process forgets what it remembered of the board.
    Event: ("slug", "scoring_mode", "registration_opens_at"),
}
WATCHED_TABLES: frozenset[str] = frozenset(inspect(model).local_table.name for model in WATCHED)

# What the current transaction did, in `session.info`.
PENDING = "leaderboard_pending"  # events whose board changed, to bump at commit
TOUCHED = "leaderboard_touched"  # events bumped or to be bumped: forgotten after commit
EVERY = "leaderboard_every"  # a bulk write on a watched table: every board


def bump(event_id: int) -> None:
    """Bump the event's revision now, in the current transaction (the board is created,
    hidden, if it has none yet)."""
    result = db.session.execute(
        update(Leaderboard)
        .where(Leaderboard.event_id == event_id)
        .values(revision=Leaderboard.revision + 1, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if not cast("CursorResult[Any]", result).rowcount:  # an UPDATE's result
        try:
            with db.session.begin_nested():
                db.session.add(Leaderboard(event_id=event_id, state=BoardState.HIDDEN, revision=2))
        except IntegrityError:  # created meanwhile by another transaction
            bump(event_id)
            return
    bumped(event_id)


def bumped(event_id: int) -> None:
    """Note that the event's revision was bumped in the current transaction: it needs no
    bump at commit, and this process forgets its pointer once the transaction commits."""
    info = db.session.info
    info.setdefault(PENDING, set()).discard(event_id)
    info.setdefault(TOUCHED, set()).add(event_id)


def note(session: Session, event_ids: Iterable[int | None]) -> None:
    """These events' boards changed in the session's transaction: bump them at commit."""
    ids = {i for i in event_ids if i is not None}
    if ids:
        session.info.setdefault(PENDING, set()).update(ids)
        session.info.setdefault(TOUCHED, set()).update(ids)


# Which events a write touches -----------------------------------------------------------


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _values(obj: Any, name: str) -> set[Any]:
    """Every value the attribute had or has in this flush (old and new)."""
    history = inspect(obj).attrs[name].history
    values = {*history.added, *history.unchanged, *history.deleted}
    return values or {getattr(obj, name)}


def _submitted(obj: Assignment, added: bool) -> bool:
    """Whether an assignment is or was submitted in this flush: only submitted work counts,
    and never a calibration item's (unless its purpose changes)."""
    if added:
        return obj.status == AssignmentStatus.SUBMITTED and obj.purpose != (
            AssignmentPurpose.CALIBRATION
        )
    if _values(obj, "purpose") == {AssignmentPurpose.CALIBRATION}:
        return False
    history = inspect(obj).attrs.status.history
    if history.added and not (history.deleted or history.unchanged):
        return True  # set without its old value loaded: it may have been submitted
    return AssignmentStatus.SUBMITTED in _values(obj, "status")


def _assignments(session: Session, ids: set[int]) -> set[int]:
    """The events of those of these assignments that are or were submitted: as the session
    holds them, else as stored."""
    mapper = inspect(Assignment)
    events: set[int] = set()
    missing: set[int] = set()
    for assignment_id in ids:
        held = session.identity_map.get(mapper.identity_key_from_primary_key((assignment_id,)))
        if held is not None and {"event_id", "status", "purpose"} <= inspect(held).dict.keys():
            if _submitted(held, added=False):
                events.add(held.event_id)
        else:
            missing.add(assignment_id)
    if missing:
        events |= set(
            session.scalars(
                select(Assignment.event_id).where(
                    Assignment.id.in_(sorted(missing)),
                    Assignment.status == AssignmentStatus.SUBMITTED,
                    Assignment.purpose != AssignmentPurpose.CALIBRATION,
                )
            )
        )
    return events


def _touched(session: Session, objects: Iterable[Any], how: str) -> set[int]:
    """The events whose boards these objects' changes reach; `how` they change: "added",
    "deleted" (every watched column counts) or "changed" (those that changed)."""
    changed = how == "changed"
    events: set[int] = set()
    scores: set[int] = set()
    companies: set[int] = set()
    for obj in objects:
        names = WATCHED.get(type(obj))
        if names is None or (changed and not _changed(obj, names)):
            continue
        if isinstance(obj, Score):
            scores |= _values(obj, "assignment_id") if changed else {obj.assignment_id}
        elif isinstance(obj, Company):
            companies.add(obj.id)
        elif isinstance(obj, Event):
            events.add(obj.id)
        elif isinstance(obj, Assignment):
            if _submitted(obj, added=how == "added"):
                events |= _values(obj, "event_id")
        elif isinstance(obj, Submission) and not changed and obj.submitted_at is None:
            continue  # a hand-in not made: the same as none for the board
        else:
            events |= _values(obj, "event_id") if changed else {obj.event_id}
    if scores:
        events |= _assignments(session, scores - {None})
    if companies:
        events |= set(
            session.scalars(select(Award.event_id).where(Award.company_id.in_(sorted(companies))))
        )
    return events


def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    # Changed and deleted rows are read before the flush, while they are all still there.
    note(session, _touched(session, session.dirty, "changed"))
    note(session, _touched(session, session.deleted, "deleted"))


def _note_additions(session: Session, _context: Any) -> None:
    # New rows after it: their keys (set through relationships too) are known by then.
    note(session, _touched(session, session.new, "added"))


def _note_bulk_writes(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            state.session.info[EVERY] = True


# The transaction ------------------------------------------------------------------------


def _bump_at_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # what is still unflushed is noted too
    info = session.info
    pending = info.pop(PENDING, None)
    if info.get(EVERY):
        session.execute(
            update(Leaderboard)
            .values(revision=Leaderboard.revision + 1, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
    elif pending:
        session.execute(
            update(Leaderboard)
            .where(Leaderboard.event_id.in_(sorted(pending)))  # one lock order for all
            .values(revision=Leaderboard.revision + 1, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        # A board without a row gets one (hidden, past its first revision), as `bump`
        # gives it: from now on its views are cached under a revision like any other.
        boards = set(
            session.scalars(
                select(Leaderboard.event_id).where(Leaderboard.event_id.in_(sorted(pending)))
            )
        )
        for event_id in sorted(set(pending) - boards):
            bump(event_id)


def _forget_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return
    every = session.info.pop(EVERY, False)
    touched = session.info.pop(TOUCHED, None)
    session.info.pop(PENDING, None)
    if not (every or touched) or not has_app_context():
        return
    cache = current_app.extensions.get("leaderboard_cache")
    if cache is not None:
        cache.forget(None if every else touched)


def _rolled_back(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint undone may have held a bump while the writes before it stay: bump
        # every board this transaction touched again at commit, to be sure.
        touched = session.info.get(TOUCHED)
        if touched:
            session.info.setdefault(PENDING, set()).update(touched)


def _forget_transaction(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost one: rolled back, or committed above
        for key in (PENDING, TOUCHED, EVERY):
            session.info.pop(key, None)


LISTENERS = (
    ("before_flush", _note_changes),
    ("after_flush", _note_additions),
    ("do_orm_execute", _note_bulk_writes),
    ("before_commit", _bump_at_commit),
    ("after_commit", _forget_committed),
    ("after_rollback", _rolled_back),
    ("after_transaction_end", _forget_transaction),
)


def watch_sessions() -> None:
    """Start watching every session's writes (the leaderboard's `init_app` calls it; a
    second call changes nothing)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
