"""Programs (cohorts), events, companies and who does what in an event."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.extensions import Model


class Bilingual:
    """A record with a Korean `name` and an optional English `name_en`."""

    name: str
    name_en: str | None

    @property
    def display_name(self) -> str:
        if self.name_en and str(get_locale()) == "en":
            return self.name_en
        return self.name


class EventKind(StrEnum):
    HACKATHON = "hackathon"
    COMPANY_PROJECT = "company_project"


class ScoringMode(StrEnum):
    """How judges' totals become a team's score (docs/scoring.md)."""

    ZSCORE = "zscore"
    RAW = "raw"
    OFFSET = "offset"


# New events score this way unless told otherwise; chosen by bench/fairness.py (see
# docs/scoring.md). Existing events keep the mode stored on them.
DEFAULT_SCORING_MODE = ScoringMode.OFFSET


class Role(StrEnum):
    PARTICIPANT = "participant"
    MENTOR = "mentor"
    JUDGE = "judge"
    ORGANIZER = "organizer"
    COMPANY_REP = "company_rep"


class Registration(StrEnum):
    CLOSED = "closed"  # the roster only (the default)
    OPEN = "open"  # a verified account joins as a participant while registration is open
    APPROVAL = "approval"  # organizers accept or decline each request


class RequestState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Phase(StrEnum):
    DRAFT = "draft"
    REGISTRATION = "registration"
    TEAM_FORMATION = "team_formation"
    SUBMISSION = "submission"
    JUDGING = "judging"
    RESULTS = "results"


PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.REGISTRATION: _l("Registration"),
    Phase.TEAM_FORMATION: _l("Team formation"),
    Phase.SUBMISSION: _l("Submission"),
    Phase.JUDGING: _l("Judging"),
    Phase.RESULTS: _l("Results"),
}

ROLE_LABELS = {
    Role.PARTICIPANT: _l("Participant"),
    Role.MENTOR: _l("Mentor"),
    Role.JUDGE: _l("Judge"),
    Role.ORGANIZER: _l("Organizer"),
    Role.COMPANY_REP: _l("Company representative"),
}

REGISTRATION_LABELS = {
    Registration.CLOSED: _l("Closed: the organizers' list only"),
    Registration.OPEN: _l("Open: any verified account joins as a participant"),
    Registration.APPROVAL: _l("By approval: organizers accept each request"),
}

KIND_LABELS = {
    EventKind.HACKATHON: _l("Hackathon"),
    EventKind.COMPANY_PROJECT: _l("Company project"),
}


class Program(Bilingual, Model):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[Event]] = relationship(
        back_populates="program", order_by="Event.submissions_open_at"
    )


class Company(Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")


class Event(Bilingual, Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[EventKind] = mapped_column(String(20), default=EventKind.HACKATHON)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    registration_opens_at: Mapped[datetime | None]
    team_formation_opens_at: Mapped[datetime | None]
    teams_lock_at: Mapped[datetime | None]
    submissions_open_at: Mapped[datetime | None]
    submissions_close_at: Mapped[datetime | None]
    grace_minutes: Mapped[int] = mapped_column(default=0)
    judging_close_at: Mapped[datetime | None]
    team_min: Mapped[int] = mapped_column(default=1)
    team_max: Mapped[int] = mapped_column(default=5)
    judges_per_submission: Mapped[int] = mapped_column(default=3)
    scoring_mode: Mapped[ScoringMode] = mapped_column(String(10), default=DEFAULT_SCORING_MODE)
    # How many tracks each team ranks (0 = all of them).
    preferences_to_rank: Mapped[int] = mapped_column(default=0)
    # Storage a team may use across all its file versions, in bytes.
    team_quota_bytes: Mapped[int] = mapped_column(BigInteger, default=5 * 1024**3)
    registration: Mapped[Registration] = mapped_column(String(10), default=Registration.CLOSED)
    # The language of mail to people who chose none (Korean unless set otherwise).
    default_locale: Mapped[str] = mapped_column(String(5), default="ko")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    program: Mapped[Program | None] = relationship(back_populates="events")
    roles: Mapped[list[EventRole]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    @property
    def submissions_deadline(self) -> datetime | None:
        """The close of submissions including the grace period."""
        if self.submissions_close_at is None:
            return None
        return self.submissions_close_at + timedelta(minutes=self.grace_minutes or 0)

    def phase_at(self, now: datetime) -> Phase:
        """The phase at a moment; each boundary that is not set lies in the future."""
        steps = [
            (self.registration_opens_at, Phase.DRAFT),
            (self.team_formation_opens_at, Phase.REGISTRATION),
            (self.teams_lock_at, Phase.TEAM_FORMATION),
            (self.submissions_deadline, Phase.SUBMISSION),
            (self.judging_close_at, Phase.JUDGING),
        ]
        for boundary, phase in steps:
            if boundary is None or now < boundary:
                return phase
        return Phase.RESULTS

    @property
    def phase(self) -> Phase:
        return self.phase_at(utcnow())

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS[self.phase])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[EventKind(self.kind)])

    def submissions_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        opens, deadline = self.submissions_open_at, self.submissions_deadline
        return opens is not None and deadline is not None and opens <= now < deadline


class EventRole(Model):
    """One person's role in one event; a person may hold several roles."""

    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(String(20))
    # The employer of a judge, mentor or company rep: it decides conflicts of interest.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="roles")
    user: Mapped[User] = relationship()
    company: Mapped[Company | None] = relationship()


class RegistrationRequest(Model):
    """Someone asking to take part in an event that registers by approval."""

    __tablename__ = "registration_requests"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[RequestState] = mapped_column(String(10), default=RequestState.PENDING)
    message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
