"""Rubric criteria, judge assignments, scores, conflicts and the score audit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Bilingual, Event
from hackathon.extensions import Model
from hackathon.teams.models import Team


class Criterion(Bilingual, Model):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    min_score: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=10)
    # What a given score means, e.g. {"1": "…", "5": "…", "10": "…"} (ko/en inside).
    levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)


class Conflict(Model):
    """A judge may not judge this team (declared by the judge or set by organizers)."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (UniqueConstraint("event_id", "judge_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssignmentStatus(StrEnum):
    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class AssignmentPurpose(StrEnum):
    """What a judge scores a team for: the ranking, or calibration (never counts)."""

    RANK = "rank"
    CALIBRATION = "calibration"


class Assignment(Model):
    """A judge is given a team's submission to score.

    One per (event, judge, team, purpose): a judge may score a calibration item that is a
    real team's submission, and that team again for the ranking (docs/scoring.md).
    """

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("event_id", "judge_id", "team_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )
    status: Mapped[AssignmentStatus] = mapped_column(String(12), default=AssignmentStatus.TO_DO)
    purpose: Mapped[AssignmentPurpose] = mapped_column(
        String(12), default=AssignmentPurpose.RANK, server_default=AssignmentPurpose.RANK.value
    )
    # Optimistic concurrency: each write names the version it read.
    version: Mapped[int] = mapped_column(default=1)
    # The judge's queue order (random per judge, recorded).
    position: Mapped[int] = mapped_column(default=0)
    feedback: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    judge: Mapped[User] = relationship()
    team: Mapped[Team] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )


class CalibrationItem(Model):
    """A team's submission every judge of the event scores first, for calibration only."""

    __tablename__ = "calibration_items"
    __table_args__ = (UniqueConstraint("event_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()


class ShadowJudge(Model):
    """A judge of the event who scores as a trainee: compared with the panel, never counted."""

    __tablename__ = "shadow_judges"
    __table_args__ = (UniqueConstraint("event_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Score(Model):
    """One value per (assignment, criterion), always set, never added."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="scores")


class ScoreChange(Model):
    """Append-only: every change to a score, feedback, note or status, with its author."""

    __tablename__ = "score_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    # "score", "feedback", "note" or "status"
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16), default="web")  # web, api, import
    request_id: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Pitch day (docs/judging.md, "Pitch-day schedule"): rooms, the day's settings, one slot
# per team. A slot's judges are its team's assignments, so the schedule and the judges'
# queues cannot disagree.


class Room(Model):
    """A room of an event where teams pitch, in the organizers' order."""

    __tablename__ = "pitch_rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)


class PitchSchedule(Model):
    """How the event's pitch day was laid out: its start, slot length, breaks and seed."""

    __tablename__ = "pitch_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    starts_at: Mapped[datetime]
    slot_minutes: Mapped[int] = mapped_column(default=10)
    break_every: Mapped[int] = mapped_column(default=0)
    break_minutes: Mapped[int] = mapped_column(default=0)
    rotate_every: Mapped[int | None]
    seed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SlotStatus(StrEnum):
    SCHEDULED = "scheduled"
    ABSENT = "absent"
    DONE = "done"


class PitchSlot(Model):
    """One team's pitch: a room and a time."""

    __tablename__ = "pitch_slots"
    __table_args__ = (UniqueConstraint("event_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(
        ForeignKey("pitch_rooms.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[SlotStatus] = mapped_column(String(12), default=SlotStatus.SCHEDULED)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    room: Mapped[Room] = relationship()
    team: Mapped[Team] = relationship()
