"""A team's own page shows its awards once the results are published, not before."""

from __future__ import annotations


def test_the_team_page_shows_its_award_only_after_publication(
    client,
    login,
    scored,
    set_state,
    awards,
):
    team = scored.teams["A"]
    login(scored.member)
    url = f"/events/{scored.event.slug}/teams/{team.id}"
    english = {"Accept-Language": "en"}

    set_state("frozen")
    before = client.get(url, headers=english).get_data(as_text=True)
    assert team.name in before
    assert "Excellence award" not in before

    set_state("published")
    after = client.get(url, headers=english).get_data(as_text=True)
    assert "Excellence award" in after
    assert "Grand prize" not in after  # another team's award
