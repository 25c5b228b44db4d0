"""Teams rank tracks, companies may rank teams, and matching assigns every team a track.

The service reads the rows once, turns them into plain data and calls the pure
`teams.logic.matching` functions; applying a result (proposed or adjusted by hand) checks
the capacities again and records every change in the audit log. The `preferences` CSV kind
is in `teams/csv/preferences.py`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer
from hackathon.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hackathon.events.models import Event
from hackathon.events.services import is_organizer
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams.logic import matching
from hackathon.teams.models import Team, Track, TrackPreference, TrackRanking
from hackathon.teams.services.tracks import put_on_track


class NotEnoughCapacity(Conflict):
    code = "not_enough_capacity"


class NoTracks(Conflict):
    code = "no_tracks"
    message = _l("This event has no tracks to match teams to.")


class StaleMatching(Conflict):
    code = "stale_matching"
    message = _l("The teams changed since the preview. Look at the new preview and confirm again.")


class BadPreferences(ValidationFailed):
    code = "bad_preferences"


@dataclass(frozen=True)
class MatchPlan:
    """A proposed (or hand-adjusted) assignment, with what it means for each team."""

    mode: str  # "min_rank" or "stable"
    teams: list[Team]
    tracks: list[Track]
    assignment: dict[int, int]
    choice_counts: dict[int | None, int]
    ranks: dict[int, int | None]  # team id -> the rank the team gave its track

    @property
    def total_capacity(self) -> int:
        return sum(t.capacity for t in self.tracks)


# ---------------------------------------------------------------- a team ranks tracks


def ranks_needed(event: Event, tracks: list[Track] | None = None) -> int:
    """How many tracks each team ranks: the event's setting, else all of them."""
    count = len(tracks if tracks is not None else rules.tracks_of(event))
    return min(event.preferences_to_rank, count) if event.preferences_to_rank else count


def preferences_of(team: Team) -> list[Track]:
    """The team's ranked tracks, first choice first."""
    return list(
        db.session.scalars(
            select(Track)
            .join(TrackPreference, TrackPreference.track_id == Track.id)
            .where(TrackPreference.team_id == team.id)
            .order_by(TrackPreference.rank)
        )
    )


def set_preferences(team: Team, actor: User, track_ids: list[int]) -> list[Track]:
    """The captain ranks the tracks (the top N the event asks for, or all) while the team is
    open; organizers may do it at any time."""
    by_organizer = is_organizer(actor, team.event)
    if not by_organizer:
        rules.require_captain(actor, team)
        rules.require_unlocked(team)
    tracks = {t.id: t for t in rules.tracks_of(team.event)}
    needed = ranks_needed(team.event, list(tracks.values()))
    chosen = [t for t in track_ids if t]
    if any(t not in tracks for t in chosen):
        raise NotFound()
    if len(set(chosen)) != len(chosen):
        raise BadPreferences(_l("Choose each track only once."))
    if len(chosen) != needed:
        raise BadPreferences(
            _l("Rank exactly %(n)d tracks, from your first choice down.", n=needed)
        )
    replace_preferences(team, chosen)
    if by_organizer:
        audit.record("team.preferences_set", event_id=team.event_id, subject=team, tracks=chosen)
    return [tracks[t] for t in chosen]


def replace_preferences(team: Team, track_ids: list[int]) -> None:
    """Store a team's ranking as given (first choice first); callers check who may."""
    db.session.execute(delete(TrackPreference).where(TrackPreference.team_id == team.id))
    db.session.flush()
    for rank, track_id in enumerate(track_ids, start=1):
        db.session.add(TrackPreference(team_id=team.id, track_id=track_id, rank=rank))
    db.session.flush()


# ---------------------------------------------------------------- a company ranks teams


def can_rank_for(user: Viewer, track: Track) -> bool:
    """Organizers, and the mentors and reps of the track's company."""
    event = track.event
    if is_organizer(user, event):
        return True
    return track.company_id is not None and track.company_id in rules.company_ids_of(user, event)


def ranking_of(track: Track) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team)
            .join(TrackRanking, TrackRanking.team_id == Team.id)
            .where(TrackRanking.track_id == track.id)
            .order_by(TrackRanking.rank)
        )
    )


def rankings_of(tracks: list[Track]) -> dict[int, list[int]]:
    """Track id → the ids of the teams its company ranked, most wanted first (one query)."""
    ranked: dict[int, list[int]] = {t.id: [] for t in tracks}
    rows = db.session.execute(
        select(TrackRanking.track_id, TrackRanking.team_id)
        .where(TrackRanking.track_id.in_(list(ranked)))
        .order_by(TrackRanking.track_id, TrackRanking.rank)
    )
    for track_id, team_id in rows:
        ranked[track_id].append(team_id)
    return ranked


def ranked_tracks(event: Event) -> defaultdict[int, list[Track]]:
    """Team id → the tracks it ranked, first choice first, for every team (one query)."""
    ranked: defaultdict[int, list[Track]] = defaultdict(list)
    rows = db.session.execute(
        select(TrackPreference.team_id, Track)
        .join(Track, Track.id == TrackPreference.track_id)
        .where(Track.event_id == event.id)
        .order_by(TrackPreference.team_id, TrackPreference.rank)
    )
    for team_id, track in rows:
        ranked[team_id].append(track)
    return ranked


