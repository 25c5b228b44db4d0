"""The `teams` CSV export and the roster's `team`/`track` columns.

In a roster, a participant row's `team` puts the person in that team (created if needed,
the first person named becoming its captain) and its `track` sets the team's track; a
mentor row's `team` (several names separated by `;`) makes the person a mentor of those
teams. Empty cells change nothing, so re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon import csvio
from hackathon.accounts.models import User
from hackathon.accounts.services import normalize_email
from hackathon.events.models import Event, EventRole, Role
from hackathon.extensions import db
from hackathon.registry import Registry, RosterPlacement, get_registry
from hackathon.teams import rules
from hackathon.teams.models import Team, TeamMember, TeamMentor, Track
from hackathon.teams.services import organizer
from hackathon.teams.services.tracks import put_on_track, track_by_name

TEAMS_COLUMNS = ("team", "track", "captain_email", "members")


def _problem(row: csvio.Row, message: Any) -> csvio.RowProblem:
    return csvio.RowProblem(row.number, str(message))


def _names(raw: str) -> list[str]:
    return [" ".join(part.split()) for part in raw.split(";") if part.strip()]


def _current(event: Event) -> tuple[dict[str, Team], dict[str, Track], dict[str, str]]:
    """Teams and tracks by lowercase name, and each member's team (e-mail → team name)."""
    teams = {
        t.name.lower(): t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))
    }
    tracks = {t.name.lower(): t for t in rules.tracks_of(event)}
    members = {
        email: name.lower()
        for email, name in db.session.execute(
            select(User.email, Team.name)
            .join(TeamMember, TeamMember.user_id == User.id)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.event_id == event.id)
        )
    }
    return teams, tracks, members


def check_placement(event: Event, rows: list[csvio.Row]) -> list[csvio.RowProblem]:
    """Problems with the team and track cells, judged against the file and the database."""
    problems: list[csvio.RowProblem] = []
    teams, tracks, members = _current(event)
    placed: dict[str, tuple[str, csvio.Row]] = {}  # e-mail -> (team, row)
    team_track: dict[str, tuple[str, csvio.Row]] = {}
    mentor_rows: list[tuple[csvio.Row, list[str]]] = []
    for row in rows:
        team, track, role = row.get("team"), row.get("track"), row.get("role").lower()
        if (not team and not track) or role not in set(Role):
            continue
        if role == Role.PARTICIPANT:
            if not team:
                problems.append(
                    _problem(row, _l("a track is given through a team: name the team too"))
                )
                continue
            name = " ".join(team.split())
            if len(name) > rules.NAME_MAX:
                problems.append(_problem(row, _l("the team name is too long")))
                continue
            placed[normalize_email(row.get("email"))] = (name.lower(), row)
            if track:
                if track.lower() not in tracks:
                    problems.append(
                        _problem(row, _l("no track “%(name)s” in this event", name=track))
                    )
                elif name.lower() in team_track and team_track[name.lower()][0] != track.lower():
                    problems.append(
                        _problem(
                            row,
                            _l(
                                "a different track for this team than row %(other)d",
                                other=team_track[name.lower()][1].number,
                            ),
                        )
                    )
                else:
                    team_track.setdefault(name.lower(), (track.lower(), row))
        elif role == Role.MENTOR and not track:
            mentor_rows.append((row, _names(team)))
        elif role == Role.MENTOR:
            problems.append(_problem(row, _l("only participants are placed on a track")))
        else:
            problems.append(_problem(row, _l("only participants and mentors are placed in teams")))
    file_teams = {team for team, _row in placed.values()}
    for row, names in mentor_rows:
        for name in names:
            if name.lower() not in teams and name.lower() not in file_teams:
                problems.append(
                    _problem(row, _l("no team “%(name)s” in this event or file", name=name))
                )
    problems.extend(_check_sizes(event, members, placed))
    problems.extend(_check_capacity(teams, tracks, team_track))
    problems.extend(_check_emptied(teams, members, placed))
    return problems


def _check_emptied(
    teams: dict[str, Team], members: dict[str, str], placed: dict[str, tuple[str, csvio.Row]]
) -> list[csvio.RowProblem]:
    """A team with a submission may not be left without members by people moving away."""
    final = {**members, **{email: team for email, (team, _row) in placed.items()}}
    remaining = Counter(final.values())
    with_submission = get_registry().held_teams(t.id for t in teams.values())
    problems = []
    for email, old in sorted(members.items()):
        moved_away = email in placed and placed[email][0] != old
        if moved_away and not remaining[old] and teams[old].id in with_submission:
            problems.append(
                _problem(
                    placed[email][1],
                    _l(
                        "moving this person would leave “%(name)s”, which has a "
                        "submission, without members",
                        name=teams[old].name,
                    ),
                )
            )
            remaining[old] = -1  # one line per team
    return problems


