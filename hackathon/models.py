"""Every model, imported in one place so the metadata (and migrations) see them all."""

from hackathon.accounts.models import AccountToken, User
from hackathon.audit import AuditEntry
from hackathon.events.models import Company, Event, EventRole, Program, RegistrationRequest
from hackathon.jobs.models import JobRun
from hackathon.judging.models import (
    Assignment,
    Conflict,
    Criterion,
    PitchSchedule,
    PitchSlot,
    Room,
    Score,
    ScoreChange,
)
from hackathon.leaderboard.models import Award, Leaderboard, Snapshot
from hackathon.mail.models import OutboxMessage
from hackathon.notifications.models import MailSetting, Notification
from hackathon.submissions.models import FileSlot, Submission, SubmissionFile
from hackathon.teams.models import (
    JoinRequest,
    Seeker,
    Team,
    TeamMember,
    TeamMentor,
    Track,
    TrackPreference,
    TrackRanking,
)

__all__ = [
    "AccountToken",
    "Assignment",
    "AuditEntry",
    "Award",
    "Company",
    "Conflict",
    "Criterion",
    "Event",
    "EventRole",
    "FileSlot",
    "JobRun",
    "JoinRequest",
    "Leaderboard",
    "MailSetting",
    "Notification",
    "OutboxMessage",
    "PitchSchedule",
    "PitchSlot",
    "Program",
    "RegistrationRequest",
    "Room",
    "Score",
    "ScoreChange",
    "Seeker",
    "Snapshot",
    "Submission",
    "SubmissionFile",
    "Team",
    "TeamMember",
    "TeamMentor",
    "Track",
    "TrackPreference",
    "TrackRanking",
    "User",
]
