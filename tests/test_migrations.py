"""The migrations build the schema from empty, round-trip, and match the models
(on SQLite, and on PostgreSQL when DATABASE_URL points there)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.helpers import extra_app


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """A brand-new database of the kind the suite runs on."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    from config import database_url

    url = make_url(database_url(base))
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(db) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_run_from_empty_round_trip_and_match_the_models(
    app, instance_dir, empty_database
):
    from flask_migrate import check, downgrade, upgrade

    fresh = extra_app(instance_dir, SQLALCHEMY_DATABASE_URI=empty_database)
    with fresh as other, other.app_context():
        from hackathon.extensions import db

        assert _tables(db) == set()
        upgrade()
        models = {t.name for t in db.metadata.sorted_tables}
        assert _tables(db) == models
        check()  # exits non-zero if the models differ from the migrations

        # Data in the foundation's tables survives taking the later revisions off and on.
        db.session.execute(
            text(
                "INSERT INTO users (email, name, skills, is_admin, disabled,"
                " session_version, created_at)"
                " VALUES ('kept@example.test', '남음', '', false, false, 1,"
                " CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        downgrade(revision="0001_foundation")
        assert "users" in _tables(db)
        upgrade()
        kept = db.session.execute(text("SELECT name FROM users")).scalars().all()
        assert kept == ["남음"]
        db.session.commit()

        downgrade(revision="base")
        assert _tables(db) == set()
        upgrade()
        assert _tables(db) == models
        check()
