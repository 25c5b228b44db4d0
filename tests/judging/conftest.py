"""A judging-phase event with a rubric, judges, an organizer and teams with submissions."""

from __future__ import annotations

import pytest

from tests.helpers import Setup, build_setup


@pytest.fixture
def setup(db) -> Setup:
    return build_setup()
