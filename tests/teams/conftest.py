"""Helpers for the team tests: people in roles, and posting forms the way a page does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hackathon.audit import AuditEntry
from hackathon.extensions import db


def post(client, url: str, data: dict | None = None, back: str | None = None):
    """Submit a form from the page `back` (sent as the Referer, as a browser does)."""
    return client.form_post(url, data or {}, headers={"Referer": f"http://localhost{back or url}"})


def landing(client, response) -> str:
    """The page a browser lands on after a redirect, as text."""
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def audit_actions(event) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
        )
    )


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make


@pytest.fixture(scope="session", autouse=True)
def _close_pooled_connections(_migrated_app):
    """Close the pool's connections when the session ends (the race tests open several), so
    none is left for the garbage collector to find open."""
    yield
    with _migrated_app.app_context():
        db.engine.dispose()
