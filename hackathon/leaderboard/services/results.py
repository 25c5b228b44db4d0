"""After publication: each team's results and feedback, and the public gallery."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Assignment
from hackathon.judging.rules import counting
from hackathon.leaderboard.logic.rows import criterion_averages, round_score
from hackathon.leaderboard.models import BoardState, Snapshot
from hackathon.leaderboard.services import board as services
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.submissions.models import Submission, SubmissionStatus
from hackathon.teams.models import Team, Track


def published_board(event_id: int) -> dict[str, Any] | None:
    """The publish snapshot's board while the results are published, else None."""
    board = services.get_board(event_id)
    if board is None or board.state != BoardState.PUBLISHED or board.snapshot_id is None:
        return None
    snapshot = db.session.get(Snapshot, board.snapshot_id)
    return snapshot.data if snapshot else None


def results_published(event_id: int) -> bool:
    """Whether the results are out, without loading the snapshot (the team page and the
    gallery ask on every view; a snapshot's rows are large)."""
    board = services.get_board(event_id)
    return board is not None and board.state == BoardState.PUBLISHED and bool(board.snapshot_id)


@dataclass
class TeamResults:
    team: Team
    row: dict[str, Any] | None
    mode: str
    teams_ranked: int
    criteria: list[dict[str, Any]]  # name, name_en, mean, average
    feedback: list[str]
    awards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return round_score(self.row["score"], self.mode) if self.row else None


def team_results(event: Event, team: Team, board: dict[str, Any]) -> TeamResults:
    """A team's rank, its per-criterion means against the event's average, and the
    judges' written feedback without the judges' names (in a neutral order)."""
    row = next((r for r in board["rows"] if r["team"]["id"] == team.id), None)
    averages = criterion_averages(board)
    criteria = [
        {
            "name": c["name"],
            "name_en": c["name_en"],
            "mean": row["criteria"].get(c["name"]) if row else None,
            "average": averages.get(c["name"]),
        }
        for c in board["criteria"]
    ]
    texts = db.session.scalars(
        select(Assignment.feedback).where(counting(event.id), Assignment.team_id == team.id)
    )
    feedback = sorted({t.strip() for t in texts if t and t.strip()})
    awards = [a for a in services.award_dicts(event.id) if (a["team"] or {}).get("id") == team.id]
    ranked = sum(1 for r in board["rows"] if r["rank"] is not None)
    return TeamResults(team, row, board["mode"], ranked, criteria, feedback, awards)


@dataclass
class GalleryItem:
    team_id: int
    team: str
    track: str | None
    track_en: str | None
    title: str
    summary: Markup  # rendered from Markdown and sanitised
    repo_url: str
    demo_url: str
    awards: list[dict[str, Any]]


def gallery(event: Event) -> list[GalleryItem]:
    """Submitted projects: award winners first (in award order), then by title."""
    rows = db.session.execute(
        select(Submission, Team.name, Track.name, Track.name_en)
        .join(Team, Team.id == Submission.team_id)
        .outerjoin(Track, Track.id == Team.track_id)
        .where(Submission.event_id == event.id, Submission.status == SubmissionStatus.SUBMITTED)
    ).all()
    by_team: dict[int, list[dict[str, Any]]] = {}
    for award in services.award_dicts(event.id):
        if award["team"]:
            by_team.setdefault(award["team"]["id"], []).append(award)
    items = [
        GalleryItem(
            s.team_id,
            team,
            track,
            track_en,
            s.title or team,
            render_markdown(s.summary),
            s.repo_url,
            s.demo_url,
            by_team.get(s.team_id, []),
        )
        for s, team, track, track_en in rows
    ]
    items.sort(
        key=lambda i: (
            min((a["position"] for a in i.awards), default=10**9),
            i.title.casefold(),
            i.team_id,
        )
    )
    return items
