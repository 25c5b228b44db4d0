"""Every model, imported in one place so the metadata (and migrations) see them all."""

from hackathon.accounts.models import AccountToken, User
from hackathon.audit import AuditEntry
from hackathon.cohort.models import (
    CheckIn,
    CheckInComment,
    FairChoice,
    FairCompany,
    FairPlacement,
    FairRanking,
    FairTrainee,
    IndividualAward,
    JobFair,
    Milestone,
    PeerReview,
    Portfolio,
    PortfolioProject,
)
from hackathon.events.models import Company, Event, EventRole, Program, RegistrationRequest
from hackathon.jobs.models import JobRun
from hackathon.judging.models import (
    Assignment,
    CalibrationItem,
    Conflict,
    Criterion,
    Score,
    ScoreChange,
    ShadowJudge,
)
from hackathon.leaderboard.models import Award, Leaderboard, Snapshot, Vote, VotingWindow
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
    "CalibrationItem",
    "CheckIn",
    "CheckInComment",
    "Company",
    "Conflict",
    "Criterion",
    "Event",
    "EventRole",
    "FairChoice",
    "FairCompany",
    "FairPlacement",
    "FairRanking",
    "FairTrainee",
    "FileSlot",
    "IndividualAward",
    "JobFair",
    "JobRun",
    "JoinRequest",
    "Leaderboard",
    "MailSetting",
    "Milestone",
    "Notification",
    "OutboxMessage",
    "PeerReview",
    "Portfolio",
    "PortfolioProject",
    "Program",
    "RegistrationRequest",
    "Score",
    "ScoreChange",
    "Seeker",
    "ShadowJudge",
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
    "Vote",
    "VotingWindow",
]
