"""File slots: the kinds of file an event asks every team for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from hackathon.errors import Conflict, ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.submissions.logic.filetypes import KNOWN_TYPES
from hackathon.submissions.models import MB, FileSlot, SubmissionFile
from hackathon.submissions.rules import SlotInUse

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MAX_SLOT_BYTES = 5 * 1024 * MB  # what one S3 PUT of a part may hold, and a sane ceiling


@dataclass(frozen=True)
class SlotSpec:
    key: str
    label: str
    label_en: str
    extensions: tuple[str, ...]
    max_bytes: int
    required: bool


DEFAULT_SLOTS = (
    SlotSpec("slides", "발표 자료", "Slides", ("pdf", "pptx"), 50 * MB, True),
    SlotSpec("code", "소스 코드", "Source code", ("zip",), 200 * MB, True),
    SlotSpec("video", "시연 영상", "Demo video", ("mp4", "webm"), 2048 * MB, False),
)


def event_slots(event: Event) -> list[FileSlot]:
    return list(
        db.session.scalars(
            select(FileSlot)
            .where(FileSlot.event_id == event.id)
            .order_by(FileSlot.position, FileSlot.id)
        )
    )


def ensure_default_slots(event: Event) -> list[FileSlot]:
    """Give an event without slots the defaults (slides, code, video); keep any it has."""
    slots = event_slots(event)
    if slots:
        return slots
    for position, spec in enumerate(DEFAULT_SLOTS):
        db.session.add(
            FileSlot(
                event_id=event.id,
                key=spec.key,
                label=spec.label,
                label_en=spec.label_en,
                extensions=",".join(spec.extensions),
                max_bytes=spec.max_bytes,
                required=spec.required,
                position=position,
            )
        )
    db.session.flush()
    return event_slots(event)


def parse_extensions(raw: str) -> list[str]:
    """'PDF, .pptx' -> ['pdf', 'pptx']; only types whose real content we can recognise."""
    extensions = []
    for part in re.split(r"[\s,;]+", raw.lower()):
        ext = part.strip().lstrip(".")
        if ext and ext not in extensions:
            extensions.append(ext)
    return extensions


def validate_slot(event: Event, slot: FileSlot | None, spec: SlotSpec) -> None:
    errors: dict[str, str] = {}
    if not KEY_RE.match(spec.key):
        errors["key"] = str(_l("Use 1–32 lowercase letters, digits, '-' and '_'."))
    elif db.session.scalar(
        select(
            exists().where(
                FileSlot.event_id == event.id,
                FileSlot.key == spec.key,
                FileSlot.id != (slot.id if slot else -1),
            )
        )
    ):
        errors["key"] = str(_l("Another slot of this event already uses this key."))
    if not spec.label.strip():
        errors["label"] = str(_l("Give the slot a name."))
    unknown = [e for e in spec.extensions if e not in KNOWN_TYPES]
    if not spec.extensions:
        errors["extensions"] = str(_l("Name at least one file type."))
    elif unknown:
        errors["extensions"] = str(
            _l(
                "Unknown file types: %(unknown)s. Known: %(known)s.",
                unknown=", ".join(unknown),
                known=", ".join(KNOWN_TYPES),
            )
        )
    if not 0 < spec.max_bytes <= MAX_SLOT_BYTES:
        errors["max_mb"] = str(_l("The limit must be between 1 MB and 5120 MB."))
    if errors:
        raise ValidationFailed(fields=errors)


def save_slot(event: Event, slot: FileSlot | None, spec: SlotSpec) -> FileSlot:
    """Create or change a slot; its key is unique in the event and its types recognisable."""
    validate_slot(event, slot, spec)
    if slot is None:
        last = db.session.scalar(
            select(FileSlot.position)
            .where(FileSlot.event_id == event.id)
            .order_by(FileSlot.position.desc())
        )
        slot = FileSlot(event_id=event.id, position=(last or 0) + 1)
        db.session.add(slot)
    elif slot.event_id != event.id:
        raise Conflict()
    slot.key = spec.key
    slot.label = spec.label.strip()
    slot.label_en = spec.label_en.strip() or None
    slot.extensions = ",".join(spec.extensions)
    slot.max_bytes = spec.max_bytes
    slot.required = spec.required
    db.session.flush()
    return slot


def delete_slot(slot: FileSlot) -> None:
    """Remove a slot that no team has uploaded to."""
    if db.session.scalar(select(exists().where(SubmissionFile.slot_id == slot.id))):
        raise SlotInUse()
    db.session.delete(slot)
    db.session.flush()
