"""CSV kinds tracks, preferences and teams, and the roster's team and track columns."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hackathon.audit import AuditEntry
from hackathon.teams import rules
from hackathon.teams.models import Team, TeamMentor, Track, TrackPreference
from hackathon.teams.services import preferences
from tests.factories import make_event, make_submission, make_team, make_track, make_user


@pytest.fixture
def event(db):
    return make_event("csv", phase="team_formation", team_min=2, team_max=3)


@pytest.fixture
def cli(app, tmp_path):
    runner = app.test_cli_runner()

    def run(*args: str, content: str | None = None, encoding: str = "utf-8"):
        if content is not None:
            path = tmp_path / "in.csv"
            path.write_bytes(content.encode(encoding))
            args = (*args, str(path))
        return runner.invoke(args=list(args))

    return run


def _count(model) -> int:
    from hackathon.extensions import db

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_tracks_round_trip_and_reimport_changes_nothing(event, db, cli):
    text = "name,company,capacity,description\n금융 챗봇,한빛AI,3,상담 챗봇\nVision,,2,\n"
    first = cli("import", "csv", "tracks", content=text)
    assert first.exit_code == 0, first.output
    assert "2 created" in first.output
    tracks = rules.tracks_of(event)
    assert [(t.name, t.capacity, t.company.name if t.company else None) for t in tracks] == [
        ("금융 챗봇", 3, "한빛AI"),
        ("Vision", 2, None),
    ]
    exported = cli("export", "csv", "tracks", "-").output
    again = cli("import", "csv", "tracks", content=exported)
    assert "0 created, 0 updated, 2 unchanged" in again.output
    changed = cli("import", "csv", "tracks", content=exported.replace("Vision,,2", "Vision,,4"))
    assert "1 updated" in changed.output
    assert _count(Track) == 2


def test_tracks_import_reads_cp949_from_korean_excel(event, db, cli):
    text = "name,company,capacity,description\r\n뉴스 요약,새벽데이터,3,기사 요약\r\n"
    result = cli("import", "csv", "tracks", content=text, encoding="cp949")
    assert result.exit_code == 0, result.output
    assert rules.tracks_of(event)[0].company.name == "새벽데이터"


def test_bad_track_rows_are_listed_by_row_and_nothing_is_written(event, db, cli):
    track = make_track(event, "Busy", capacity=2)
    make_team(event, members=[make_user(event=event, locale="en")], track=track)
    make_team(event, members=[make_user(event=event, locale="en")], track=track)
    text = (
        "name,company,capacity,description\n"
        "Good,,3,\n"  # row 2 is fine, but nothing is written
        ",,3,\n"  # row 3: no name
        "Big,,lots,\n"  # row 4: not a number
        "Good,,2,\n"  # row 5: repeats row 2
        "Busy,,1,\n"  # row 6: below the teams already on it
    )
    result = cli("import", "csv", "tracks", content=text)
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert any(line.startswith("row 3:") and "name" in line for line in lines)
    assert any(line.startswith("row 4:") and "“lots”" in line for line in lines)
    assert any(line.startswith("row 5:") and "row 2" in line for line in lines)
    assert any(line.startswith("row 6:") and "2 teams" in line for line in lines)
    assert "nothing was imported" in result.output
    assert _count(Track) == 1


def test_preferences_round_trip(event, db, cli):
    for name in ("A", "B", "C"):
        make_track(event, name)
    make_team(event, "Owls", members=[make_user(event=event, locale="en")])
    make_team(event, "Foxes", members=[make_user(event=event, locale="en")])
    text = "team,track,rank\nOwls,B,1\nOwls,A,2\nFoxes,C,1\n"
    result = cli("import", "csv", "preferences", content=text)
    assert result.exit_code == 0, result.output
    owls = db.session.scalar(select(Team).where(Team.name == "Owls"))
    assert [t.name for t in preferences.preferences_of(owls)] == ["B", "A"]
    exported = cli("export", "csv", "preferences", "-").output
    assert exported.splitlines() == [
        "team,track,rank",
        "Foxes,C,1",
        "Owls,B,1",
        "Owls,A,2",
    ]
    again = cli("import", "csv", "preferences", content=exported)
    assert "0 created, 0 updated, 3 unchanged" in again.output


def test_bad_preference_rows(event, db, cli):
    make_track(event, "A")
    make_track(event, "B")
    make_team(event, "Owls", members=[make_user(event=event, locale="en")])
    text = (
        "team,track,rank\n"
        "Ghosts,A,1\n"  # unknown team
        "Owls,Z,2\n"  # unknown track
        "Owls,A,9\n"  # rank beyond the number of tracks
        "Owls,B,x\n"  # not a number
        "Owls,A,1\n"
        "Owls,A,2\n"  # the same track twice
    )
    result = cli("import", "csv", "preferences", content=text)
    assert result.exit_code != 0
    rows = {line.split(":")[0] for line in result.output.splitlines() if line.startswith("row")}
    assert rows == {"row 2", "row 3", "row 4", "row 5", "row 7"}
    assert _count(TrackPreference) == 0


def test_teams_export(event, db, cli):
    track = make_track(event, "Vision")
    alice = make_user(event=event, email="alice@example.test", locale="en")
    bob = make_user(event=event, email="bob@example.test", locale="en")
    make_team(event, "Owls", members=[alice, bob], captain=bob, track=track)
    lines = cli("export", "csv", "teams", "-").output.splitlines()
    assert lines == [
        "team,track,captain_email,members",
        "Owls,Vision,bob@example.test,alice@example.test;bob@example.test",
    ]
    assert cli("import", "csv", "teams", "-").exit_code != 0  # export only


ROSTER = (
    "email,name,role,team,track,company,skills\n"
    "kim@example.test,김민서,participant,Owls,Vision,,vision;nlp\n"
    "lee@example.test,이준,participant,Owls,,,backend\n"
    "park@example.test,박하은,participant,Foxes,Speech,,\n"
    "choi@example.test,최도윤,participant,,,,\n"
    "mentor@example.test,정멘토,mentor,Owls;Foxes,,한빛AI,\n"
)


def test_roster_places_people_in_teams_and_tracks(event, db, cli):
    make_track(event, "Vision")
    make_track(event, "Speech")
    result = cli("import", "csv", "roster", content=ROSTER)
    assert result.exit_code == 0, result.output
    owls = db.session.scalar(select(Team).where(Team.name == "Owls"))
    assert [m.user.email for m in owls.members] == ["kim@example.test", "lee@example.test"]
    assert owls.captain.email == "kim@example.test"  # the first person named
    assert owls.track.name == "Vision"
    foxes = db.session.scalar(select(Team).where(Team.name == "Foxes"))
    assert foxes.track.name == "Speech"
    assert _count(TeamMentor) == 2
    choi = db.session.scalar(select(rules.User).where(rules.User.email == "choi@example.test"))
    assert rules.team_of(choi, event) is None

    audits = _count(AuditEntry)
    again = cli("import", "csv", "roster", content=ROSTER)
    assert again.exit_code == 0, again.output
    assert (_count(Team), _count(TeamMentor), _count(AuditEntry)) == (2, 2, audits)

    exported = cli("export", "csv", "roster", "-").output.splitlines()
    assert "kim@example.test,김민서,participant,Owls,Vision,,vision;nlp" in exported
    assert "mentor@example.test,정멘토,mentor,Foxes;Owls,,한빛AI," in exported


def test_roster_moves_a_person_named_in_another_team(event, db, cli):
    make_track(event, "Vision")
    make_track(event, "Speech")
    cli("import", "csv", "roster", content=ROSTER)
    moved = ROSTER.replace(
        "lee@example.test,이준,participant,Owls", "lee@example.test,이준,participant,Foxes"
    )
    result = cli("import", "csv", "roster", content=moved)
    assert result.exit_code == 0, result.output
    lee = db.session.scalar(select(rules.User).where(rules.User.email == "lee@example.test"))
    assert rules.team_of(lee, event).name == "Foxes"


def test_bad_roster_placements_write_nothing(event, db, cli):
    make_track(event, "Vision", capacity=1)
    make_team(
        event,
        "Taken",
        members=[make_user(event=event, locale="en")],
        track=rules.tracks_of(event)[0],
    )
    text = (
        "email,name,role,team,track,company,skills\n"
        "a@example.test,A,participant,,Vision,,\n"  # a track without a team
        "b@example.test,B,participant,Owls,Nowhere,,\n"  # unknown track
        "c@example.test,C,judge,Owls,,,\n"  # judges are not placed in teams
        "d@example.test,D,mentor,Ghosts,,,\n"  # no such team
        "e@example.test,E,participant,Big,,,\n"
        "f@example.test,F,participant,Big,,,\n"
        "g@example.test,G,participant,Big,,,\n"
        "h@example.test,H,participant,Big,,,\n"  # a fourth member; the maximum is 3
        "i@example.test,I,participant,Other,Vision,,\n"  # Vision hosts one team, taken
        "j@example.test,J,mentor,Big,Vision,,\n"  # mentors get no track
    )
    result = cli("import", "csv", "roster", content=text)
    assert result.exit_code != 0
    rows = {line.split(":")[0] for line in result.output.splitlines() if line.startswith("row")}
    assert rows == {"row 2", "row 3", "row 4", "row 5", "row 9", "row 10", "row 11"}
    assert _count(Team) == 1
    assert (
        db.session.scalar(select(rules.User.id).where(rules.User.email == "e@example.test")) is None
    )


def test_team_and_track_names_match_ignoring_case(event, db, cli):
    make_track(event, "Vision")
    make_track(event, "Speech")
    existing = make_user("kim@example.test", "김민서")
    team = make_team(event, "OWLS", members=[existing])
    result = cli("import", "csv", "roster", content=ROSTER.replace(",Vision,", ",vision,"))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert [m.user.email for m in team.members] == ["kim@example.test", "lee@example.test"]
    assert team.track.name == "Vision"


def test_roster_cannot_empty_a_team_that_has_a_submission(db, cli):
    event = make_event("csv-late", phase="submission", team_max=3)
    kim = make_user(event=event, email="kim@example.test", name="김민서", locale="en")
    team = make_team(event, "Owls", members=[kim])
    make_submission(team, status="draft")
    text = (
        "email,name,role,team,track,company,skills\nkim@example.test,김민서,participant,Foxes,,,\n"
    )
    result = cli("import", "csv-late", "roster", content=text)
    assert result.exit_code != 0
    assert "row 2:" in result.output
    assert "“Owls”, which has a submission" in result.output
    assert rules.team_of(kim, event).name == "Owls"
