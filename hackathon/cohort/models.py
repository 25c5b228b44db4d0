"""The cohort record's own tables: what the events do not already hold about a person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import get_locale
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Bilingual, Company, Event, Program
from hackathon.extensions import Model
from hackathon.teams.models import Team

# ---------------------------------------------------------------- individual awards


class IndividualAward(Bilingual, Model):
    """A prize given to one person of a program, with the organizers' citation."""

    __tablename__ = "individual_awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    citation: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# ---------------------------------------------------------------- the job fair


class FairState(StrEnum):
    DRAFT = "draft"  # organizers set up the companies and their interview places
    OPEN = "open"  # trainees opt in and rank companies; company reps rank trainees
    CLOSED = "closed"  # rankings are frozen; organizers run and review the matching
    CONFIRMED = "confirmed"  # the placements are written


class JobFair(Model):
    """A program's job fair: one per program."""

    __tablename__ = "job_fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[FairState] = mapped_column(String(12), default=FairState.DRAFT)
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FairCompany(Model):
    """A company taking part in the fair, and how many trainees it can interview."""

    __tablename__ = "job_fair_companies"
    __table_args__ = (UniqueConstraint("fair_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(default=3)

    company: Mapped[Company] = relationship()


class FairTrainee(Model):
    """A trainee who opted in to the fair."""

    __tablename__ = "job_fair_trainees"
    __table_args__ = (UniqueConstraint("fair_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class FairChoice(Model):
    """A trainee's ranking of the fair's companies (1 = first choice)."""

    __tablename__ = "job_fair_choices"
    __table_args__ = (UniqueConstraint("fair_id", "user_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    rank: Mapped[int]


class FairRanking(Model):
    """A company's ranking of opted-in trainees (1 = most wanted), set by its reps."""

    __tablename__ = "job_fair_rankings"
    __table_args__ = (UniqueConstraint("fair_id", "company_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rank: Mapped[int]
    ranked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FairPlacement(Model):
    """A confirmed match: the trainee interviews with the company."""

    __tablename__ = "job_fair_placements"
    __table_args__ = (UniqueConstraint("fair_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    # The trainee's rank of the company, the company's rank of the trainee (None: unranked,
    # an organizer's change by hand).
    choice: Mapped[int | None]
    company_rank: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    company: Mapped[Company] = relationship()


# Portfolios ----------------------------------------------------------------------------


class Portfolio(Model):
    """A trainee's portfolio for one program: private until the trainee makes it public.
    What it shows is the trainee's choice (docs/cohort.md, "Portfolio")."""

    __tablename__ = "portfolios"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    public: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    headline: Mapped[str] = mapped_column(String(200), default="")
    about: Mapped[str] = mapped_column(Text, default="")  # Markdown, rendered and sanitised
    # `;`-separated skill tags; empty means the skills of the person's profile.
    skills: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    program: Mapped[Program] = relationship()
    user: Mapped[User] = relationship()
    projects: Mapped[list[PortfolioProject]] = relationship(
        back_populates="portfolio",
        cascade="all, delete-orphan",
        order_by=lambda: [PortfolioProject.position, PortfolioProject.id],
    )


class PortfolioProject(Model):
    """One event's project on a portfolio, with the files and the judges' feedback the
    trainee chose to show (ids of the submission's files; feedback texts as written)."""

    __tablename__ = "portfolio_projects"
    __table_args__ = (UniqueConstraint("portfolio_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    file_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    feedback: Mapped[list[str]] = mapped_column(JSON, default=list)

    portfolio: Mapped[Portfolio] = relationship(back_populates="projects")


# End of portfolios ---------------------------------------------------------------------


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