def _check_sizes(
    event: Event, members: dict[str, str], placed: dict[str, tuple[str, csvio.Row]]
) -> list[csvio.RowProblem]:
    """The first row that would take a team past the maximum, counting the members who
    stay (those the file does not place elsewhere) and the file's rows in order."""
    sizes = Counter(team for email, team in members.items() if email not in placed)
    problems = []
    for team, row in sorted(placed.values(), key=lambda item: item[1].number):
        sizes[team] += 1
        if sizes[team] == event.team_max + 1:
            problems.append(
                _problem(
                    row,
                    _l(
                        "team “%(name)s” would have more than %(max)d members",
                        name=row.get("team"),
                        max=event.team_max,
                    ),
                )
            )
    return problems


def _check_capacity(
    teams: dict[str, Team], tracks: dict[str, Track], team_track: dict[str, tuple[str, csvio.Row]]
) -> list[csvio.RowProblem]:
    by_id = {t.id: name for name, t in tracks.items()}
    final = {name: by_id[t.track_id] for name, t in teams.items() if t.track_id in by_id}
    final.update({team: track for team, (track, _row) in team_track.items()})
    load = Counter(final.values())
    problems = []
    for _team, (track, row) in team_track.items():
        if load[track] > tracks[track].capacity:
            problems.append(
                _problem(
                    row,
                    _l(
                        "track “%(name)s” would host %(n)d teams; its capacity is %(cap)d",
                        name=tracks[track].name,
                        n=load[track],
                        cap=tracks[track].capacity,
                    ),
                )
            )
            load[track] = 0  # one line per track is enough
    return problems


def apply_placement(event: Event, rows: list[csvio.Row]) -> None:
    """Place people (already checked and granted their roles) in teams and tracks."""
    users = {
        u.email: u
        for u in db.session.scalars(
            select(User).where(User.email.in_({normalize_email(r.get("email")) for r in rows}))
        )
    }
    wanted = [
        (users[normalize_email(r.get("email"))], " ".join(r.get("team").split()), r.get("track"))
        for r in rows
        if r.get("role").lower() == Role.PARTICIPANT and r.get("team")
    ]
    # Everyone leaves a team they no longer belong to before anyone joins, so a full team
    # that swaps members never overflows half-way.
    for user, name, _track in wanted:
        current = rules.team_of(user, event)
        if current is not None and current.name.lower() != name.lower():
            organizer.move_member(event, user.id, None)
    for user, name, track in wanted:
        team = _team_named(event, name)
        if team is None:
            organizer.create_teams(event, [[user]], names=[name])
        elif rules.team_of(user, event) is None:
            organizer.move_member(event, user.id, team.id)
        if track:
            placed = _team_named(event, name)
            assert placed is not None  # there already or created just above
            _put_on_track(placed, track)
    for row in rows:
        if row.get("role").lower() == Role.MENTOR and row.get("team"):
            mentor = users[normalize_email(row.get("email"))]
            for name in _names(row.get("team")):
                team = _team_named(event, name)
                assert team is not None  # checked for the whole file, created above if new
                organizer.add_mentor(team, mentor.id)


def _team_named(event: Event, name: str) -> Team | None:
    return db.session.scalar(
        select(Team).where(Team.event_id == event.id, func.lower(Team.name) == name.lower())
    )


def _put_on_track(team: Team, track_name: str) -> None:
    track = track_by_name(team.event, track_name)
    if track is not None:
        # Capacities were checked for the whole file before anything was written.
        put_on_track(team, track.id, via="roster")


def export_placement(event: Event, user: User, role: EventRole) -> dict[str, str]:
    if role.role == Role.PARTICIPANT:
        team = rules.team_of(user, event)
        if team is None:
            return {}
        return {"team": team.name, "track": team.track.name if team.track else ""}
    if role.role == Role.MENTOR:
        names = db.session.scalars(
            select(Team.name)
            .join(TeamMentor, TeamMentor.team_id == Team.id)
            .where(Team.event_id == event.id, TeamMentor.user_id == user.id)
            .order_by(Team.name)
        )
        return {"team": ";".join(names)}
    return {}


def export_teams(event: Event) -> Iterable[dict[str, Any]]:
    for team in rules.teams_of(event, with_members=True):
        yield {
            "team": team.name,
            "track": team.track.name if team.track else "",
            "captain_email": team.captain.email if team.captain else "",
            "members": ";".join(m.user.email for m in team.members),
        }


def register(registry: Registry) -> None:
    registry.roster_placement = RosterPlacement(check_placement, apply_placement, export_placement)
    registry.add_csv_kind("teams", TEAMS_COLUMNS, exporter=export_teams)
