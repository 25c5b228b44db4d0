"""`PUT /api/v1/assignments/<id>/scores` and `GET /api/v1/judging/<slug>/queue`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.judging.models import Assignment, Score, ScoreChange
from hackathon.judging.rules import submitted_scores
from tests.factories import make_user
from tests.helpers import assign, build_setup, put_scores


def score_rows(db, assignment_id):
    db.session.expire_all()
    return {
        s.criterion_id: s.value
        for s in db.session.scalars(select(Score).where(Score.assignment_id == assignment_id))
    }


def test_scores_are_set_not_added_and_the_version_moves(setup, client, login, db):
    idea, execution = setup.criteria
    judge = setup.judges[0]
    a = assign(setup, judge, setup.teams[0])
    login(judge)

    first = put_scores(client, a.id, scores={str(idea.id): 7}, version=a.version)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["status"] == "in_progress"
    assert body["scores"] == {str(idea.id): 7}
    assert body["version"] == a.version + 1

    # The same value sent again (a retry with the new version) changes nothing.
    again = put_scores(client, a.id, scores={str(idea.id): 7}, version=body["version"])
    assert again.get_json()["version"] == body["version"]
    changed = put_scores(
        client, a.id, scores={str(idea.id): 9, str(execution.id): 3}, version=body["version"]
    )
    assert changed.status_code == 200
    assert score_rows(db, a.id) == {idea.id: 9, execution.id: 3}
    assert db.session.scalar(select(Score.id).where(Score.assignment_id == a.id).limit(1))
    assert len(score_rows(db, a.id)) == 2  # one row per criterion, never a second one


def test_stale_version_gets_409_and_changes_nothing(setup, client, login, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    put_scores(client, a.id, scores={str(idea.id): 4}, version=a.version)

    stale = put_scores(client, a.id, scores={str(idea.id): 10}, feedback="x", version=a.version)
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["details"]["current_version"] == a.version + 1
    assert score_rows(db, a.id) == {idea.id: 4}
    assert db.session.get(Assignment, a.id).feedback == ""


def test_out_of_range_or_unknown_values_get_422_and_change_nothing(setup, client, login, db):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    put_scores(client, a.id, scores={str(idea.id): 5}, version=a.version)
    version = a.version + 1

    for bad in (
        {str(idea.id): 8, str(execution.id): 6},  # execution is 1..5
        {str(idea.id): 0},
        {str(idea.id): 7.5},
        {str(idea.id): "many"},
        {str(idea.id): True},
        {"999999": 3},
        {"idea": 3},
    ):
        response = put_scores(client, a.id, scores=bad, feedback="바뀌면 안 됨", version=version)
        assert response.status_code == 422, (bad, response.get_json())
        assert response.get_json()["error"]["code"] == "validation_failed"
    assert score_rows(db, a.id) == {idea.id: 5}
    row = db.session.get(Assignment, a.id)
    assert (row.feedback, row.version) == ("", version)


def test_bad_values_are_explained_per_criterion_in_the_readers_language(setup, client, login, db):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    korean = {"Accept-Language": "ko"}
    for bad in (7.5, "7", True, [7], {"v": 7}):
        response = client.api(
            "PUT",
            f"/api/v1/assignments/{a.id}/scores",
            json={"scores": {str(idea.id): bad, str(execution.id): 3}, "version": a.version},
            headers=korean,
        )
        assert response.status_code == 422, bad
        # The page highlights the criterion named by the key; the message is translated.
        fields = response.get_json()["error"]["details"]["fields"]
        assert fields == {f"scores.{idea.id}": "점수는 정수여야 합니다."}, bad
    for body, field in (
        ({"scores": [], "version": a.version}, "scores"),
        ({"scores": {}, "version": "one"}, "version"),
        ({"scores": {}}, "version"),
        ({"scores": {}, "feedback": 3, "version": a.version}, "feedback"),
        ({"scores": {}, "submit": "yes please", "version": a.version}, "submit"),
    ):
        response = client.api(
            "PUT", f"/api/v1/assignments/{a.id}/scores", json=body, headers=korean
        )
        assert response.status_code == 422, body
        fields = response.get_json()["error"]["details"]["fields"]
        assert list(fields) == [field], body
    assert score_rows(db, a.id) == {}


def test_every_change_is_audited_with_the_request_id(setup, client, login, db):
    idea, execution = setup.criteria
    judge = setup.judges[0]
    a = assign(setup, judge, setup.teams[0])
    login(judge)
    put_scores(client, a.id, scores={str(idea.id): 6}, version=a.version)
    put_scores(
        client,
        a.id,
        scores={str(idea.id): 8, str(execution.id): 2},
        feedback="좋아요",
        note="발표 인상적",
        version=a.version + 1,
    )
    db.session.expire_all()
    changes = db.session.scalars(
        select(ScoreChange).where(ScoreChange.assignment_id == a.id).order_by(ScoreChange.id)
    ).all()
    seen = [(c.field, c.criterion_id, c.old_value, c.new_value) for c in changes]
    assert ("score", idea.id, None, "6") in seen
    assert ("score", idea.id, "6", "8") in seen
    assert ("score", execution.id, None, "2") in seen
    assert ("feedback", None, "", "좋아요") in seen
    assert ("note", None, "", "발표 인상적") in seen
    assert ("status", None, "to_do", "in_progress") in seen
    assert {c.actor_id for c in changes} == {judge.id}
    assert {c.source for c in changes} == {"api"}
    # One request id per request, shared by all the rows that request wrote.
    by_request = {}
    for c in changes:
        by_request.setdefault(c.request_id, set()).add((c.field, c.new_value))
    assert len(by_request) == 2
    assert all(len(rid) == 36 for rid in by_request)


def test_a_request_id_from_the_load_balancer_is_the_one_audited(setup, client, login, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    sent = "lb-" + "7" * 33  # the longest id the app keeps as it is
    response = client.api(
        "PUT",
        f"/api/v1/assignments/{a.id}/scores",
        json={"scores": {str(idea.id): 5}, "version": a.version},
        headers={"X-Request-ID": sent},
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == sent
    db.session.expire_all()
    ids = db.session.scalars(
        select(ScoreChange.request_id).where(ScoreChange.assignment_id == a.id)
    ).all()
    assert ids
    assert set(ids) == {sent}


def test_submit_needs_every_criterion_and_only_submitted_scores_count(setup, client, login, db):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    half = put_scores(client, a.id, scores={str(idea.id): 6}, submit=True, version=a.version)
    assert half.status_code == 422
    assert (
        "Execution" in half.get_json()["error"]["message"]
        or "완성도" in half.get_json()["error"]["message"]
    )
    put_scores(client, a.id, scores={str(idea.id): 6}, version=a.version)
    assert submitted_scores(setup.event) == []  # a draft never counts

    done = put_scores(
        client, a.id, scores={str(execution.id): 4}, submit=True, version=a.version + 1
    )
    assert done.status_code == 200
    assert done.get_json()["status"] == "submitted"
    rows = submitted_scores(setup.event)
    assert sorted((r.judge_id, r.team_id, r.criterion_id, r.value) for r in rows) == sorted(
        [
            (setup.judges[0].id, setup.teams[0].id, idea.id, 6),
            (setup.judges[0].id, setup.teams[0].id, execution.id, 4),
        ]
    )


def test_saving_a_submitted_assignment_reopens_it_until_submitted_again(setup, client, login, db):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    both = {str(idea.id): 6, str(execution.id): 4}
    done = put_scores(client, a.id, scores=both, submit=True, version=a.version).get_json()
    reopened = put_scores(
        client, a.id, scores={str(idea.id): 9}, version=done["version"]
    ).get_json()
    assert reopened["status"] == "in_progress"
    assert submitted_scores(setup.event) == []
    final = put_scores(client, a.id, submit=True, version=reopened["version"]).get_json()
    assert final["status"] == "submitted"
    assert {r.value for r in submitted_scores(setup.event)} == {9, 4}


def test_scores_cannot_change_after_judging_closes(setup, client, login, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    put_scores(client, a.id, scores={str(idea.id): 5}, version=a.version)
    setup.event.judging_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = put_scores(client, a.id, scores={str(idea.id): 9}, version=a.version + 1)
    assert late.status_code == 409
    assert late.get_json()["error"]["code"] == "judging_closed"
    assert score_rows(db, a.id) == {idea.id: 5}


def test_scores_cannot_be_written_before_judging_opens(db, client, login):
    early = build_setup(phase="submission")
    a = assign(early, early.judges[0], early.teams[0])
    login(early.judges[0])
    response = put_scores(client, a.id, scores={str(early.criteria[0].id): 5}, version=a.version)
    assert response.status_code == 409
    assert score_rows(db, a.id) == {}


def test_nobody_else_can_write_or_see_an_assignment(setup, client, login, new_client, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    other_judge = login(setup.judges[1], client=new_client())
    organizer = login(setup.organizer, client=new_client())
    stranger = login(make_user(), client=new_client())
    for who in (other_judge, organizer, stranger):
        response = put_scores(who, a.id, scores={str(idea.id): 9}, version=a.version)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert put_scores(client, a.id, scores={str(idea.id): 9}, version=a.version).status_code in (
        400,
        401,
    )
    # An id that does not exist looks exactly the same as one that is not yours.
    assert put_scores(other_judge, 999999, scores={}, version=1).status_code == 404
    assert score_rows(db, a.id) == {}


def test_body_fields_like_judge_or_status_are_ignored(setup, client, login, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    response = put_scores(
        client,
        a.id,
        scores={str(idea.id): 3},
        version=a.version,
        judge_id=setup.judges[1].id,
        status="submitted",
    )
    assert response.status_code == 200
    db.session.expire_all()
    row = db.session.get(Assignment, a.id)
    assert (row.judge_id, row.status) == (setup.judges[0].id, "in_progress")


def test_queue_lists_only_my_assignments_in_order_with_progress(setup, client, login, db):
    idea, execution = setup.criteria
    me, other = setup.judges[0], setup.judges[1]
    mine = [assign(setup, me, team) for team in setup.teams[:3]]
    assign(setup, other, setup.teams[3])
    login(me)
    put_scores(
        client, mine[0].id, scores={str(idea.id): 5, str(execution.id): 5}, submit=True, version=1
    )
    put_scores(client, mine[1].id, scores={str(idea.id): 2}, version=1)

    body = client.get(f"/api/v1/judging/{setup.event.slug}/queue").get_json()
    assert [c["name"] for c in body["criteria"]] == ["기획력", "완성도"]
    assert body["criteria"][1]["min"] == 1
    assert body["criteria"][1]["max"] == 5
    assert [x["team"]["name"] for x in body["assignments"]] == ["팀 1", "팀 2", "팀 3"]
    assert [x["status"] for x in body["assignments"]] == ["submitted", "in_progress", "to_do"]
    assert body["assignments"][1]["scores"] == {str(idea.id): 2}
    assert body["progress"]["done"] == 1
    assert body["progress"]["total"] == 3
    assert body["judging_open"] is True


def test_queue_is_404_for_people_who_do_not_judge(setup, client, login):
    login(make_user())
    assert client.get(f"/api/v1/judging/{setup.event.slug}/queue").status_code == 404


def test_the_openapi_document_describes_both_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/judging/{slug}/queue"]
    put_op = spec["paths"]["/assignments/{assignment_id}/scores"]["put"]
    assert {"409", "422", "404"} <= set(put_op["responses"])
    assert "requestBody" in put_op


def test_signed_out_callers_get_401(setup, client):
    assert client.get(f"/api/v1/judging/{setup.event.slug}/queue").status_code == 401


def test_a_draft_event_hides_its_judging_from_judges(db, client, login):
    draft = build_setup(phase="draft")
    a = assign(draft, draft.judges[0], draft.teams[0])
    login(draft.judges[0])
    assert client.get(f"/api/v1/judging/{draft.event.slug}/queue").status_code == 404
    assert client.get(f"/events/{draft.event.slug}/judging").status_code == 404
    # The assignment itself is as hidden as the queue that lists it.
    assert client.get(f"/judging/assignments/{a.id}").status_code == 404


def test_a_removed_judge_can_no_longer_open_or_change_their_work(setup, client, login, db):
    from hackathon.judging.services.reassign import remove_judge

    idea, execution = setup.criteria
    judge = setup.judges[0]
    a = assign(setup, judge, setup.teams[0])
    login(judge)
    both = {str(idea.id): 6, str(execution.id): 4}
    done = put_scores(client, a.id, scores=both, submit=True, version=a.version).get_json()
    remove_judge(setup.event, judge.id, seed=1)
    db.session.commit()

    # Their submitted scores stay and count, but they can neither reopen nor rewrite them.
    late = put_scores(client, a.id, scores={str(idea.id): 1}, version=done["version"])
    assert late.status_code == 404
    form = {"action": "reopen", "version": str(done["version"])}
    assert client.form_post(f"/judging/assignments/{a.id}", form).status_code == 404
    for url in (
        f"/api/v1/judging/{setup.event.slug}/queue",
        f"/events/{setup.event.slug}/judging",
        f"/judging/assignments/{a.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert 'data-panel="judging"' not in client.get(f"/events/{setup.event.slug}").get_data(
        as_text=True
    )
    assert {r.value for r in submitted_scores(setup.event)} == {6, 4}
    db.session.expire_all()
    assert db.session.get(Assignment, a.id).status == "submitted"
