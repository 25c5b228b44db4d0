"""The pitch-day scheduler: hand-made cases and properties over random days."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hackathon.judging.logic.assign import Judge, Shortfall, TeamSlot, is_connected
from hackathon.judging.logic.schedule import (
    Infeasible,
    NoPanelFits,
    Settings,
    Timetable,
    TooFewJudgesForRooms,
    check,
    plan,
)
from tests.unit.test_assign import forbidden

START = datetime(2026, 3, 14, 1, 0, tzinfo=UTC)


def day(**kwargs) -> Settings:
    values = {"rooms": 3, "k": 3, "start": START, "slot_minutes": 10, "seed": 7}
    return Settings(**{**values, **kwargs})


def teams_of(n: int, **fields) -> list[TeamSlot]:
    return [TeamSlot(i, **fields) for i in range(1, n + 1)]


def judges_of(n: int) -> list[Judge]:
    return [Judge(100 + i) for i in range(n)]


def assert_sound(table: Timetable, teams, judges, shape: Settings, conflicts=()) -> None:
    """Once per team, K judges each from the event's judges, none in conflict, nobody in two
    places at once, rooms never double-booked, times as the settings say."""
    assert Counter(s.team_id for s in table.slots) == Counter(t.id for t in teams)
    banned = forbidden(teams, judges, conflicts)
    known = {j.id for j in judges}
    for slot in table.slots:
        assert len(set(slot.judge_ids)) == len(slot.judge_ids) == shape.k
        assert set(slot.judge_ids) <= known
        assert not {(j, slot.team_id) for j in slot.judge_ids} & banned
        assert 0 <= slot.room < shape.rooms
        assert slot.ends_at - slot.starts_at == timedelta(minutes=shape.slot_minutes)
        assert slot.starts_at >= shape.start
    for a, b in itertools.combinations(table.slots, 2):
        overlap = a.starts_at < b.ends_at and b.starts_at < a.ends_at
        if overlap:
            assert a.room != b.room, (a, b)
            assert not set(a.judge_ids) & set(b.judge_ids), (a, b)
    # A judge's queue is their teams in pitch order.
    for judge_id, queue in table.queues.items():
        mine = [s for s in table.slots if judge_id in s.judge_ids]
        assert queue == [s.team_id for s in sorted(mine, key=lambda s: s.starts_at)]
    assert table.connected == is_connected(table.pairs)


@st.composite
def days(draw):
    n_teams = draw(st.integers(0, 18))
    n_judges = draw(st.integers(1, 14))
    companies = st.one_of(st.none(), st.integers(1, 3))
    teams = [TeamSlot(i, draw(companies)) for i in range(1, n_teams + 1)]
    judges = [Judge(100 + i, draw(companies)) for i in range(n_judges)]
    pairs = [(j.id, t.id) for j in judges for t in teams]
    conflicts = draw(st.lists(st.sampled_from(pairs), max_size=8)) if pairs else []
    shape = Settings(
        rooms=draw(st.integers(1, 4)),
        k=draw(st.integers(1, 4)),
        start=START + timedelta(minutes=draw(st.integers(0, 600))),
        slot_minutes=draw(st.integers(1, 20)),
        break_every=draw(st.integers(0, 4)),
        break_minutes=draw(st.integers(0, 15)),
        rotate_every=draw(st.one_of(st.none(), st.integers(1, 4))),
        seed=draw(st.integers(0, 2**31)),
    )
    return teams, judges, conflicts, shape


@settings(max_examples=250, deadline=None)
@given(days())
def test_a_schedule_is_sound_or_explained(case):
    teams, judges, conflicts, shape = case
    reasons = check(teams, judges, shape, conflicts)
    if reasons:
        with pytest.raises(Infeasible) as raised:
            plan(teams, judges, shape, conflicts)
        assert raised.value.reasons == reasons
        assert str(raised.value)
        return
    try:
        table = plan(teams, judges, shape, conflicts)
    except Infeasible as error:
        failed = error  # only conflicts can leave a team without a panel; it is named
    else:
        assert_sound(table, teams, judges, shape, conflicts)
        return
    assert all(isinstance(r, NoPanelFits) and r.team_ids for r in failed.reasons)
    assert conflicts or any(t.company_id for t in teams)


@settings(max_examples=150, deadline=None)
@given(
    n_rooms=st.integers(1, 4),
    k=st.integers(2, 4),
    spare=st.integers(0, 5),
    extra_rows=st.integers(0, 5),
    partial=st.integers(0, 3),
    break_every=st.integers(0, 4),
    seed=st.integers(0, 2**31),
)
def test_rotation_keeps_the_judge_team_graph_in_one_piece(
    n_rooms, k, spare, extra_rows, partial, break_every, seed
):
    """With two full rows or more and no conflicts, every judge who sits shares teams,
    through their colleagues, with every other: one connected graph."""
    n_teams = n_rooms * (2 + extra_rows) + min(partial, n_rooms - 1)
    teams, judges = teams_of(n_teams), judges_of(n_rooms * k + spare)
    shape = day(rooms=n_rooms, k=k, break_every=break_every, seed=seed)
    table = plan(teams, judges, shape)
    assert_sound(table, teams, judges, shape)
    assert table.connected
    assert is_connected(table.pairs)


def test_panels_rotate_between_blocks_and_mix_rooms():
    teams, judges = teams_of(18), judges_of(9)
    table = plan(teams, judges, day(break_every=2, break_minutes=15))
    assert table.rotate_every == 2
    by_block = {}
    for panel in table.panels:
        by_block.setdefault(panel.block, []).append(set(panel.judge_ids))
    assert len(by_block) == 3
    for before, after in itertools.pairwise(by_block.values()):
        assert before != after  # the panels change
        # some panel after the turn holds judges from two panels before it
        assert any(sum(bool(p & q) for p in before) >= 2 for q in after)


def test_breaks_come_after_every_k_slots():
    table = plan(teams_of(9), judges_of(9), day(break_every=2, break_minutes=15))
    starts = sorted({s.starts_at for s in table.slots})
    gaps = [(b - a).total_seconds() / 60 for a, b in itertools.pairwise(starts)]
    assert gaps == [10, 25]


def test_the_day_is_as_short_as_it_can_be_and_its_gaps_are_at_the_end():
    table = plan(teams_of(10), judges_of(9), day())
    rows = Counter(s.starts_at for s in table.slots)
    assert len(rows) == 4
    assert [rows[t] for t in sorted(rows)] == [3, 3, 3, 1]


def test_the_order_of_teams_is_random_per_seed_and_fixed_by_it():
    teams, judges = teams_of(12), judges_of(9)
    orders = {tuple(s.team_id for s in plan(teams, judges, day(seed=s)).slots) for s in range(8)}
    assert len(orders) > 4
    again = plan(teams, judges, day(seed=3))
    assert again == plan(teams, judges, day(seed=3))


def test_too_few_judges_for_the_rooms_is_explained():
    with pytest.raises(Infeasible) as raised:
        plan(teams_of(6), judges_of(8), day())
    assert raised.value.reasons == [TooFewJudgesForRooms(judges=8, rooms=3, k=3)]


def test_a_team_with_too_few_judges_free_of_conflict_is_named():
    teams = [*teams_of(5), TeamSlot(6, company_id=1)]
    judges = [*judges_of(7), Judge(200, company_id=1), Judge(201, company_id=1)]
    with pytest.raises(Infeasible) as raised:
        plan(teams, judges, day(rooms=2, k=8))
    assert Shortfall(6, 7, 8) in raised.value.reasons


def test_conflicts_are_worked_around_by_the_rotation():
    teams, judges = teams_of(9), judges_of(9)
    # Team 1 may be judged only by judges 100, 101, 102: they must form its panel.
    conflicts = [(j.id, 1) for j in judges[3:]]
    table = plan(teams, judges, day(rooms=3, k=3), conflicts)
    assert_sound(table, teams, judges, day(rooms=3, k=3), conflicts)
    slot = next(s for s in table.slots if s.team_id == 1)
    assert slot.judge_ids == (100, 101, 102)


def test_no_teams_no_slots():
    table = plan([], judges_of(3), day())
    assert table.slots == []
    assert table.connected


@given(st.integers(-3, 0))
def test_settings_refuse_nonsense(value):
    assume(value < 1)
    with pytest.raises(ValueError, match="at least 1"):
        day(rooms=value)
