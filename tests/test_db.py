"""The database keeps its foreign keys on SQLite as on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hackathon.teams.models import JoinRequest, Team
from tests.factories import make_event, make_team, make_user


def test_deleting_a_team_removes_what_hangs_on_it(db):
    event = make_event()
    captain, asker = make_user(), make_user()
    team = make_team(event, "고래", members=[captain], captain=captain)
    db.session.add(JoinRequest(team_id=team.id, user_id=asker.id, message="", status="pending"))
    db.session.commit()

    db.session.execute(Team.__table__.delete().where(Team.id == team.id))
    db.session.commit()
    assert db.session.scalar(select(func.count(JoinRequest.id))) == 0


def test_a_row_pointing_nowhere_is_refused(db):
    db.session.add(JoinRequest(team_id=987654, user_id=987654, message="", status="pending"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
