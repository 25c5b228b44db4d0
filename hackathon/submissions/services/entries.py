"""Submission rules: the team's entry, its deadline, submitting, extensions, overviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hackathon.accounts.models import User
from hackathon.audit import record
from hackathon.db import utcnow
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.i18n import format_local
from hackathon.submissions.models import (
    FileSlot,
    FileStatus,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from hackathon.submissions.rules import DeadlinePassed, NotOpenYet, NotReadyToSubmit
from hackathon.submissions.services import notices
from hackathon.submissions.services.slots import event_slots
from hackathon.teams.models import Team

MAX_TITLE, MAX_SUMMARY, MAX_URL = 200, 20000, 500


def get_or_create_submission(team: Team) -> Submission:
    """The team's one submission for its event, made on first use (a draft)."""
    found = db.session.scalar(
        select(Submission).where(
            Submission.event_id == team.event_id, Submission.team_id == team.id
        )
    )
    if found is not None:
        return found
    submission = Submission(event_id=team.event_id, team_id=team.id)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:  # another member opened the page at the same moment
        return db.session.scalars(
            select(Submission).where(
                Submission.event_id == team.event_id, Submission.team_id == team.id
            )
        ).one()
    return submission


def lock_submission(submission_id: int) -> Submission:
    """Re-read the submission and hold its row until commit: writes that check the deadline
    or count versions and quota run one at a time per team (a no-op lock on SQLite)."""
    return db.session.scalars(
        select(Submission)
        .where(Submission.id == submission_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def deadline_of(submission: Submission) -> datetime | None:
    """Close plus grace, or the team's extension if that is later."""
    event = submission.event
    candidates = [d for d in (event.submissions_deadline, submission.extended_until) if d]
    return max(candidates) if candidates else None


@dataclass(frozen=True)
class EditState:
    open: bool
    reason: str
    deadline: datetime | None


def edit_state(submission: Submission, now: datetime | None = None) -> EditState:
    """Whether the team may change its submission now, and if not, why."""
    now = now or utcnow()
    event = submission.event
    deadline = deadline_of(submission)
    opens = event.submissions_open_at
    if opens is None or deadline is None:
        return EditState(
            False, str(_l("The organizers have not scheduled submissions yet.")), deadline
        )
    if now < opens:
        when = format_local(opens, event.timezone)
        return EditState(False, str(_l("Submissions open on %(when)s.", when=when)), deadline)
    if now >= deadline:
        when = format_local(deadline, event.timezone)
        return EditState(
            False,
            str(_l("The deadline passed on %(when)s; this is now read-only.", when=when)),
            deadline,
        )
    return EditState(True, "", deadline)


def check_open(submission: Submission, now: datetime | None = None) -> datetime:
    """Raise unless the submission may be changed now; returns its deadline."""
    now = now or utcnow()
    state = edit_state(submission, now)
    if not state.open:
        if state.deadline is not None and now >= state.deadline:
            raise DeadlinePassed(state.reason)
        raise NotOpenYet(state.reason)
    assert state.deadline is not None
    return state.deadline


def _clean_url(value: str, field: str, errors: dict[str, str]) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(value) > MAX_URL:
        errors[field] = str(_l("Give a full web address starting with https://."))
    return value


def update_details(submission: Submission, user: User, **values: str) -> Submission:
    """Change title, summary and links while the submission is open (checked under lock)."""
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    summary = values.get("summary") or ""
    if len(title) > MAX_TITLE:
        errors["title"] = str(_l("At most %(n)d characters.", n=MAX_TITLE))
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = str(_l("At most %(n)d characters.", n=MAX_SUMMARY))
    repo_url = _clean_url(values.get("repo_url", ""), "repo_url", errors)
    demo_url = _clean_url(values.get("demo_url", ""), "demo_url", errors)
    if errors:
        raise ValidationFailed(fields=errors)
    submission = lock_submission(submission.id)
    check_open(submission)
    submission.title, submission.summary = title, summary
    submission.repo_url, submission.demo_url = repo_url, demo_url
    db.session.flush()
    return submission


def submit(submission: Submission, user: User) -> Submission:
    """Hand the submission in: it needs a title and every required slot filled."""
    submission = lock_submission(submission.id)
    check_open(submission)
    missing = missing_slots(submission, event_slots(submission.event))
    if not submission.title.strip() or missing:
        raise NotReadyToSubmit(missing=[slot.key for slot in missing])
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = utcnow()
    record(
        "submission.submitted",
        event_id=submission.event_id,
        subject=submission,
        team_id=submission.team_id,
    )
    db.session.flush()
    notices.submitted(submission)
    return submission


def set_extension(submission: Submission, until: datetime | None) -> Submission:
    """Organizers let one team edit until a later moment (None removes the extension)."""
    submission = lock_submission(submission.id)
    regular = submission.event.submissions_deadline
    if until is not None and regular is not None and until <= regular:
        raise ValidationFailed(
            _l("An extension must end after the regular deadline."),
            fields={"until": str(_l("An extension must end after the regular deadline."))},
        )
    submission.extended_until = until
    record(
        "submission.extension",
        event_id=submission.event_id,
        subject=submission,
        team_id=submission.team_id,
        until=until.isoformat() if until else None,
    )
    db.session.flush()
    return submission


def ready_files(submission_ids: list[int], with_uploaders: bool = False) -> list[SubmissionFile]:
    if not submission_ids:
        return []
    query = (
        select(SubmissionFile)
        .where(
            SubmissionFile.submission_id.in_(submission_ids),
            SubmissionFile.status == FileStatus.READY,
        )
        .order_by(SubmissionFile.slot_id, SubmissionFile.version.desc())
    )
    if with_uploaders:  # every version names its uploader: one query, not one per person
        query = query.options(selectinload(SubmissionFile.uploader))
    return list(db.session.scalars(query))


def versions_by_slot(submission: Submission) -> dict[int, list[SubmissionFile]]:
    """Every ready version per slot, newest first: the first one counts."""
    grouped: dict[int, list[SubmissionFile]] = defaultdict(list)
    for row in ready_files([submission.id], with_uploaders=True):
        grouped[row.slot_id].append(row)
    return dict(grouped)


def unsettled_by_slot(
    submission: Submission, versions: dict[int, list[SubmissionFile]]
) -> dict[int, SubmissionFile]:
    """Per slot, the newest file still verifying or refused since the slot's current
    version, for the team to see what became of its latest upload."""
    rows = db.session.scalars(
        select(SubmissionFile)
        .where(
            SubmissionFile.submission_id == submission.id,
            SubmissionFile.status.in_([FileStatus.VERIFYING, FileStatus.REJECTED]),
        )
        .order_by(SubmissionFile.id)
    )
    latest: dict[int, SubmissionFile] = {}
    for row in rows:
        current = versions.get(row.slot_id)
        if current and current[0].id > row.id:
            continue  # a newer file already counts
        latest[row.slot_id] = row
    return latest


def missing_slots(
    submission: Submission,
    slots: list[FileSlot],
    versions: dict[int, list[SubmissionFile]] | None = None,
) -> list[FileSlot]:
    """Required slots with no ready version (`versions` if the caller has read them)."""
    present = set(versions_by_slot(submission) if versions is None else versions)
    return [slot for slot in slots if slot.required and slot.id not in present]


def quota_used(submission_id: int, replacing_slot_id: int | None = None) -> int:
    """Bytes of what the team hands in: the current version of each slot.

    Earlier versions stay as the record but do not count, so a team can always replace a
    file with a new version; `replacing_slot_id` leaves out the slot a new file replaces.
    """
    newest = (
        select(SubmissionFile.slot_id, func.max(SubmissionFile.version).label("version"))
        .where(
            SubmissionFile.submission_id == submission_id,
            SubmissionFile.status == FileStatus.READY,
        )
        .group_by(SubmissionFile.slot_id)
        .subquery()
    )
    query = (
        select(func.coalesce(func.sum(SubmissionFile.size), 0))
        .join(
            newest,
            (SubmissionFile.slot_id == newest.c.slot_id)
            & (SubmissionFile.version == newest.c.version),
        )
        .where(SubmissionFile.submission_id == submission_id)
    )
    if replacing_slot_id is not None:
        query = query.where(SubmissionFile.slot_id != replacing_slot_id)
    return db.session.scalar(query) or 0


@dataclass(frozen=True)
class OverviewRow:
    team: Team
    submission: Submission | None
    missing: list[FileSlot]
    files: int


def overview(event: Event) -> list[OverviewRow]:
    """Every team of the event with its submission state, for organizers."""
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.event_id == event.id)
            .options(selectinload(Team.track))
            .order_by(Team.name)
        )
    )
    submissions = {
        s.team_id: s
        for s in db.session.scalars(select(Submission).where(Submission.event_id == event.id))
    }
    slots = event_slots(event)
    filled: dict[int, set[int]] = defaultdict(set)
    counts: dict[int, int] = defaultdict(int)
    for row in ready_files([s.id for s in submissions.values()]):
        filled[row.submission_id].add(row.slot_id)
        counts[row.submission_id] += 1
    rows = []
    for team in teams:
        submission = submissions.get(team.id)
        have = filled.get(submission.id, set()) if submission else set()
        missing = [slot for slot in slots if slot.required and slot.id not in have]
        rows.append(
            OverviewRow(
                team, submission, missing, counts.get(submission.id, 0) if submission else 0
            )
        )
    return rows
