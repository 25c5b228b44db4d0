"""The program report's people side: individual awards, participation per trainee, the
peer-review coverage and check-in completion, and the job fair's placements."""

from __future__ import annotations

from tests.factories import make_team


def test_the_report_shows_awards_participation_and_placements(client, login, db, cohort, open_fair):
    from hackathon.cohort.models import FairState
    from hackathon.cohort.services import awards, jobfair, placements

    first, second = cohort.trainees[:2]
    make_team(cohort.events[0], "번개팀", members=[first])
    awards.give_award(cohort.program, second.id, name="우수교육생상", citation="끝까지 성실했다.")
    jobfair.opt_in(open_fair, cohort.program, first)
    jobfair.set_choices(open_fair, first, [cohort.companies[1].id])
    jobfair.set_company_ranking(
        open_fair, cohort.program, cohort.companies[1].id, cohort.reps[1], [first.id]
    )
    db.session.commit()
    login(cohort.organizer)
    page = client.get("/programs/cohort-x/report").get_data(as_text=True)
    assert 'data-section="people"' in page
    assert "우수교육생상" in page
    assert "끝까지 성실했다." in page
    assert f'data-trainee="{first.id}"' in page
    no_event = page[page.index("data-no-event") :].split("</p>")[0]
    assert second.name in no_event
    assert first.name not in no_event
    assert page.count("제공되지 않음") == 2  # a team of one rates nobody; no milestones
    assert "아직 확정되지 않았습니다." in page

    jobfair.set_state(open_fair, FairState.CLOSED)
    plan = placements.propose(open_fair)
    placements.confirm(open_fair, {row.user.id: row.company_id for row in plan.rows})
    db.session.commit()
    page = client.get("/programs/cohort-x/report").get_data(as_text=True)
    table = page[page.index("data-placements") :].split("</table>")[0]
    assert cohort.companies[1].name in table
    assert first.name in table


def test_the_report_counts_peer_reviews_given_of_those_expected(client, login, db, cohort):
    from hackathon.cohort.services import peer

    first, second = cohort.trainees[:2]
    make_team(cohort.events[0], "둘팀", members=[first, second])
    peer.rate(cohort.events[0], first, second.id, 4)
    db.session.commit()
    login(cohort.organizer)
    page = client.get("/programs/cohort-x/report").get_data(as_text=True)
    row = page[page.index('data-row="peer"') :].split("</div>")[0]
    assert "1 / 2" in row  # each of the two members rates the other; one has


def test_the_people_side_is_the_organizers_alone(client, login, db, cohort):
    from hackathon.cohort.services import awards

    awards.give_award(cohort.program, cohort.trainees[0].id, name="우수교육생상")
    db.session.commit()
    login(cohort.trainees[0])
    assert client.get("/programs/cohort-x/report").status_code == 404


def test_the_section_reads_in_english(client, login, db, cohort):
    login(cohort.organizer)
    client.form_post("/lang/en")
    page = client.get("/programs/cohort-x/report").get_data(as_text=True)
    assert "Participation per trainee" in page
    assert "not available" in page
