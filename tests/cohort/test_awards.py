"""Individual awards: organizers give, edit and remove them, with the person's record beside
the form; nobody else may; every change is in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_team
from tests.helpers import landing, post


def _awards(db):
    from hackathon.cohort.models import IndividualAward

    db.session.expire_all()
    return list(db.session.scalars(select(IndividualAward).order_by(IndividualAward.id)))


def _audit(db, prefix="individual_award."):
    from hackathon.audit import AuditEntry

    db.session.expire_all()
    return [
        a.action
        for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        if a.action.startswith(prefix)
    ]


def test_an_organizer_gives_an_award_with_a_citation(client, login, db, cohort):
    login(cohort.organizer)
    person = cohort.trainees[0]
    url = "/programs/cohort-x/awards"
    response = post(
        client,
        url,
        {
            "user_id": person.id,
            "name": "우수교육생상",
            "name_en": "Excellent Trainee Award",
            "citation": "두 번의 해커톤에서 팀을 이끌었다.",
        },
    )
    page = landing(client, response)
    assert "우수교육생상" in page
    assert "두 번의 해커톤에서 팀을 이끌었다." in page
    [award] = _awards(db)
    assert (award.user_id, award.program_id, award.created_by) == (
        person.id,
        cohort.program.id,
        cohort.organizer.id,
    )
    assert _audit(db) == ["individual_award.create"]


def test_the_record_is_shown_beside_the_form(client, login, db, cohort):
    person = cohort.trainees[0]
    make_team(cohort.events[0], "번개팀", members=[person])
    login(cohort.organizer)
    page = client.get(f"/programs/cohort-x/awards?user={person.id}").get_data(as_text=True)
    assert "data-evidence" in page
    assert "번개팀" in page
    assert cohort.events[0].name in page
    # The other trainee was in no team: their box says so.
    other = client.get(f"/programs/cohort-x/awards?user={cohort.trainees[1].id}")
    assert "번개팀" not in other.get_data(as_text=True)


def test_the_record_shows_the_rank_only_from_published_results(app, db, cohort):
    from hackathon.cohort.services.evidence import evidence
    from hackathon.leaderboard.models import BoardState
    from hackathon.leaderboard.services import board

    person = cohort.trainees[0]
    team = make_team(cohort.events[0], "번개팀", members=[person])
    assert evidence(cohort.program, person)[0]["rank"] is None
    award = board.create_award(cohort.events[0], name="대상", team_id=team.id)
    board.set_state(cohort.events[0], BoardState.PUBLISHED)
    db.session.commit()
    [item] = evidence(cohort.program, person)
    assert item["team"]["name"] == "번개팀"
    assert [a["name"] for a in item["awards"]] == [award.name]
    assert item["ranked"] == 0  # nobody was scored: published, but no team ranked


@pytest.mark.parametrize("who", ["trainee", "rep", "outsider"])
def test_only_organizers_may_give_see_or_remove_awards(client, login, db, cohort, who):
    from hackathon.cohort.services import awards

    award = awards.give_award(cohort.program, cohort.trainees[0].id, name="우수교육생상")
    db.session.commit()
    person = {"trainee": cohort.trainees[1], "rep": cohort.reps[0], "outsider": cohort.outsider}
    login(person[who])
    base = "/programs/cohort-x/awards"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{award.id}").status_code == 404
    give = client.form_post(base, {"user_id": person[who].id, "name": "셀프 시상"})
    assert give.status_code == 404
    edit = client.form_post(f"{base}/{award.id}", {"name": "바뀐 이름"})
    assert edit.status_code == 404
    assert client.form_post(f"{base}/{award.id}/delete").status_code == 404
    assert [(a.name, a.user_id) for a in _awards(db)] == [("우수교육생상", cohort.trainees[0].id)]


def test_signed_out_visitors_are_sent_to_sign_in(client, cohort):
    response = client.get("/programs/cohort-x/awards")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_bad_input_is_refused_and_nothing_written(client, login, db, cohort):
    login(cohort.organizer)
    url = "/programs/cohort-x/awards"
    no_name = post(client, url, {"user_id": cohort.trainees[0].id, "name": ""})
    assert no_name.status_code == 200
    assert "field-error" in no_name.get_data(as_text=True)
    stranger = post(client, url, {"user_id": cohort.outsider.id, "name": "우수교육생상"})
    assert "이 과정의 교육생을 선택하세요." in stranger.get_data(as_text=True)
    too_long = post(
        client, url, {"user_id": cohort.trainees[0].id, "name": "상", "citation": "가" * 2001}
    )
    assert "field-error" in too_long.get_data(as_text=True)
    assert _awards(db) == []


def test_an_organizer_edits_and_removes_an_award(client, login, db, cohort):
    from hackathon.cohort.services import awards

    award = awards.give_award(cohort.program, cohort.trainees[0].id, name="협업상")
    db.session.commit()
    login(cohort.organizer)
    url = f"/programs/cohort-x/awards/{award.id}"
    form = client.get(url).get_data(as_text=True)
    assert "협업상" in form
    assert "data-evidence" in form
    landing(client, post(client, url, {"name": "리더십상", "citation": "팀을 이끌었다."}))
    [saved] = _awards(db)
    assert (saved.name, saved.citation, saved.user_id) == (
        "리더십상",
        "팀을 이끌었다.",
        cohort.trainees[0].id,
    )
    page = landing(client, post(client, f"{url}/delete", back="/programs/cohort-x/awards"))
    assert "리더십상" not in page
    assert _awards(db) == []
    assert _audit(db) == [
        "individual_award.create",
        "individual_award.update",
        "individual_award.delete",
    ]


def test_awards_by_person_gives_each_persons_awards_in_order(app, db, cohort):
    from hackathon.cohort.services import awards

    first, second = cohort.trainees[:2]
    a = awards.give_award(cohort.program, first.id, name="우수교육생상", citation="성실")
    b = awards.give_award(cohort.program, first.id, name="협업상", name_en="Teamwork")
    c = awards.give_award(cohort.program, second.id, name="리더십상")
    db.session.commit()
    found = awards.awards_by_person(cohort.program)
    assert [x["id"] for x in found[first.id]] == [a.id, b.id]
    assert found[first.id][1]["name_en"] == "Teamwork"
    assert found[first.id][0]["citation"] == "성실"
    assert set(found[first.id][0]) == {"id", "name", "name_en", "citation", "created_at"}
    assert awards.awards_by_person(cohort.program, [second.id]) == {
        second.id: [
            {
                "id": c.id,
                "name": "리더십상",
                "name_en": None,
                "citation": "",
                "created_at": c.created_at,
            }
        ]
    }
    assert awards.awards_by_person(cohort.program, []) == {}
