"""Which state and revision a board is in: the one read every request for a board needs.

The pointer (the event's id, slug and scoring mode, the board's state, revision and
snapshot) is read from the database in one query, compiled once per database and run on a
raw pooled connection: building and executing a select through SQLAlchemy costs several
times the query itself. Its `version` names one content of the board, so it is the first
part of every cached view's key (see `revision` for what bumps it).

Reading it is the one database query a cached board costs, so each process remembers the
pointers it read for `LEADERBOARD_POINTER_SECONDS` (1 s by default). How quickly a change
is seen, then:

- in the process that committed it, at its next request: a commit that bumps a revision
  makes the process forget what it remembered of that board (and a pointer read while
  that commit went on is not remembered);
- in every other process, within `LEADERBOARD_POINTER_SECONDS` of the commit; a change of
  the board's state is answered only after that (`wait_until_seen_everywhere`).

Meanwhile a process serves the view it was already serving, so remembering the pointer
shows nothing new: a live view is only ever built after checking, once its scores are
read, that the board is still live.

The pointers are kept with the views, in the one cache (`cache.ViewCache`), but not shared
through Redis as the views are: a copy there, rewritten at each commit, would show a change
everywhere at once, but asking Redis for it costs a round trip per request, about what the
database read costs and what this memory is here to save. A second is the price of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select

from hackathon.db import utcnow
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.leaderboard.models import BoardState, Leaderboard

MEMO_LIMIT = 4096


@dataclass(frozen=True)
class Pointer:
    event_id: int
    slug: str
    mode: str
    state: BoardState
    revision: int
    snapshot_id: int | None
    draft: bool
    stamp: str = ""  # the board row's last change, as stored: event ids can be reused
    changed_at: str = ""  # the same moment in ISO 8601 UTC ("…Z"): a live board's time

    @cached_property
    def version(self) -> str:
        """The board's part of every cache key. Beside the revision: the board row's last
        change (an event id may come back after a delete), and the event's scoring mode and
        slug, read with it: the public view is computed in that mode and names that slug,
        and an edit of the event changes either without touching the board's row."""
        return f"{self.event_id}:{self.revision}@{self.stamp}:{self.mode}:{self.slug}"


POINTER = (
    select(
        Event.id,
        Event.scoring_mode,
        Event.registration_opens_at,
        Leaderboard.state,
        Leaderboard.revision,
        Leaderboard.snapshot_id,
        Leaderboard.updated_at,
    )
    .outerjoin(Leaderboard, Leaderboard.event_id == Event.id)
    .where(Event.slug == bindparam("slug"))
)
_compiled: dict[Any, tuple[str, Any, Any]] = {}


def _sql(engine: Any) -> tuple[str, Any, Any]:
    if engine not in _compiled:
        dialect = engine.dialect
        compiled = POINTER.compile(dialect=dialect)
        when = Event.__table__.c.registration_opens_at.type
        as_time = when.dialect_impl(dialect).result_processor(dialect, None)
        _compiled[engine] = (str(compiled), compiled, as_time)
    return _compiled[engine]


def read_pointer(slug: str) -> Pointer | None:
    """The board's state and revision as committed in the database now."""
    engine = db.engine
    sql, compiled, as_time = _sql(engine)
    values = compiled.construct_params({"slug": slug})
    params = tuple(values[k] for k in compiled.positiontup) if compiled.positional else values
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(sql, params)
        row = cursor.fetchone()
        cursor.close()
    finally:
        conn.close()
    if row is None:
        return None
    event_id, mode, opens, state, revision, snapshot_id, changed = row
    opens = as_time(opens) if as_time else opens
    moment = as_time(changed) if as_time and changed is not None else changed
    return Pointer(
        event_id,
        slug,
        str(mode),
        BoardState(state or BoardState.HIDDEN),
        revision or 0,
        snapshot_id,
        draft=opens is None or utcnow() < opens,
        stamp=str(changed or "").replace(" ", "T"),
        changed_at=_iso(moment),
    )


def _iso(moment: Any) -> str:
    """A stored moment as the board's payloads write times: ISO 8601 in UTC, "Z"."""
    if not isinstance(moment, datetime):
        return ""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def wait_until_seen_everywhere() -> None:
    """Called once a change of a board is committed: return when no process can still
    serve what the board was before it, every pointer read before the commit forgotten
    (a pointer is timed from the moment its read began). A change of state calls it before
    answering, so that once the organizer is told the board is published, every reader's
    next request gets the published board."""
    time.sleep(float(current_app.config.get("LEADERBOARD_POINTER_SECONDS", 1.0)))


class Pointers:
    """The pointers this process read, each remembered for `LEADERBOARD_POINTER_SECONDS`."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[Pointer | None, float]] = {}
        self.generation = 0  # moves on whenever pointers are forgotten

    def get(self, slug: str) -> Pointer | None:
        ttl = float(current_app.config.get("LEADERBOARD_POINTER_SECONDS", 1.0))
        now = time.monotonic()
        known = self.known.get(slug)
        if known is not None and now - known[1] < ttl:
            return known[0]
        generation = self.generation
        found = read_pointer(slug)
        if generation == self.generation:  # else a commit may have moved it on since
            if len(self.known) >= MEMO_LIMIT:  # unknown slugs must not grow it without bound
                self.known.clear()
            self.known[slug] = (found, now)
        return found

    def forget(self, event_ids: set[int] | None) -> None:
        """Forget these boards' pointers (every board's with None), and the unknown slugs
        (one of them may name a new event now)."""
        self.generation += 1
        if event_ids is None:
            self.known.clear()
            return
        for slug, (ptr, _) in list(self.known.items()):
            if ptr is None or ptr.event_id in event_ids:
                self.known.pop(slug, None)
