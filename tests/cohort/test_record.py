"""The trainee record agrees with what each event says of its teams and its board, for
every trainee of the demo; it is read in a fixed number of queries however many trainees
a program has; and the organizers' list sorts and filters."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import grant, make_event, make_team, make_user
from tests.helpers import statements

SLUGS = ("cohort1-fintech", "cohort1-news-bigdata", "cohort1-company-projects", "cohort1-art-data")


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _user(db, email):
    from hackathon.accounts.models import User

    return db.session.scalar(db.select(User).where(User.email == email))


def _boards(client, source: str | None):
    """Per event: team id -> (rank, award names), from the event's leaderboard API."""
    boards = {}
    for slug in SLUGS:
        query = f"?source={source}" if source else ""
        response = client.get(f"/api/v1/events/{slug}/leaderboard{query}")
        if response.status_code == 404:
            boards[slug] = None
            continue
        body = response.get_json()
        boards[slug] = {
            r["team"]["id"]: (r["rank"], sorted(a["name"] for a in r["awards"]))
            for r in body["rows"]
        }
    return boards


def test_the_people_api_agrees_with_the_team_and_board_apis_for_every_trainee(
    demo, db, login, client
):
    organizer = login(_user(db, "organizer@demo.test"), password="demo-password")
    people = organizer.get("/api/v1/programs/cohort1/people").get_json()["people"]
    trainees = [p for p in people if p["email"].startswith("trainee")]
    assert len(trainees) == 155
    boards = _boards(organizer, "current")  # organizers see every board as it stands now
    teams: dict[int, dict] = {}
    placed: dict[tuple[int, str], int] = {}
    for person in people:
        assert [e["slug"] for e in person["events"]] == list(SLUGS)
        for entry in person["events"]:
            if entry["team"] is None:
                continue
            tid = entry["team"]["id"]
            if tid not in teams:
                teams[tid] = organizer.get(f"/api/v1/teams/{tid}").get_json()
            team = teams[tid]
            placed[(person["id"], entry["slug"])] = tid
            assert team["event"] == entry["slug"]
            assert entry["team"]["name"] == team["name"]
            assert person["id"] in {m["id"] for m in team["members"]}
            assert entry["track"] == (team["track"]["name"] if team["track"] else None)
            rank, awards = boards[entry["slug"]].get(tid, (None, []))
            assert entry["rank"] == rank, (person["id"], entry)
            assert sorted(a["name"] for a in entry["awards"]) == awards
    # And the other way round: every member of every team has that team in the record.
    for tid, team in teams.items():
        for member in team["members"]:
            assert placed[(member["id"], team["event"])] == tid
    assert any(e["awards"] for p in people for e in p["events"])
    assert any(e["rank"] for p in people for e in p["events"] if e["slug"] == SLUGS[1])


def test_a_trainee_sees_only_published_ranks_of_their_own_record(demo, db, login, client):
    from hackathon.accounts.models import User
    from hackathon.events.models import Event
    from hackathon.teams.models import TeamMember

    trainee = db.session.scalar(  # one in a team of the fintech hackathon
        db.select(User)
        .join(TeamMember, TeamMember.user_id == User.id)
        .join(Event, Event.id == TeamMember.event_id)
        .where(Event.slug == "cohort1-fintech")
        .order_by(User.id)
        .limit(1)
    )
    public = _boards(client, None)
    me = login(trainee, password="demo-password")
    body = me.get(f"/api/v1/programs/cohort1/people/{trainee.id}").get_json()
    assert body["email"] == trainee.email
    by_slug = {e["slug"]: e for e in body["events"]}
    fintech = by_slug["cohort1-fintech"]
    assert fintech["rank"] == public["cohort1-fintech"][fintech["team"]["id"]][0]
    assert fintech["rank"] is not None
    # The news board is live (public, but not published): no rank and no award from it.
    assert public["cohort1-news-bigdata"] is not None
    assert by_slug["cohort1-news-bigdata"]["rank"] is None
    assert all(by_slug[s]["rank"] is None for s in SLUGS[1:])
    assert me.get("/api/v1/programs/cohort1/people").status_code == 404
    other = _user(db, "trainee8@demo.test")
    if not _published(db, other.id):
        assert me.get(f"/api/v1/programs/cohort1/people/{other.id}").status_code == 404


