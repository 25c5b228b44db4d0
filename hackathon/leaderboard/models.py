"""Leaderboard visibility, frozen snapshots and awards."""

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
    # Bumped whenever scores or state change: the key of the cached public view.
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team | None] = relationship()
