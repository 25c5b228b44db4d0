"""After publication: a team's feedback page, the gallery, the event panel, the report."""

from __future__ import annotations

from hackathon.extensions import db
from hackathon.leaderboard.services import board as services

RESULTS = "/events/hack/results"
GALLERY = "/events/hack/gallery"


def test_team_results_only_after_publication(client, scored, login, set_state, awards):
    login(scored.member)
    assert client.get(RESULTS).status_code == 404
    set_state("frozen")
    assert client.get(RESULTS).status_code == 404
    set_state("published")
    page = client.get(RESULTS, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-rank="1"' in text
    assert "Excellence award" in text
    for j in range(3):
        assert f"A 팀에 대한 의견 {j}" in text
        assert f"심사위원 {j}" not in text
        assert f"judge{j}@example.test" not in text
    assert "B 팀에 대한 의견" not in text
    assert "<svg" in text


def test_people_outside_a_team_get_nothing(client, scored, login, set_state):
    set_state("published")
    assert client.get(RESULTS).status_code == 302  # sign in first
    login(scored.judges[0])
    assert client.get(RESULTS).status_code == 404
    assert client.get(f"{RESULTS}?team={scored.teams['A'].id}").status_code == 404


def test_organizers_preview_any_team_any_time(organizer_client, scored):
    page = organizer_client.get(f"{RESULTS}?team={scored.teams['B'].id}")
    assert page.status_code == 200
    assert "lb-preview" in page.get_data(as_text=True)
    assert organizer_client.get(f"{RESULTS}?team=99999").status_code == 404


def test_gallery_is_public_once_published(client, organizer_client, scored, set_state, awards):
    assert client.get(GALLERY).status_code == 404
    set_state("live")
    assert client.get(GALLERY).status_code == 404
    assert organizer_client.get(GALLERY).status_code == 200
    set_state("published")
    page = client.get(GALLERY).get_data(as_text=True)
    titles = [f"프로젝트 {n}" for n in "CABDE"]
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions)  # award winners first, in award order
    assert "C 요약" in page
    assert "대상" in page


def test_event_panel_links_follow_the_state(client, organizer_client, scored, set_state):
    page = client.get("/events/hack").get_data(as_text=True)
    assert 'data-panel="leaderboard"' not in page
    assert "/events/hack/leaderboard/manage" in organizer_client.get("/events/hack").get_data(
        as_text=True
    )
    set_state("live")
    page = client.get("/events/hack").get_data(as_text=True)
    assert "/events/hack/leaderboard" in page
    assert "/events/hack/gallery" not in page
    set_state("published")
    page = client.get("/events/hack").get_data(as_text=True)
    assert "/events/hack/gallery" in page


def test_public_page_in_both_languages_and_on_a_projector(client, scored, set_state):
    set_state("live")
    ko = client.get("/events/hack/leaderboard", headers={"Accept-Language": "ko"})
    en = client.get("/events/hack/leaderboard?projector=1", headers={"Accept-Language": "en"})
    assert ko.status_code == en.status_code == 200
    assert "금융" in ko.get_data(as_text=True)
    english = en.get_data(as_text=True)
    assert "Finance" in english
    assert "Idea" in english
    assert "lb-projector" in english
    assert "js/leaderboard.js" in english
    finance = scored.tracks[0].id
    track = client.get(f"/events/hack/leaderboard?track={finance}").get_data(as_text=True)
    assert 'data-team="3"' not in track


def test_cohort_report_for_organizers(client, organizer_client, scored, set_state, awards, login):
    from hackathon.events.services import create_program

    program = create_program("cohort", "1기", "Cohort 1")
    scored.event.program_id = program.id
    db.session.commit()
    set_state("published")
    response = organizer_client.get("/programs/cohort/report")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.count("<svg") >= 3
    assert "대상" in text
    assert 'data-event="hack"' in text
    program_page = organizer_client.get("/programs/cohort").get_data(as_text=True)
    assert "/programs/cohort/report" in program_page
    assert "/programs/cohort/report" not in client.get("/programs/cohort").get_data(as_text=True)
    assert client.get("/programs/cohort/report").status_code == 302
    login(scored.member)
    assert client.get("/programs/cohort/report").status_code == 404


def test_report_counts(scored, awards):
    from hackathon.leaderboard.services.report import event_report

    report = event_report(scored.event)
    assert (report.teams, report.in_teams, report.submissions) == (5, 1, 5)
    assert (report.judged, report.assignments) == (12, 12)
    assert len(report.raw_scores) == 4
    assert report.source == "current"
    assert [a["name"] for a in report.awards] == ["대상", "우수상"]


def test_gallery_summaries_are_markdown_rendered_safely(client, scored, set_state, db):
    from hackathon.submissions.models import Submission

    sub = db.session.query(Submission).filter_by(team_id=scored.teams["A"].id).one()
    sub.summary = "**굵게** <script>alert(1)</script> [링크](javascript:alert(1))"
    db.session.commit()
    set_state("published")
    page = client.get(GALLERY).get_data(as_text=True)
    assert "<strong>굵게</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page


def test_organizer_changes_the_state_from_the_event_page(db, organizer_client, scored):
    page = organizer_client.get("/events/hack").get_data(as_text=True)
    assert 'data-state-action="live"' in page
    response = organizer_client.form_post(
        "/events/hack/leaderboard/state", {"state": "live", "next": "/events/hack"}
    )
    assert response.headers["Location"] == "/events/hack"
    assert services.get_board(scored.event.id).state == "live"
    response = organizer_client.form_post(
        "/events/hack/leaderboard/state", {"state": "frozen", "next": "https://evil.test/"}
    )
    assert response.headers["Location"] == "/events/hack/leaderboard/manage"


def test_report_shows_unpublished_scores_only_to_that_events_organizers(
    client, scored, login, set_state, awards
):
    """An organizer of another event of the program sees the counts of this one, but not
    its scores, top teams or awards until they are published."""
    from hackathon.events.services import create_program
    from tests.factories import grant, make_event, make_user

    program = create_program("cohort", "1기", "Cohort 1")
    other = make_event("other", phase="judging")
    scored.event.program_id = other.program_id = program.id
    db.session.commit()
    neighbour = make_user("neighbour@example.test", "이웃 운영자")
    grant(other, neighbour, "organizer")
    login(neighbour)
    set_state("live")
    page = client.get("/programs/cohort/report", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-event="hack"' in text
    assert "<td>A</td>" not in text  # the top teams
    assert "우수상" not in text  # the awards
    assert "The leaderboard is not public at the moment." in text
    set_state("published")
    text = client.get("/programs/cohort/report").get_data(as_text=True)
    assert "<td>A</td>" in text
    assert "우수상" in text


def test_telling_whether_results_are_out_reads_no_snapshot(scored, set_state):
    """The team page and the gallery ask on every view; a 2,000-team snapshot is large."""
    from sqlalchemy import event

    from hackathon.leaderboard.services.results import results_published

    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    assert results_published(scored.event.id) is False
    set_state("published")
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert results_published(scored.event.id) is True
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "leaderboard_snapshots" in s]
