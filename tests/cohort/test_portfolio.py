"""A portfolio is private until the trainee publishes it; published, it shows what they
chose and never an e-mail address, peer review, or results that are not published."""

from __future__ import annotations

import pytest

from tests.cohort.conftest import api_put

PAGE = "/programs/c1/people/{id}"
API = "/api/v1/programs/c1/people/{id}"


@pytest.fixture
def peer_scores(monkeypatch):
    """Peer review as the peer-review feature will report it: a mean nobody else may see."""
    from hackathon.cohort.services import record

    def fake(program, user_ids=None):
        return {uid: {"mean": 1.37, "count": 4} for uid in user_ids or []}

    monkeypatch.setattr(record, "peer_by_person", fake)


def _publish(client, world, **extra):
    live_and_pub = [
        {"event": "pub", "files": [world.files["image"].id], "feedback": []},
        {"event": "live"},
    ]
    body = {
        "program": "c1",
        "public": True,
        "headline": "데이터 엔지니어",
        "projects": live_and_pub,
    }
    body.update(extra)
    response = api_put(client, body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_portfolio_is_404_to_everyone_else_until_published(
    world, client, login, new_client, peer_scores
):
    owner = login(world.trainee, client=new_client())
    assert owner.get("/programs/c1/portfolio").status_code == 200
    _publish(owner, world, public=False)
    url = PAGE.format(id=world.trainee.id)
    readers = {
        "public": client,
        "rep": login(world.rep, client=new_client()),
        "trainee": login(world.other, client=new_client()),
        "far rep": login(world.outsider_rep, client=new_client()),
    }
    for who, reader in readers.items():
        assert reader.get(url).status_code == 404, who
        assert reader.get(API.format(id=world.trainee.id)).status_code == 404, who
        image = f"{url}/files/{world.files['image'].id}"
        assert reader.get(image).status_code == 404, who
    # The trainee and the organizers see the record, and may preview the portfolio.
    assert owner.get(url).status_code == 200
    assert "데이터 엔지니어" in owner.get(url + "?view=portfolio").get_data(as_text=True)
    organizer = login(world.organizer, client=new_client())
    assert organizer.get(url).status_code == 200

    _publish(owner, world)
    for who, reader in readers.items():
        assert reader.get(url).status_code == 200, who
        page = reader.get(url).get_data(as_text=True)
        assert "데이터 엔지니어" in page
        assert world.trainee.email not in page, who
        assert "1.37" not in page, who
        body = reader.get(API.format(id=world.trainee.id)).get_json()
        assert "email" not in body, who
        assert "peer" not in body, who
        assert world.trainee.email not in str(body)


def test_published_shows_nothing_from_an_unpublished_board(world, client, login, new_client):
    owner = login(world.trainee, client=new_client())
    _publish(owner, world)
    url = PAGE.format(id=world.trainee.id)
    page = client.get(url).get_data(as_text=True)
    # Both projects show; the published event's rank and award, the live one's neither.
    assert "alpha 프로젝트" in page
    assert "gamma 프로젝트" in page
    assert "대상" in page
    assert "비밀상" not in page
    assert "Secret prize" not in page
    body = client.get(API.format(id=world.trainee.id)).get_json()
    by_slug = {e["slug"]: e for e in body["events"]}
    assert by_slug["pub"]["rank"] == 1
    assert [a["name"] for a in by_slug["pub"]["awards"]] == ["대상"]
    assert by_slug["live"]["rank"] is None
    assert by_slug["live"]["awards"] == []
    # The trainee's own record follows the same rule; the organizers see the live rank.
    mine = owner.get(API.format(id=world.trainee.id)).get_json()
    assert {e["slug"]: e["rank"] for e in mine["events"]} == {"pub": 1, "live": None}
    organizer = login(world.organizer, client=new_client())
    theirs = organizer.get(API.format(id=world.trainee.id)).get_json()
    assert {e["slug"]: e["rank"] for e in theirs["events"]} == {"pub": 1, "live": 1}
    assert theirs["email"] == world.trainee.email


def test_the_image_of_a_chosen_file_shows_and_others_do_not(world, client, login, new_client):
    owner = login(world.trainee, client=new_client())
    _publish(owner, world)
    url = PAGE.format(id=world.trainee.id)
    image = f"{url}/files/{world.files['image'].id}"
    assert f'src="{image}"' in client.get(url).get_data(as_text=True)
    assert client.get(image).status_code == 302
    _publish(owner, world, projects=[{"event": "pub"}])
    assert client.get(image).status_code == 404
    assert f'src="{image}"' not in client.get(url).get_data(as_text=True)


def test_a_trainee_chooses_only_their_own_projects_files_and_feedback(world, login, new_client):
    owner = login(world.trainee, client=new_client())
    beta_file = world.files["image"].id + 10_000
    for projects in (
        [{"event": "far"}],
        [{"event": "pub", "files": [beta_file]}],
        [{"event": "pub", "feedback": ["제가 쓴 칭찬"]}],
    ):
        response = api_put(owner, {"program": "c1", "public": True, "projects": projects})
        assert response.status_code == 422, projects
    assert api_put(owner, {"program": "c1", "public": "yes"}).status_code == 422
    assert api_put(owner, {"public": True}).status_code == 422
    # Nothing of the refused bodies was written.
    assert owner.get("/programs/c1/portfolio").status_code == 200
    from hackathon.cohort.models import Portfolio
    from hackathon.extensions import db

    assert db.session.scalar(db.select(db.func.count(Portfolio.id))) == 0
    # Real feedback of the published event may be quoted; the live event has none yet.
    chosen = _publish(
        owner, world, projects=[{"event": "pub", "feedback": ["=Alpha 팀은 발표가 훌륭했습니다"]}]
    )
    assert chosen["projects"] == [
        {"event": "pub", "files": [], "feedback": ["=Alpha 팀은 발표가 훌륭했습니다"]}
    ]
    body = {
        "program": "c1",
        "projects": [{"event": "live", "feedback": ["Gamma 팀은 발표가 훌륭했습니다"]}],
    }
    assert api_put(owner, body).status_code == 422


def test_someone_outside_the_program_has_no_portfolio_there(world, login, new_client):
    rep = login(world.rep, client=new_client())
    assert api_put(rep, {"program": "c1", "public": True}).status_code == 404
    assert rep.get("/programs/c1/portfolio").status_code == 404
    assert api_put(new_client(), {"program": "c1", "public": True}).status_code in {400, 401}


def test_the_talent_view_finds_published_portfolios_by_skill(world, client, login, new_client):
    owner = login(world.trainee, client=new_client())
    _publish(owner, world, skills=["python", "Docker"])
    other = login(world.other, client=new_client())
    api_put(other, {"program": "c1", "public": False, "skills": ["docker"]})
    rep = login(world.rep, client=new_client())
    page = rep.get("/programs/c1/talent").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' in page
    assert f'data-person="{world.other.id}"' not in page  # not published
    found = rep.get("/programs/c1/talent?skill=docker").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' in found
    none = rep.get("/programs/c1/talent?skill=vision").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' not in none
    by_award = rep.get("/programs/c1/talent?award=대상").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' in by_award
    secret = rep.get("/programs/c1/talent?award=비밀상").get_data(as_text=True)
    assert f'data-person="{world.trainee.id}"' not in secret
    assert "비밀상" not in page
    # Reps of another program, trainees and the public see nothing of the talent view.
    assert (
        login(world.outsider_rep, client=new_client()).get("/programs/c1/talent").status_code == 404
    )
    assert other.get("/programs/c1/talent").status_code == 404
    assert client.get("/programs/c1/talent").status_code in {302, 404}


def test_the_portfolio_form_saves_choices_and_publishes(world, client, login, new_client):
    from tests.helpers import post

    owner = login(world.trainee, client=new_client())
    form = owner.get("/programs/c1/portfolio").get_data(as_text=True)
    assert "python; nlp" in form  # the profile's skills, until changed
    response = post(
        owner,
        "/programs/c1/portfolio",
        {
            "headline": "한 줄 소개",
            "about": "저는 *데이터*를 좋아합니다",
            "skills": "python, sql",
            "links": "https://example.test/me\n",
            "public": "y",
            "project": [str(world.pub.id)],
            f"file_{world.pub.id}": [str(world.files["image"].id)],
            f"feedback_{world.pub.id}": ["0"],
        },
    )
    assert response.status_code == 302
    page = client.get(PAGE.format(id=world.trainee.id)).get_data(as_text=True)
    assert "한 줄 소개" in page
    assert "<em>데이터</em>" in page
    assert "=Alpha 팀은 발표가 훌륭했습니다" in page
    bad = post(owner, "/programs/c1/portfolio", {"links": "javascript:alert(1)", "public": "y"})
    assert bad.status_code == 200
    assert "javascript:alert(1)" not in client.get(PAGE.format(id=world.trainee.id)).get_data(
        as_text=True
    )
