"""The `preferences` CSV kind: `team,track,rank` (1 = first choice)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit, csvio
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.numbers import int_or_none, parse_int
from hackathon.registry import Registry
from hackathon.teams import rules
from hackathon.teams.models import Team, Track, TrackPreference
from hackathon.teams.services.preferences import preferences_of, replace_preferences

PREFERENCE_COLUMNS = ("team", "track", "rank")


def _check_preference_rows(event: Event, rows: list[csvio.Row]) -> list[csvio.RowProblem]:
    problems: list[csvio.RowProblem] = []
    tracks = {t.name.lower(): t for t in rules.tracks_of(event)}
    teams = {
        t.name.lower(): t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))
    }
    # (team, track name) and (team, rank): the row that first gave each.
    seen_track: dict[tuple[str, str | int], int] = {}
    seen_rank: dict[tuple[str, str | int], int] = {}
    for row in rows:
        team, track, raw = row.get("team").lower(), row.get("track").lower(), row.get("rank")
        if team not in teams:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("no team “%(name)s” in this event", name=row.get("team")))
                )
            )
        if track not in tracks:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("no track “%(name)s” in this event", name=row.get("track")))
                )
            )
        rank = int_or_none(raw)
        if rank is None or not 1 <= rank <= max(len(tracks), 1):
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(
                        _l(
                            "the rank “%(value)s” must be a whole number from 1 to %(max)d",
                            value=raw,
                            max=max(len(tracks), 1),
                        )
                    ),
                )
            )
            continue
        for seen, key in ((seen_track, (team, track)), (seen_rank, (team, rank))):
            if key in seen:
                problems.append(
                    csvio.RowProblem(
                        row.number, str(_l("repeats row %(other)d for this team", other=seen[key]))
                    )
                )
            seen.setdefault(key, row.number)
    return problems


def import_preferences(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Replace the rankings of every team named in the file; other teams keep theirs."""
    problems = _check_preference_rows(event, rows)
    if problems:
        raise csvio.ImportFailed(problems)
    tracks = {t.name.lower(): t for t in rules.tracks_of(event)}
    teams = {
        t.name.lower(): t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))
    }
    wanted: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        team = teams[row.get("team").lower()]
        wanted.setdefault(team.id, []).append(
            (parse_int(row.get("rank")), tracks[row.get("track").lower()].id)
        )
    result = csvio.ImportResult()
    by_id = {t.id: t for t in teams.values()}
    for team_id, ranked in wanted.items():
        track_ids = [track for _rank, track in sorted(ranked)]
        before = [t.id for t in preferences_of(by_id[team_id])]
        if before == track_ids:
            result.unchanged += len(track_ids)
            continue
        replace_preferences(by_id[team_id], track_ids)
        if before:
            result.updated += len(track_ids)
        else:
            result.created += len(track_ids)
    if wanted:
        audit.record("preferences.imported", event_id=event.id, teams=len(wanted))
    return result


def export_preferences(event: Event) -> Iterable[dict[str, Any]]:
    rows = db.session.execute(
        select(Team.name, Track.name, TrackPreference.rank)
        .join(TrackPreference, TrackPreference.team_id == Team.id)
        .join(Track, Track.id == TrackPreference.track_id)
        .where(Team.event_id == event.id)
        .order_by(Team.name, TrackPreference.rank)
    )
    for team, track, rank in rows:
        yield {"team": team, "track": track, "rank": rank}


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "preferences",
        PREFERENCE_COLUMNS,
        importer=import_preferences,
        exporter=export_preferences,
    )
