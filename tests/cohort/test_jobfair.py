"""The job fair: trainees opt in and rank companies; reps rank opted-in trainees for their
own company only; organizers match, review, adjust and confirm; the placements export."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tests.helpers import landing, post


def _choices(db, user):
    from hackathon.cohort.models import FairChoice

    db.session.expire_all()
    return list(
        db.session.scalars(
            select(FairChoice.company_id)
            .where(FairChoice.user_id == user.id)
            .order_by(FairChoice.rank)
        )
    )


def _ranking(db, company):
    from hackathon.cohort.models import FairRanking

    db.session.expire_all()
    return list(
        db.session.scalars(
            select(FairRanking.user_id)
            .where(FairRanking.company_id == company.id)
            .order_by(FairRanking.rank)
        )
    )


def _opt_in(db, cohort, fair, *trainees):
    from hackathon.cohort.services import jobfair

    for trainee in trainees:
        jobfair.opt_in(fair, cohort.program, trainee)
    db.session.commit()


def test_a_trainee_cannot_rank_companies_before_opting_in(client, login, db, cohort, open_fair):
    trainee = cohort.trainees[0]
    a, b = cohort.companies
    login(trainee)
    page = client.get("/programs/cohort-x/jobfair").get_data(as_text=True)
    assert 'data-opted="no"' in page
    refused = landing(
        client,
        post(
            client,
            "/programs/cohort-x/jobfair/choices",
            {"choice_1": b.id},
            back="/programs/cohort-x/jobfair",
        ),
    )
    assert "먼저 채용 박람회에 참가 신청해야" in refused
    assert _choices(db, trainee) == []

    landing(client, post(client, "/programs/cohort-x/jobfair/participation", {"action": "in"}))
    landing(
        client,
        post(client, "/programs/cohort-x/jobfair/choices", {"choice_1": b.id, "choice_2": a.id}),
    )
    assert _choices(db, trainee) == [b.id, a.id]
    # Opting out takes the ranking with it.
    landing(client, post(client, "/programs/cohort-x/jobfair/participation", {"action": "out"}))
    assert _choices(db, trainee) == []


def test_a_trainee_ranks_each_company_once_and_only_the_fairs(app, db, cohort, open_fair):
    from hackathon.cohort.rules import BadRanking
    from hackathon.cohort.services import jobfair
    from tests.factories import make_company

    trainee = cohort.trainees[0]
    a, _b = cohort.companies
    _opt_in(db, cohort, open_fair, trainee)
    with pytest.raises(BadRanking):
        jobfair.set_choices(open_fair, trainee, [a.id, a.id])
    with pytest.raises(BadRanking):
        jobfair.set_choices(open_fair, trainee, [make_company("불참 기업").id])
    db.session.rollback()
    assert _choices(db, trainee) == []


def test_nothing_is_ranked_unless_the_fair_is_open(app, db, cohort, open_fair):
    from hackathon.cohort.models import FairState
    from hackathon.cohort.rules import FairNotOpen
    from hackathon.cohort.services import jobfair

    trainee = cohort.trainees[0]
    _opt_in(db, cohort, open_fair, trainee)
    jobfair.set_state(open_fair, FairState.CLOSED)
    db.session.commit()
    with pytest.raises(FairNotOpen):
        jobfair.set_choices(open_fair, trainee, [cohort.companies[0].id])
    with pytest.raises(FairNotOpen):
        jobfair.set_company_ranking(
            open_fair, cohort.program, cohort.companies[0].id, cohort.reps[0], [trainee.id]
        )


def test_a_draft_fair_is_the_organizers_alone(client, login, db, cohort):
    from hackathon.cohort.services import jobfair

    jobfair.ensure_fair(cohort.program)
    db.session.commit()
    login(cohort.trainees[0])
    assert client.get("/programs/cohort-x/jobfair").status_code == 404
    login(cohort.organizer)
    assert client.get("/programs/cohort-x/jobfair").status_code == 200


def test_a_rep_ranks_only_opted_in_trainees(client, login, db, cohort, open_fair):
    a, _b = cohort.companies
    inside, also, outside = cohort.trainees[:3]
    _opt_in(db, cohort, open_fair, inside, also)
    login(cohort.reps[0])
    url = f"/programs/cohort-x/jobfair/companies/{a.id}"
    page = client.get(url).get_data(as_text=True)
    assert inside.name in page
    assert also.name in page
    assert outside.name not in page
    assert f"/programs/cohort-x/people/{inside.id}" in page
    refused = landing(client, post(client, url, {f"rank_{outside.id}": "1"}))
    assert "목록에 있는 대상에게" in refused
    assert _ranking(db, a) == []
    landing(client, post(client, url, {f"rank_{also.id}": "1", f"rank_{inside.id}": "2"}))
    assert _ranking(db, a) == [also.id, inside.id]
    twice = landing(client, post(client, url, {f"rank_{also.id}": "1", f"rank_{inside.id}": "1"}))
    assert "한 교육생에게만" in twice
    assert _ranking(db, a) == [also.id, inside.id]


def test_a_rep_ranks_only_for_their_own_company(client, login, db, cohort, open_fair):
    from hackathon.cohort.rules import NotYourCompany
    from hackathon.cohort.services import jobfair

    _a, b = cohort.companies
    trainee = cohort.trainees[0]
    _opt_in(db, cohort, open_fair, trainee)
    login(cohort.reps[0])
    url = f"/programs/cohort-x/jobfair/companies/{b.id}"
    assert client.get(url).status_code == 404
    assert client.form_post(url, {f"rank_{trainee.id}": "1"}).status_code == 404
    with pytest.raises(NotYourCompany):
        jobfair.set_company_ranking(open_fair, cohort.program, b.id, cohort.reps[0], [trainee.id])
    assert _ranking(db, b) == []


def test_reps_of_another_program_see_nothing(client, login, db, cohort, open_fair):
    a, _b = cohort.companies
    trainee = cohort.trainees[0]
    _opt_in(db, cohort, open_fair, trainee)
    login(cohort.other_rep)  # represents the same company, in another program
    assert client.get("/programs/cohort-x/jobfair").status_code == 404
    url = f"/programs/cohort-x/jobfair/companies/{a.id}"
    assert client.get(url).status_code == 404
    assert client.form_post(url, {f"rank_{trainee.id}": "1"}).status_code == 404
    assert client.get("/programs/cohort-x/jobfair/matching").status_code == 404
    assert client.get("/programs/cohort-x/jobfair/placements.csv").status_code == 404
    assert _ranking(db, a) == []


@pytest.mark.parametrize("who", ["trainee", "rep", "outsider"])
def test_only_organizers_manage_and_match(client, login, db, cohort, open_fair, who):
    person = {"trainee": cohort.trainees[0], "rep": cohort.reps[0], "outsider": cohort.outsider}
    login(person[who])
    base = "/programs/cohort-x/jobfair"
    for path in ("/manage", "/matching", "/placements.csv"):
        assert client.get(base + path).status_code == 404
    assert client.form_post(f"{base}/manage/state", {"state": "closed"}).status_code == 404
    assert client.form_post(f"{base}/matching", {"action": "confirm"}).status_code == 404
    db.session.expire_all()
    assert str(open_fair.state) == "open"


def _fair_with_rankings(db, cohort, fair):
    """Trainees 1-4 in; company A (2 places) ranks 3, 1, 2; B (1 place) ranks 2, 4."""
    from hackathon.cohort.services import jobfair

    t1, t2, t3, t4 = cohort.trainees[:4]
    a, b = cohort.companies
    _opt_in(db, cohort, fair, t1, t2, t3, t4)
    jobfair.set_choices(fair, t1, [a.id, b.id])
    jobfair.set_choices(fair, t2, [a.id, b.id])
    jobfair.set_choices(fair, t3, [a.id])
    jobfair.set_choices(fair, t4, [a.id])  # A did not rank 4
    jobfair.set_company_ranking(fair, cohort.program, a.id, cohort.reps[0], [t3.id, t1.id, t2.id])
    jobfair.set_company_ranking(fair, cohort.program, b.id, cohort.reps[1], [t2.id, t4.id])
    db.session.commit()
    return t1, t2, t3, t4


def test_organizers_review_and_confirm_the_stable_matching(client, login, db, cohort, open_fair):
    from hackathon.cohort.models import FairPlacement

    t1, t2, t3, t4 = _fair_with_rankings(db, cohort, open_fair)
    a, b = cohort.companies
    login(cohort.organizer)
    page = client.get("/programs/cohort-x/jobfair/matching").get_data(as_text=True)
    assert f'data-trainee="{t3.id}" data-company="{a.id}"' in page
    assert f'data-trainee="{t1.id}" data-company="{a.id}"' in page
    assert f'data-trainee="{t2.id}" data-company="{b.id}"' in page  # A was full of better ones
    assert f'data-trainee="{t4.id}" data-company=""' in page
    assert 'data-reason="not_ranked"' in page
    assert 'data-rank="1"' in page
    assert 'data-rank="2"' in page

    assignment = {f"company_{t.id}": a.id for t in (t1, t3)} | {
        f"company_{t2.id}": b.id,
        f"company_{t4.id}": "",
    }
    # Confirming needs the rankings closed first.
    refused = post(
        client, "/programs/cohort-x/jobfair/matching", {**assignment, "action": "confirm"}
    )
    assert "data-problem" in refused.get_data(as_text=True)
    assert db.session.scalars(select(FairPlacement)).all() == []

    landing(client, post(client, "/programs/cohort-x/jobfair/manage/state", {"state": "closed"}))
    # Three on A, which has two places: refused, nothing written.
    over = post(
        client,
        "/programs/cohort-x/jobfair/matching",
        {**assignment, f"company_{t2.id}": a.id, "action": "confirm"},
    )
    assert "면접 자리보다 교육생이 많습니다" in over.get_data(as_text=True)
    assert db.session.scalars(select(FairPlacement)).all() == []

    done = post(client, "/programs/cohort-x/jobfair/matching", {**assignment, "action": "confirm"})
    landing(client, done)
    db.session.expire_all()
    placed = {
        p.user_id: (p.company_id, p.choice) for p in db.session.scalars(select(FairPlacement))
    }
    assert placed == {t1.id: (a.id, 1), t3.id: (a.id, 1), t2.id: (b.id, 2)}
    assert str(open_fair.state) == "confirmed"

    csv_text = client.get("/programs/cohort-x/jobfair/placements.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert list(rows[0]) == ["email", "name", "company", "choice", "company_rank"]
    by_email = {r["email"]: r for r in rows}
    assert by_email[t2.email]["company"] == b.name
    assert by_email[t2.email]["choice"] == "2"
    assert by_email[t2.email]["company_rank"] == "1"
    assert by_email[t4.email]["company"] == ""
    assert len(rows) == 4

    # Reopening takes the placements back.
    landing(client, post(client, "/programs/cohort-x/jobfair/manage/state", {"state": "closed"}))
    assert db.session.scalars(select(FairPlacement)).all() == []


def test_the_cli_exports_the_same_placements(app, db, cohort, open_fair, tmp_path):
    from hackathon.cohort.models import FairState
    from hackathon.cohort.services import jobfair, placements

    _t1, _t2, _t3, _t4 = _fair_with_rankings(db, cohort, open_fair)
    jobfair.set_state(open_fair, FairState.CLOSED)
    plan = placements.propose(open_fair)
    placements.confirm(open_fair, {row.user.id: row.company_id for row in plan.rows})
    db.session.commit()
    out = tmp_path / "placements.csv"
    result = app.test_cli_runner().invoke(
        args=["programs", "export", "cohort-x", "placements", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == placements.COLUMNS
    got = {r["email"]: r["company"] for r in rows}
    names = {c.id: c.name for c in cohort.companies}
    expected = {row.user.email: names.get(row.company_id, "") for row in plan.rows}
    assert got == expected
    unknown = app.test_cli_runner().invoke(args=["programs", "export", "cohort-x", "nope", "-"])
    assert unknown.exit_code != 0
    assert "placements" in unknown.output
    missing = app.test_cli_runner().invoke(
        args=["programs", "export", "no-such", "placements", "-"]
    )
    assert missing.exit_code != 0


def test_a_company_leaving_takes_its_choices_and_ranking(app, db, cohort, open_fair):
    from hackathon.cohort.services import jobfair

    t1, *_ = _fair_with_rankings(db, cohort, open_fair)
    a, b = cohort.companies
    jobfair.remove_company(open_fair, a.id)
    db.session.commit()
    assert _choices(db, t1) == [b.id]
    assert _ranking(db, a) == []
