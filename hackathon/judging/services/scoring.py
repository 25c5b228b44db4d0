"""Writing scores: set, never added; versioned; every change audited in the same transaction.

The caller locks the assignment row (`SELECT … FOR UPDATE`) before calling `record_scores`,
so writers of one assignment take turns: the version they read is the version they change,
and one row per (assignment, criterion) is an upsert that no other writer can race.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from hackathon.audit import request_id
from hackathon.db import utcnow
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentStatus, Criterion, Score, ScoreChange
from hackathon.judging.rules import StaleVersion, criteria_of, require_judging_open
from hackathon.numbers import int_or_none

MAX_TEXT = 10_000


@dataclass
class ScoreUpdate:
    """What a judge sends: values to set (None clears one), texts, and the version read."""

    scores: dict[int, int | None] = field(default_factory=dict)
    feedback: str | None = None
    note: str | None = None
    submit: bool = False
    version: int | None = None


def parse_value(raw: Any) -> int | bool | None:
    """A whole number, None for "no score", or False when the value is not a whole number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else False
    if isinstance(raw, str):
        value = int_or_none(raw, signed=True)
        return False if value is None else value
    return False


def check_update(criteria: dict[int, Criterion], update: ScoreUpdate) -> None:
    """Refuse the whole update if any value is unknown, not whole, or off its scale."""
    errors: dict[str, str] = {}
    for criterion_id, value in update.scores.items():
        criterion = criteria.get(criterion_id)
        key = f"scores.{criterion_id}"
        if criterion is None:
            errors[key] = str(_l("There is no such criterion in this rubric."))
        elif value is False or (value is not None and not isinstance(value, int)):
            errors[key] = str(_l("A score must be a whole number."))
        elif value is not None and not criterion.min_score <= value <= criterion.max_score:
            errors[key] = str(
                _l(
                    "%(name)s: give a score from %(lo)d to %(hi)d.",
                    name=criterion.display_name,
                    lo=criterion.min_score,
                    hi=criterion.max_score,
                )
            )
    for name in ("feedback", "note"):
        text = getattr(update, name)
        if text is not None and (not isinstance(text, str) or len(text) > MAX_TEXT):
            errors[name] = str(_l("At most %(max)d characters.", max=MAX_TEXT))
    if errors:
        raise ValidationFailed(fields=errors)


class Recorded(NamedTuple):
    """What a write did: whether anything changed, and the assignment's scores after it."""

    changed: bool
    scores: dict[int, int]


class _Changes:
    """Collects the audit rows of one write; all of them share the request id. They are
    written in one statement, as rows: nothing reads them back in the same transaction."""

    def __init__(
        self, assignment: Assignment, actor_id: int | None, source: str, now: datetime
    ) -> None:
        self.assignment, self.actor_id, self.source, self.now = assignment, actor_id, source, now
        self.rows: list[dict[str, Any]] = []

    def add(self, field_name: str, old: Any, new: Any, criterion_id: int | None = None) -> None:
        self.rows.append(
            {
                "event_id": self.assignment.event_id,
                "assignment_id": self.assignment.id,
                "criterion_id": criterion_id,
                "field": field_name,
                "old_value": None if old is None else str(old),
                "new_value": None if new is None else str(new),
                "actor_id": self.actor_id,
                "source": self.source,
                "request_id": request_id(),
                "created_at": self.now,
            }
        )

    def write(self) -> None:
        if self.rows:
            db.session.execute(insert(ScoreChange), self.rows)


def record_scores(
    assignment: Assignment,
    update: ScoreUpdate,
    *,
    actor_id: int | None,
    source: str = "api",
    check_phase: bool = True,
    now: datetime | None = None,
) -> Recorded:
    """Apply a judge's update to a locked assignment: whether anything changed, and the
    scores it has now.

    A stale version is refused with 409 and a bad value with 422, before anything is
    written. Submitting needs a score on every criterion; saving a submitted assignment
    as a draft reopens it (it stops counting until submitted again).
    """
    event = db.session.get_one(Event, assignment.event_id)
    if check_phase:
        require_judging_open(event)
    if update.version is not None and update.version != assignment.version:
        raise StaleVersion(current_version=assignment.version)
    criteria = {c.id: c for c in criteria_of(event, lock=True)}
    check_update(criteria, update)
    now = now or utcnow()
    current = {
        s.criterion_id: s
        for s in db.session.scalars(select(Score).where(Score.assignment_id == assignment.id))
    }
    merged: dict[int, int | None] = {cid: s.value for cid, s in current.items()}
    merged.update(update.scores)
    after = {cid: v for cid, v in merged.items() if v is not None}
    if update.submit:
        missing = [c.display_name for cid, c in criteria.items() if cid not in after]
        if not criteria or missing:
            raise ValidationFailed(
                _l(
                    "Score every criterion before submitting: %(names)s",
                    names=", ".join(missing) or "—",
                ),
                missing=missing,
            )

    changes = _Changes(assignment, actor_id, source, now)
    for criterion_id, value in sorted(update.scores.items()):
        row = current.get(criterion_id)
        old = row.value if row is not None else None
        if old == value:
            continue
        changes.add("score", old, value, criterion_id)
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                Score(
                    assignment_id=assignment.id,
                    criterion_id=criterion_id,
                    value=value,
                    updated_at=now,
                )
            )
        else:
            row.value, row.updated_at = value, now
    for name in ("feedback", "note"):
        text = getattr(update, name)
        if text is not None and text != getattr(assignment, name):
            changes.add(name, getattr(assignment, name), text)
            setattr(assignment, name, text)
    _set_status(assignment, update.submit, bool(changes.rows), changes, now)
    if changes.rows:
        assignment.version += 1
        assignment.updated_at = now
        if assignment.opened_at is None:
            assignment.opened_at = now
    # The leaderboard sees the change of submitted work at commit (its revision watch); a
    # draft's autosave changes nothing it shows.
    db.session.flush()
    changes.write()
    return Recorded(bool(changes.rows), after)


def _set_status(
    assignment: Assignment, submit: bool, changed: bool, changes: _Changes, now: datetime
) -> None:
    old = AssignmentStatus(assignment.status)
    if submit:
        new = AssignmentStatus.SUBMITTED
    elif old == AssignmentStatus.SUBMITTED or changed:
        new = AssignmentStatus.IN_PROGRESS
    else:
        new = old
    if new == old and not (submit and changed):
        return
    if new != old:
        changes.add("status", old.value, new.value)
    assignment.status = new
    assignment.submitted_at = now if new == AssignmentStatus.SUBMITTED else None


def mark_opened(assignment: Assignment, now: datetime | None = None) -> bool:
    """Remember when the judge first opened the submission (for time spent)."""
    if assignment.opened_at is not None:
        return False
    assignment.opened_at = now or utcnow()
    db.session.flush()
    return True
