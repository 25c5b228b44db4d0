"""Leaderboard visibility, frozen snapshots, awards and the people's choice vote."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.db import utcnow
from hackathon.events.models import Bilingual
from hackathon.extensions import Model
from hackathon.teams.models import Team


class BoardState(StrEnum):
    HIDDEN = "hidden"
    LIVE = "live"
    FROZEN = "frozen"
    PUBLISHED = "published"


class Leaderboard(Model):
    """One per event: who may see the results, and a version bumped on every change."""

    __tablename__ = "leaderboards"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    state: Mapped[BoardState] = mapped_column(String(12), default=BoardState.HIDDEN)
    # Bumped by every write that changes what the board shows: the key of its cached views.
    revision: Mapped[int] = mapped_column(default=1)
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("leaderboard_snapshots.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Snapshot(Model):
    """A frozen copy of the computed leaderboard, taken on freeze and on publish."""

    __tablename__ = "leaderboard_snapshots"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    reason: Mapped[str] = mapped_column(String(12))  # "freeze" or "publish"
    mode: Mapped[str] = mapped_column(String(10))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Award(Bilingual, Model):
    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    position: Mapped[int] = mapped_column(default=0)
    # None for a prize the organizers name; "peoples_choice" for the one the vote gives at
    # publication (replaced by the next publication's result: see services/votes.py).
    kind: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team | None] = relationship()


class VotingWindow(Model):
    """Whether an event's people's choice vote is open; no row means it never opened.
    Organizers open and close it; publishing the results closes it (docs/peoples-choice.md)."""

    __tablename__ = "voting_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Vote(Model):
    """One person's people's choice vote in one event: changing it rewrites the row."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("event_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