def _published(db, user_id):
    from hackathon.cohort.models import Portfolio

    return db.session.scalar(db.select(Portfolio.public).where(Portfolio.user_id == user_id))


def test_the_demo_has_published_portfolios_a_mentor_finds(demo, db, login, client):
    from hackathon.cohort.models import Portfolio

    published = db.session.scalars(db.select(Portfolio).where(Portfolio.public.is_(True))).all()
    assert 3 <= len(published) <= 10
    assert all(p.projects and p.skills for p in published)
    mentor = login(_user(db, "mentor1@demo.test"), password="demo-password")
    page = mentor.get("/programs/cohort1/talent").get_data(as_text=True)
    for portfolio in published:
        assert f'data-person="{portfolio.user_id}"' in page
        assert client.get(f"/programs/cohort1/people/{portfolio.user_id}").status_code == 200
    again = client.application.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Portfolio.id))) == len(published)


def _cohort(trainees: int):
    """A program with two events, `trainees` trainees in teams of three in each."""
    from hackathon.events.models import Program
    from hackathon.extensions import db

    program = Program(slug=f"p{trainees}", name=f"기수 {trainees}", description="")
    db.session.add(program)
    db.session.commit()
    people = [make_user(name=f"교육생 {i}") for i in range(trainees)]
    organizer = make_user(name="운영자")
    for _n in range(2):
        event = make_event(phase="judging", program_id=program.id)
        grant(event, organizer, "organizer")
        for start in range(0, trainees, 3):
            make_team(event, members=people[start : start + 3])
    return program, organizer


def test_the_people_api_and_page_take_the_same_queries_for_6_or_60_trainees(db, login, new_client):
    counts = []
    for size in (6, 60):
        program, organizer = _cohort(size)
        reader = login(organizer, client=new_client())
        seen = {}
        for url in (f"/api/v1/programs/{program.slug}/people", f"/programs/{program.slug}/people"):
            with statements(db) as sql:
                response = reader.get(url)
            assert response.status_code == 200
            seen[url.split("/")[1]] = len(sql)
        assert (
            len(reader.get(f"/api/v1/programs/{program.slug}/people").get_json()["people"]) == size
        )
        counts.append(seen)
    assert counts[0] == counts[1]


def test_the_organizers_list_sorts_and_filters(world, login, new_client):
    organizer = login(world.organizer, client=new_client())
    page = organizer.get("/programs/c1/people?sort=name").get_data(as_text=True)
    names = ["김교육", "박교육", "이교육"]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    desc = organizer.get("/programs/c1/people?sort=name&dir=desc").get_data(as_text=True)
    assert desc.index("이교육") < desc.index("김교육")
    only = organizer.get("/programs/c1/people?query=이").get_data(as_text=True)
    assert "이교육" in only
    assert f'data-person="{world.trainee.id}"' not in only
    fin = organizer.get("/programs/c1/people?track=금융").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' in fin
    assert f'data-person="{world.other.id}"' not in fin
    awarded = organizer.get("/programs/c1/people?award=*&sort=rank").get_data(as_text=True)
    # The live event's award counts for its organizers: both of Gamma's members have one.
    assert f'data-person="{world.trainee.id}"' in awarded
    assert f'data-person="{world.other.id}"' in awarded
    for who in (world.trainee, world.rep):
        assert login(who, client=new_client()).get("/programs/c1/people").status_code == 404


def test_programs_export_people_writes_the_record_as_csv(world, app, db):
    world.other.name = '=HYPERLINK("https://evil.test")'
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["programs", "export", "c1", "people", "-"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == [
        "email",
        "name",
        "events",
        "teams",
        "ranks",
        "awards",
        "individual_awards",
        "peer_mean",
    ]
    mine = next(r for r in rows if r["email"] == world.trainee.email)
    assert mine["events"] == "2"
    assert mine["teams"] == "pub: =Alpha;live: Gamma"
    assert "pub: 1" in mine["ranks"]
    assert "pub: 대상" in mine["awards"]
    theirs = next(r for r in rows if r["email"] == world.other.email)
    assert theirs["name"] == "'" + world.other.name  # a formula neutralised
    assert not any(cell.startswith("=") for r in rows for cell in r.values())
    missing = runner.invoke(args=["programs", "export", "nope", "people", "-"])
    assert missing.exit_code != 0
