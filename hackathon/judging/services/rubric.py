"""The rubric: an event's criteria, their scales and what each level means.

Once the first score exists the rubric is locked; an organizer may unlock it explicitly
(recorded in the audit log, with a reason) and lock it again. Even unlocked, a change never
strands a score: a scale must still hold every score given, and a criterion with scores
cannot be deleted.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon import audit
from hackathon.audit import AuditEntry
from hackathon.errors import Conflict, ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Criterion, Score
from hackathon.judging.rules import criteria_of, score_count
from hackathon.numbers import parse_int

LOCK_ACTIONS = ("rubric.unlocked", "rubric.locked")
LEVEL_LINE = re.compile(r"^\s*(-?[0-9]{1,9})\s*[:.)\-–]\s*(.+?)\s*$")
MAX_WEIGHT = 1000.0


class RubricLocked(Conflict):
    code = "rubric_locked"
    message = _l(
        "The rubric is locked because scoring has started. An organizer can unlock it first."
    )


def lock_entry(event: Event) -> AuditEntry | None:
    """The latest explicit unlock or lock of this event's rubric."""
    return db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.event_id == event.id, AuditEntry.action.in_(LOCK_ACTIONS))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def is_locked(event: Event) -> bool:
    """Locked once a score exists, unless an organizer's unlock is the latest word."""
    if score_count(event) == 0:
        return False
    entry = lock_entry(event)
    return entry is None or entry.action != "rubric.unlocked"


def require_editable(event: Event) -> None:
    if is_locked(event):
        raise RubricLocked()


def unlock_rubric(event: Event, reason: str) -> None:
    """Allow changes after scoring started; who, when and why go to the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _l("Say why the rubric must change; the reason is recorded."),
            fields={"reason": str(_l("A reason is required."))},
        )
    audit.record("rubric.unlocked", event_id=event.id, reason=reason[:500])
    db.session.flush()


def lock_rubric(event: Event) -> None:
    audit.record("rubric.locked", event_id=event.id)
    db.session.flush()


# Level descriptions are stored as {"5": {"ko": "…", "en": "…"}}.


def parse_levels(text_ko: str, text_en: str, lo: int, hi: int) -> dict[str, dict[str, str]]:
    """Lines like `5: 보통` in each language, merged by score; raise on a bad line."""
    levels: dict[str, dict[str, str]] = {}
    for lang, text in (("ko", text_ko), ("en", text_en)):
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            match = LEVEL_LINE.match(line)
            if match is None:
                raise ValidationFailed(
                    fields={f"levels_{lang}": str(_l("Write each level as “5: what a 5 means”."))}
                )
            score = parse_int(match.group(1), signed=True)
            if not lo <= score <= hi:
                raise ValidationFailed(
                    fields={
                        f"levels_{lang}": str(
                            _l("Level %(score)d is outside the scale.", score=score)
                        )
                    }
                )
            levels.setdefault(str(score), {})[lang] = match.group(2)[:500]
    return dict(sorted(levels.items(), key=lambda item: int(item[0])))


def levels_text(levels: dict[str, Any] | None, lang: str) -> str:
    lines = []
    for score, text in sorted((levels or {}).items(), key=lambda item: int(item[0])):
        value = text.get(lang, "") if isinstance(text, dict) else (text if lang == "ko" else "")
        if value:
            lines.append(f"{score}: {value}")
    return "\n".join(lines)


def level_list(criterion: Criterion) -> list[tuple[int, str]]:
    """(score, description) in the reader's language, falling back to Korean."""
    lang = str(get_locale())
    shown = []
    for score, text in sorted((criterion.levels or {}).items(), key=lambda item: int(item[0])):
        if isinstance(text, dict):
            value = (text.get(lang) or text.get("ko") or text.get("en") or "").strip()
        else:
            value = str(text)
        if value:
            shown.append((int(score), value))
    return shown


def criterion_description(criterion: Criterion) -> str:
    if str(get_locale()) == "en" and criterion.description_en:
        return criterion.description_en
    return criterion.description


def _score_range(criterion: Criterion) -> tuple[int | None, int | None]:
    row = db.session.execute(
        select(func.min(Score.value), func.max(Score.value)).where(
            Score.criterion_id == criterion.id
        )
    ).one()
    return row[0], row[1]


