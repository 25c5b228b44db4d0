"""The board's changing part as the open page fetches it: the page's own markup, the page's
visibility, and a 304 while nothing changed."""

from __future__ import annotations

import re

PAGE = "/events/hack/leaderboard"
FRAGMENT = "/events/hack/leaderboard/fragment"
BOARD = re.compile(r'<div class="lb-board" data-board.*?\n</div>', re.S)


def _board(html: str) -> str:
    found = BOARD.search(html)
    assert found, "no board in the page"
    return found.group(0)


def test_hidden_board_fragment_is_404_like_the_page(client, scored, more_scores):
    assert client.get(PAGE).status_code == 404
    assert client.get(FRAGMENT).status_code == 404
    more_scores(10)
    assert client.get(FRAGMENT).status_code == 404


def test_the_fragment_is_the_pages_board(client, scored, set_state):
    set_state("live")
    page = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    fragment = client.get(FRAGMENT, headers={"Accept-Language": "en"})
    assert fragment.status_code == 200
    assert fragment.mimetype == "text/html"
    body = fragment.get_data(as_text=True)
    assert body.strip() == _board(page).strip()
    assert 'data-state="live"' in body
    assert body.count("<tr data-team=") == 5
    assert "<html" not in body  # a part of a page, not a page


def test_etag_and_304_and_the_page_starts_with_the_same_tag(client, scored, set_state):
    set_state("live")
    page = client.get(PAGE).get_data(as_text=True)
    held = re.search(r'data-etag="([^"]+)"', page).group(1).replace("&#34;", '"')
    first = client.get(FRAGMENT)
    assert first.headers["ETag"] == held  # the page's first poll is already a 304
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(FRAGMENT, headers={"If-None-Match": held})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_a_new_score_changes_the_tag_and_the_rows(client, scored, set_state, more_scores):
    set_state("live")
    first = client.get(FRAGMENT)
    more_scores(2)
    second = client.get(FRAGMENT, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    team = scored.teams["E"].id
    assert f'<tr data-team="{team}" data-rank=""' in first.get_data(as_text=True)
    assert f'<tr data-team="{team}" data-rank=""' not in second.get_data(as_text=True)  # now ranked


def test_each_language_has_its_own_tag(client, scored, set_state):
    set_state("live")
    ko = client.get(FRAGMENT, headers={"Accept-Language": "ko"})
    en = client.get(FRAGMENT, headers={"Accept-Language": "en"})
    assert ko.headers["ETag"] != en.headers["ETag"]
    assert "Accept-Language" in en.headers["Vary"]
    assert "Rank" in en.get_data(as_text=True)
    assert "순위" in ko.get_data(as_text=True)
    crossed = client.get(
        FRAGMENT, headers={"Accept-Language": "en", "If-None-Match": ko.headers["ETag"]}
    )
    assert crossed.status_code == 200


def test_the_board_going_hidden_again_is_404(client, scored, set_state):
    set_state("live")
    tag = client.get(FRAGMENT).headers["ETag"]
    set_state("hidden")
    assert client.get(FRAGMENT, headers={"If-None-Match": tag}).status_code == 404


def test_organizers_preview_a_hidden_board(organizer_client, scored):
    response = organizer_client.get(FRAGMENT)
    assert response.status_code == 200
    assert 'data-state="hidden"' in response.get_data(as_text=True)


def test_track_and_published_awards(client, scored, set_state):
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services

    services.create_award(
        scored.event, name="대상", name_en="Grand prize", team_id=scored.teams["C"].id
    )
    db.session.commit()
    set_state("published")
    finance = scored.tracks[0].id
    body = client.get(f"{FRAGMENT}?track={finance}").get_data(as_text=True)
    assert f'data-team="{scored.teams["C"].id}"' not in body
    full = client.get(FRAGMENT).get_data(as_text=True)
    assert 'data-state="published"' in full
    assert "<li><strong>대상</strong> <span>C</span></li>" in full
