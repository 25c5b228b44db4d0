"""The rubric editor: bilingual criteria, weights, scales, level descriptions and order; the
lock once scoring starts, and the recorded unlock."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.audit import AuditEntry
from hackathon.judging.models import Criterion
from tests.factories import grant, make_event, make_user
from tests.helpers import assign


def criteria(db, event):
    db.session.expire_all()
    return db.session.scalars(
        select(Criterion)
        .where(Criterion.event_id == event.id)
        .order_by(Criterion.position, Criterion.id)
    ).all()


def criterion_form(**values) -> dict:
    data = {
        "name": "창의성",
        "name_en": "Creativity",
        "description": "새로운가",
        "description_en": "Is it new",
        "weight": "1.5",
        "min_score": "1",
        "max_score": "10",
        "levels_ko": "1: 흔함\n10: 아무도 생각 못 함",
        "levels_en": "1: Common\n10: Unheard of",
    }
    data.update(values)
    return data


def test_organizer_adds_a_bilingual_criterion_with_levels(db, client, login):
    event = make_event(phase="submission")
    organizer = make_user()
    grant(event, organizer, "organizer")
    login(organizer)
    response = client.form_post(f"/events/{event.slug}/judging/rubric/new", criterion_form())
    assert response.status_code == 302
    [row] = criteria(db, event)
    assert (row.name, row.name_en, row.weight, row.min_score, row.max_score) == (
        "창의성",
        "Creativity",
        1.5,
        1,
        10,
    )
    assert row.levels == {
        "1": {"ko": "흔함", "en": "Common"},
        "10": {"ko": "아무도 생각 못 함", "en": "Unheard of"},
    }
    html = client.get(f"/events/{event.slug}/judging/rubric").get_data(as_text=True)
    assert "아무도 생각 못 함" in html
    edit = client.get(f"/events/{event.slug}/judging/rubric/{row.id}/edit").get_data(as_text=True)
    assert "10: 아무도 생각 못 함" in edit  # the levels come back as they were typed


def test_bad_criteria_are_refused_with_a_reason_and_nothing_saved(setup, client, login, db):
    login(setup.organizer)
    before = len(criteria(db, setup.event))
    url = f"/events/{setup.event.slug}/judging/rubric/new"
    for bad in (
        {"weight": "0"},
        {"weight": "-2"},
        {"weight": "NaN"},
        {"weight": "sNaN"},  # a signalling NaN once crashed the form's range check
        {"weight": "Infinity"},
        {"weight": "가"},
        {"min_score": "5", "max_score": "5"},
        {"min_score": "7", "max_score": "3"},
        {"name": "기획력"},  # taken by another criterion
        {"levels_ko": "12: 너무 높음"},  # outside 1..10
        {"levels_en": "great"},  # not "score: text"
    ):
        response = client.form_post(url, criterion_form(**bad))
        assert response.status_code == 200, bad  # the form again, with the message
        assert 'class="field-error"' in response.get_data(as_text=True), bad
    assert len(criteria(db, setup.event)) == before


def test_criteria_can_be_reordered_and_deleted(setup, client, login, db):
    idea, execution = setup.criteria
    login(setup.organizer)
    slug = setup.event.slug
    client.form_post(f"/events/{slug}/judging/rubric/{execution.id}/move", {"direction": "up"})
    assert [c.id for c in criteria(db, setup.event)] == [execution.id, idea.id]
    client.form_post(f"/events/{slug}/judging/rubric/{idea.id}/delete")
    assert [c.id for c in criteria(db, setup.event)] == [execution.id]


def test_the_first_score_locks_the_rubric_until_an_organizer_unlocks_it(
    setup, client, login, new_client, db
):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    judge = login(setup.judges[0], client=new_client())
    judge.api(
        "PUT",
        f"/api/v1/assignments/{a.id}/scores",
        json={"scores": {str(idea.id): 7}, "version": 1},
    )
    login(setup.organizer)
    slug = setup.event.slug
    page = client.get(f"/events/{slug}/judging/rubric").get_data(as_text=True)
    assert 'data-rubric-state="locked"' in page

    edited = client.form_post(
        f"/events/{slug}/judging/rubric/{execution.id}/edit",
        criterion_form(
            name="완성도", weight="5", min_score="1", max_score="5", levels_ko="", levels_en=""
        ),
    )
    assert edited.status_code == 302  # refused: back with a message
    assert criteria(db, setup.event)[1].weight == 1.0
    client.form_post(f"/events/{slug}/judging/rubric/new", criterion_form())
    assert len(criteria(db, setup.event)) == 2

    refused = client.form_post(f"/events/{slug}/judging/rubric/unlock", {"reason": ""})
    assert refused.status_code == 302
    assert 'data-rubric-state="locked"' in client.get(f"/events/{slug}/judging/rubric").get_data(
        as_text=True
    )
    client.form_post(f"/events/{slug}/judging/rubric/unlock", {"reason": "가중치 오타 수정"})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rubric.unlocked"))
    assert entry.actor_id == setup.organizer.id
    assert entry.details["reason"] == "가중치 오타 수정"

    client.form_post(
        f"/events/{slug}/judging/rubric/{execution.id}/edit",
        criterion_form(
            name="완성도", weight="5", min_score="1", max_score="5", levels_ko="", levels_en=""
        ),
    )
    assert criteria(db, setup.event)[1].weight == 5.0
    # Even unlocked, no score is stranded: the scale must hold a 7, and a scored criterion stays.
    narrowed = client.form_post(
        f"/events/{slug}/judging/rubric/{idea.id}/edit",
        criterion_form(name="기획력", min_score="1", max_score="5", levels_ko="", levels_en=""),
    )
    assert narrowed.status_code == 200
    assert criteria(db, setup.event)[0].max_score == 10
    client.form_post(f"/events/{slug}/judging/rubric/{idea.id}/delete")
    assert idea.id in [c.id for c in criteria(db, setup.event)]

    client.form_post(f"/events/{slug}/judging/rubric/lock")
    assert 'data-rubric-state="locked"' in client.get(f"/events/{slug}/judging/rubric").get_data(
        as_text=True
    )
