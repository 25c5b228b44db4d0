"""The cohort record's own tables: what the events do not already hold about a person."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Event
from hackathon.extensions import Model
from hackathon.teams.models import Team

# ---------------------------------------------------------------- peer review and check-ins
# (docs/cohort.md, "Peer review" and "Check-ins")


class PeerReview(Model):
    """One member's rating (1..5) of one teammate's contribution in one event. One row per
    (rater, ratee, event): a new rating replaces the old one. Who gave it is never shown
    to teammates."""

    __tablename__ = "peer_reviews"
    __table_args__ = (UniqueConstraint("rater_id", "ratee_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Milestone(Model):
    """A date in a (company-project) event by which each team posts a progress note."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    # What the note should answer, shown above the team's form.
    prompt: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def display_title(self) -> str:
        if self.title_en and str(get_locale()) == "en":
            return self.title_en
        return self.title


class CheckIn(Model):
    """A team's progress note (Markdown) for one milestone; one per team and milestone."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("team_id", "milestone_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    milestone: Mapped[Milestone] = relationship()
    author: Mapped[User | None] = relationship()
    comments: Mapped[list[CheckInComment]] = relationship(
        back_populates="checkin",
        cascade="all, delete-orphan",
        order_by=lambda: [CheckInComment.created_at, CheckInComment.id],
    )


class CheckInComment(Model):
    """A mentor's comment on a team's check-in."""

    __tablename__ = "checkin_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    checkin: Mapped[CheckIn] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


# ---------------------------------------------------------------- end of peer review and check-ins
