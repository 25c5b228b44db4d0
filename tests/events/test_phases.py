"""The phase of an event, derived from its timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hackathon.events.models import Event, Phase

T0 = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
DAY = timedelta(days=1)
FULL = {
    "registration_opens_at": T0,
    "team_formation_opens_at": T0 + 7 * DAY,
    "teams_lock_at": T0 + 14 * DAY,
    "submissions_open_at": T0 + 14 * DAY,
    "submissions_close_at": T0 + 21 * DAY,
    "judging_close_at": T0 + 28 * DAY,
}
SECOND = timedelta(seconds=1)


def event(grace: int = 0, **times) -> Event:
    return Event(slug="e", name="행사", grace_minutes=grace, **times)


@pytest.mark.parametrize(
    ("times", "grace", "now", "phase"),
    [
        # No timeline at all: a draft, whenever you look.
        ({}, 0, T0, Phase.DRAFT),
        ({}, 0, T0 + 365 * DAY, Phase.DRAFT),
        # The full timeline, just before and at each boundary (a boundary starts its phase).
        (FULL, 0, T0 - SECOND, Phase.DRAFT),
        (FULL, 0, T0, Phase.REGISTRATION),
        (FULL, 0, T0 + 7 * DAY - SECOND, Phase.REGISTRATION),
        (FULL, 0, T0 + 7 * DAY, Phase.TEAM_FORMATION),
        (FULL, 0, T0 + 14 * DAY - SECOND, Phase.TEAM_FORMATION),
        (FULL, 0, T0 + 14 * DAY, Phase.SUBMISSION),
        (FULL, 0, T0 + 21 * DAY - SECOND, Phase.SUBMISSION),
        (FULL, 0, T0 + 21 * DAY, Phase.JUDGING),
        (FULL, 0, T0 + 28 * DAY - SECOND, Phase.JUDGING),
        (FULL, 0, T0 + 28 * DAY, Phase.RESULTS),
        (FULL, 0, T0 + 400 * DAY, Phase.RESULTS),
        # The grace period extends submission, and judging starts after it.
        (FULL, 30, T0 + 21 * DAY + 29 * timedelta(minutes=1), Phase.SUBMISSION),
        (FULL, 30, T0 + 21 * DAY + 30 * timedelta(minutes=1), Phase.JUDGING),
        # A boundary that is not set yet lies in the future: the event waits there.
        ({"registration_opens_at": T0}, 0, T0 + 100 * DAY, Phase.REGISTRATION),
        (
            {"registration_opens_at": T0, "team_formation_opens_at": T0 + DAY},
            0,
            T0 + 100 * DAY,
            Phase.TEAM_FORMATION,
        ),
        (
            {k: v for k, v in FULL.items() if k != "judging_close_at"},
            0,
            T0 + 100 * DAY,
            Phase.JUDGING,
        ),
        # Without a registration date the event is a draft, whatever else is set.
        ({k: v for k, v in FULL.items() if k != "registration_opens_at"}, 0, T0 + 15 * DAY,
         Phase.DRAFT),
    ],
)  # fmt: skip
def test_phase_at(times, grace, now, phase):
    assert event(grace, **times).phase_at(now) == phase


@pytest.mark.parametrize(
    ("now", "grace", "is_open"),
    [
        (T0 + 14 * DAY - SECOND, 0, False),
        (T0 + 14 * DAY, 0, True),
        (T0 + 21 * DAY - SECOND, 0, True),
        (T0 + 21 * DAY, 0, False),
        (T0 + 21 * DAY, 10, True),
        (T0 + 21 * DAY + timedelta(minutes=10), 10, False),
    ],
)
def test_submissions_open_between_open_and_deadline_with_grace(now, grace, is_open):
    assert event(grace, **FULL).submissions_open(now) is is_open


def test_the_deadline_includes_the_grace_period():
    assert event(15, **FULL).submissions_deadline == FULL["submissions_close_at"] + timedelta(
        minutes=15
    )
    assert event(15).submissions_deadline is None


@pytest.mark.parametrize("phase", list(Phase))
def test_factories_and_the_labels_cover_every_phase(app, db, phase):
    from tests.factories import make_event

    made = make_event(phase=phase.value)
    assert made.phase == phase
    assert made.phase_label
