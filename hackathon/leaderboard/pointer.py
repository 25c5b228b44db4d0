"""Which state and revision a board is in: the one read every request for a board needs.

It is read from the database (compiled once per database, run on a raw pooled connection:
building and executing a select through SQLAlchemy costs several times the query itself)
and remembered per process for `LEADERBOARD_POINTER_SECONDS` (1 s by default). A process
forgets it as soon as it commits a change of that board itself (see `revision`); other
processes see the change within that second. What they serve meanwhile is the view they
were already serving, so remembering the pointer shows nothing new: a live view is only
ever built after checking, once its scores are read, that the board is still live.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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

    @property
    def version(self) -> str:
        """The board's part of a cache key. The event's scoring mode and slug are in it
        too: the public view is computed in that mode and names that slug, and changing
        either is an edit of the event that does not touch the board's revision."""
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
    return Pointer(
        event_id,
        slug,
        str(mode),
        BoardState(state or BoardState.HIDDEN),
        revision or 0,
        snapshot_id,
        draft=opens is None or utcnow() < opens,
        stamp=str(changed or "").replace(" ", "T"),
    )


def pointer(slug: str, memo: dict[str, tuple[Pointer | None, float]]) -> Pointer | None:
    """The pointer, remembered in `memo` for a second (see the module's docstring)."""
    ttl = float(current_app.config.get("LEADERBOARD_POINTER_SECONDS", 1.0))
    now = time.monotonic()
    known = memo.get(slug)
    if known is not None and now - known[1] < ttl:
        return known[0]
    found = read_pointer(slug)
    if len(memo) >= MEMO_LIMIT:  # unknown slugs must not grow it without bound
        memo.clear()
    memo[slug] = (found, now)
    return found
