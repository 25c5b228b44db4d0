"""Every model, imported in one place so the metadata (and migrations) see them all."""

from hackathon.accounts.models import User
from hackathon.audit import AuditEntry
from hackathon.events.models import Company, Event, EventRole, Program
from hackathon.judging.models import Assignment, Conflict, Criterion, Score, ScoreChange
from hackathon.leaderboard.models import Award, Leaderboard, Snapshot
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
    "Assignment",
    "AuditEntry",
    "Award",
    "Company",
    "Conflict",
    "Criterion",
    "Event",
    "EventRole",
    "FileSlot",
    "JoinRequest",
    "Leaderboard",
    "Program",
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