def set_company_ranking(track: Track, actor: User, team_ids: list[int]) -> list[Team]:
    """A company orders the teams it wants on its track (1 = most wanted); an empty list
    withdraws the ranking."""
    if not can_rank_for(actor, track):
        raise Forbidden()
    chosen = [t for t in team_ids if t]
    if len(set(chosen)) != len(chosen):
        raise BadPreferences(_l("Rank each team only once."))
    teams = {
        t.id: t for t in db.session.scalars(select(Team).where(Team.event_id == track.event_id))
    }
    if any(t not in teams for t in chosen):
        raise NotFound()
    db.session.execute(delete(TrackRanking).where(TrackRanking.track_id == track.id))
    db.session.flush()
    for rank, team_id in enumerate(chosen, start=1):
        db.session.add(TrackRanking(track_id=track.id, team_id=team_id, rank=rank))
    db.session.flush()
    audit.record("track.ranking_set", event_id=track.event_id, subject=track, teams=chosen)
    return [teams[t] for t in chosen]


# ---------------------------------------------------------------- matching


def _event_data(
    event: Event,
) -> tuple[list[Team], list[Track], dict[int, list[int]], dict[int, list[int]]]:
    teams = list(
        db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.id))
    )
    tracks = rules.tracks_of(event)
    track_ids = [t.id for t in tracks]
    prefs: dict[int, list[int]] = {t.id: [] for t in teams}
    for team_id, track_id in db.session.execute(
        select(TrackPreference.team_id, TrackPreference.track_id)
        .where(TrackPreference.track_id.in_(track_ids))
        .order_by(TrackPreference.team_id, TrackPreference.rank)
    ):
        if team_id in prefs:
            prefs[team_id].append(track_id)
    rankings: dict[int, list[int]] = {}
    for track_id, team_id in db.session.execute(
        select(TrackRanking.track_id, TrackRanking.team_id)
        .where(TrackRanking.track_id.in_(track_ids))
        .order_by(TrackRanking.track_id, TrackRanking.rank)
    ):
        if team_id in prefs:
            rankings.setdefault(track_id, []).append(team_id)
    return teams, tracks, prefs, rankings


def plan_matching(event: Event) -> MatchPlan:
    """Propose a track for every team: minimum total rank, or the stable assignment when a
    company has ranked teams. Too little capacity is an error, never a dropped team."""
    teams, tracks, prefs, rankings = _event_data(event)
    if not tracks:
        raise NoTracks()
    slots = [matching.TrackSlot(t.id, t.capacity) for t in tracks]
    try:
        if rankings:
            result = matching.match_stable([t.id for t in teams], slots, prefs, rankings)
        else:
            result = matching.match_min_rank([t.id for t in teams], slots, prefs)
    except matching.InsufficientCapacity as error:
        raise NotEnoughCapacity(
            _l(
                "%(teams)d teams but only %(places)d places on %(tracks)d tracks: add "
                "%(missing)d places or fewer teams.",
                teams=error.teams,
                places=error.capacity,
                tracks=error.tracks,
                missing=error.teams - error.capacity,
            )
        ) from None
    return _plan("stable" if rankings else "min_rank", teams, tracks, prefs, result.assignment)


def _plan(
    mode: str,
    teams: list[Team],
    tracks: list[Track],
    prefs: Mapping[int, list[int]],
    assignment: dict[int, int],
) -> MatchPlan:
    ranks = {
        team: (prefs[team].index(track) + 1 if track in prefs.get(team, []) else None)
        for team, track in assignment.items()
    }
    counts = Counter(ranks.values())
    ordered: dict[int | None, int] = {r: counts[r] for r in sorted(k for k in counts if k)}
    if None in counts:
        ordered[None] = counts[None]
    return MatchPlan(mode, teams, tracks, assignment, ordered, ranks)


def review_assignment(event: Event, assignment: Mapping[int, int]) -> MatchPlan:
    """Check an assignment (the proposal, perhaps changed by hand): it covers exactly the
    event's current teams, uses only its tracks, and respects every capacity."""
    teams, tracks, prefs, rankings = _event_data(event)
    if set(assignment) != {t.id for t in teams}:
        raise StaleMatching()
    by_id = {t.id: t for t in tracks}
    if any(track not in by_id for track in assignment.values()):
        raise NotFound()
    load = Counter(assignment.values())
    over = [by_id[t] for t, n in load.items() if n > by_id[t].capacity]
    if over:
        raise NotEnoughCapacity(
            _l(
                "Too many teams on %(tracks)s for its capacity.",
                tracks=", ".join(t.display_name for t in over),
            )
        )
    return _plan("stable" if rankings else "min_rank", teams, tracks, prefs, dict(assignment))


def apply_matching(event: Event, assignment: Mapping[int, int]) -> MatchPlan:
    """Give every team its track; each change is recorded in the audit log."""
    plan = review_assignment(event, assignment)
    teams = {t.id: t for t in plan.teams}
    for team_id, track_id in sorted(plan.assignment.items()):
        put_on_track(teams[team_id], track_id, via="matching")
    audit.record(
        "teams.matched",
        event_id=event.id,
        mode=plan.mode,
        teams=len(plan.assignment),
        choices={str(k): v for k, v in plan.choice_counts.items()},
    )
    db.session.flush()
    return plan