def check_values(event: Event, values: dict[str, Any], criterion: Criterion | None) -> dict:
    """Clean a criterion's fields or raise with one message per bad field."""
    errors: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = str(_l("Give a name of 1–100 characters."))
    elif db.session.scalar(
        select(Criterion.id).where(
            Criterion.event_id == event.id,
            Criterion.name == name,
            Criterion.id != (criterion.id if criterion else -1),
        )
    ):
        errors["name"] = str(_l("Another criterion already has this name."))
    weight: Any  # whatever the form or CSV sent, until checked below
    weight, lo, hi = values.get("weight"), values.get("min_score"), values.get("max_score")
    if not isinstance(weight, int | float) or not math.isfinite(weight) or not weight > 0:
        errors["weight"] = str(_l("The weight must be a number above 0."))
    elif weight > MAX_WEIGHT:
        errors["weight"] = str(_l("The weight must be at most %(max)d.", max=int(MAX_WEIGHT)))
    if not isinstance(lo, int) or not isinstance(hi, int) or isinstance(lo, bool):
        errors["min_score"] = str(_l("The scale must be whole numbers."))
    elif lo >= hi:
        errors["max_score"] = str(_l("The highest score must be above the lowest."))
    elif criterion is not None:
        low, high = _score_range(criterion)
        if low is not None and high is not None and (low < lo or high > hi):
            errors["max_score"] = str(
                _l(
                    "Scores from %(low)d to %(high)d were already given; the scale must hold them.",
                    low=low,
                    high=high,
                )
            )
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "name": name,
        "name_en": (values.get("name_en") or "").strip()[:100] or None,
        "description": (values.get("description") or "").strip()[:5000],
        "description_en": (values.get("description_en") or "").strip()[:5000],
        "weight": float(weight),
        "min_score": lo,
        "max_score": hi,
        "levels": values.get("levels") or {},
    }


def add_criterion(event: Event, **values: Any) -> Criterion:
    """Add a criterion at the end of the rubric."""
    require_editable(event)
    clean = check_values(event, values, None)
    last = db.session.scalar(
        select(func.max(Criterion.position)).where(Criterion.event_id == event.id)
    )
    criterion = Criterion(event_id=event.id, position=(last or 0) + 1, **clean)
    db.session.add(criterion)
    db.session.flush()
    audit.record("criterion.created", event_id=event.id, subject=criterion, name=criterion.name)
    return criterion


def _lock(criterion: Criterion) -> Event:
    """Hold the criterion against score writers (they hold it `FOR KEY SHARE`) and read it
    again, so the scores counted next include one being written right now."""
    db.session.refresh(criterion, with_for_update=True)
    return db.session.get_one(Event, criterion.event_id)


def update_criterion(criterion: Criterion, **values: Any) -> Criterion:
    event = _lock(criterion)
    require_editable(event)
    clean = check_values(event, values, criterion)
    changed = {k: v for k, v in clean.items() if getattr(criterion, k) != v}
    for key, value in changed.items():
        setattr(criterion, key, value)
    if changed:
        audit.record(
            "criterion.updated",
            event_id=criterion.event_id,
            subject=criterion,
            fields=sorted(changed),
        )
    db.session.flush()
    return criterion


def delete_criterion(criterion: Criterion) -> None:
    """Remove a criterion; one with scores stays, so that no score is ever lost."""
    event = _lock(criterion)
    require_editable(event)
    given = db.session.scalar(
        select(func.count(Score.id)).where(Score.criterion_id == criterion.id)
    )
    if given:
        raise Conflict(
            _l("%(count)d scores were given on this criterion; it cannot be deleted.", count=given)
        )
    audit.record("criterion.deleted", event_id=event.id, subject=criterion, name=criterion.name)
    db.session.delete(criterion)
    db.session.flush()


def move_criterion(criterion: Criterion, step: int) -> None:
    """Swap a criterion with its neighbour above (-1) or below (+1)."""
    event = db.session.get_one(Event, criterion.event_id)
    require_editable(event)
    ordered = criteria_of(event)
    at = next(i for i, c in enumerate(ordered) if c.id == criterion.id)
    other = at + step
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    audit.record("criterion.moved", event_id=event.id, subject=criterion, step=step)
    db.session.flush()


# CSV kind `rubric`: name,weight,min,max,description (Korean names; upsert by name).
