"""The account links service: only a token's SHA-256 is stored, a link works once and for
its purpose only, and every way a link can fail fails alike."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from hackathon.accounts import services
from hackathon.accounts.models import AccountToken, TokenPurpose
from hackathon.accounts.services import links
from hackathon.db import utcnow
from hackathon.extensions import db
from tests.factories import make_user


def _row(token: str) -> AccountToken:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return db.session.scalar(select(AccountToken).where(AccountToken.token_hash == digest))


def test_only_the_sha256_of_a_token_is_stored(app):
    user = make_user()
    token = services.issue_link(user, TokenPurpose.VERIFY)
    db.session.commit()
    assert len(token) >= 43
    row = _row(token)
    assert row is not None
    assert row.user_id == user.id
    stored = db.session.execute(select(AccountToken.__table__)).one()
    assert token not in " ".join(str(value) for value in stored)


def test_a_link_is_used_once(app):
    user = make_user()
    token = services.issue_link(user, TokenPurpose.RESET)
    assert services.redeem(token, TokenPurpose.RESET).user_id == user.id
    assert _row(token).used_at is not None
    with pytest.raises(services.InvalidLink):
        services.redeem(token, TokenPurpose.RESET)


def test_two_redemptions_racing_let_one_through(app, monkeypatch):
    """The second passed the check before the first used the link: the conditional
    update still stops it."""
    token = services.issue_link(make_user(), TokenPurpose.VERIFY)
    services.redeem(token, TokenPurpose.VERIFY)
    db.session.commit()
    monkeypatch.setattr(links, "_usable", lambda link, now: True)
    with pytest.raises(services.InvalidLink):
        services.redeem(token, TokenPurpose.VERIFY)


@pytest.mark.parametrize("case", ["unknown", "purpose", "expired", "revoked", "disabled"])
def test_every_failure_is_the_same_error(app, case):
    user = make_user()
    token = services.issue_link(user, TokenPurpose.INVITE)
    purpose = TokenPurpose.INVITE
    if case == "unknown":
        token = token[::-1]
    elif case == "purpose":
        purpose = TokenPurpose.RESET
    elif case == "expired":
        _row(token).expires_at = utcnow() - timedelta(seconds=1)
    elif case == "revoked":
        services.issue_link(user, TokenPurpose.INVITE)
    elif case == "disabled":
        services.set_disabled(user, True)
    db.session.commit()
    with pytest.raises(services.InvalidLink) as find:
        services.find_link(token, purpose)
    with pytest.raises(services.InvalidLink) as use:
        services.redeem(token, purpose)
    assert str(find.value) == str(use.value) == str(services.InvalidLink.message)
    assert use.value.status == 410


def test_a_new_link_revokes_only_the_same_purpose(app):
    user = make_user()
    invite = services.issue_link(user, TokenPurpose.INVITE)
    old_reset = services.issue_link(user, TokenPurpose.RESET)
    new_reset = services.issue_link(user, TokenPurpose.RESET)
    db.session.commit()
    assert services.find_link(invite, TokenPurpose.INVITE)
    assert services.find_link(new_reset, TokenPurpose.RESET)
    assert _row(old_reset).revoked_at is not None
    with pytest.raises(services.InvalidLink):
        services.find_link(old_reset, TokenPurpose.RESET)


def test_each_purpose_lasts_its_configured_time(app, monkeypatch):
    for key, value in (
        ("INVITATION_DAYS", 2),
        ("PASSWORD_RESET_MINUTES", 30),
        ("VERIFY_EMAIL_DAYS", 1),
    ):
        monkeypatch.setitem(app.config, key, value)
    user = make_user()
    expected = {
        TokenPurpose.INVITE: timedelta(days=2),
        TokenPurpose.RESET: timedelta(minutes=30),
        TokenPurpose.VERIFY: timedelta(days=1),
    }
    for purpose, lifetime in expected.items():
        row = _row(services.issue_link(user, purpose))
        assert lifetime - timedelta(seconds=5) < row.expires_at - utcnow() <= lifetime
