"""Pitch-day schedule: every team pitches once, in a room, before that room's panel.

Pure: plain data in, plain data out (see docs/judging.md, "Pitch-day schedule"). The
service turns the event's rows into `TeamSlot`, `Judge` and conflict pairs (the same types
as `assign.py`), and stores the `Timetable`.

The day is a grid: `rows` time slots (all rooms pitch at the same times, with a break
after every `break_every` slots) by `rooms` rooms, just enough rows for every team. Rows
are grouped into blocks of `rotate_every`; in each block each room has a panel of K judges,
and the panels of one block never share a judge, so nobody is in two rooms at once.

Rotation. The judges stand in a circle (a random order from the seed). Block b seats the
N·K judges from position b·d on: the first K in room 1, the next K in room 2, and so on.
The step d is not a multiple of K, so a panel of block b + 1 takes judges from two panels
of block b: the rooms mix, and the judge–team graph is one piece, which per-judge
normalisation needs (a judge's mean and spread are compared with judges they share teams
with). The step is also large enough that every judge sits at least once when the blocks
allow it.

Placement. Teams go to cells (row, room) by a minimum-cost assignment (Hungarian method,
scipy): a cell whose panel holds a judge in conflict with the team is forbidden, a cell in
the last row costs more (so the day's gaps come at its end), and random costs from the seed
make the order of teams random per panel and room. Several circles are tried when
conflicts block one; what cannot be met is explained before anything is placed.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from scipy.optimize import linear_sum_assignment

from hackathon.judging.logic.assign import (
    Judge,
    Pair,
    Shortfall,
    TeamSlot,
    TooFewJudges,
    _prepare,
    is_connected,
)

ATTEMPTS = 40
_FORBIDDEN = 1e9
_LATE = 1e4


@dataclass(frozen=True)
class TooFewJudgesForRooms:
    """The rooms pitch at the same time: N panels of K need N·K different judges."""

    judges: int
    rooms: int
    k: int

    def __str__(self) -> str:
        return f"{self.judges} judge(s) for {self.rooms} room(s) of {self.k}"


@dataclass(frozen=True)
class NoPanelFits:
    """Teams that no panel of any tried rotation could judge without a conflict."""

    team_ids: tuple[int, ...]

    def __str__(self) -> str:
        return f"no conflict-free panel for team(s) {', '.join(map(str, self.team_ids))}"


Reason = Shortfall | TooFewJudges | TooFewJudgesForRooms | NoPanelFits


class Infeasible(ValueError):
    """The schedule cannot be made as asked; `reasons` says why."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(map(str, self.reasons)))


@dataclass(frozen=True)
class Settings:
    """The day's shape. `break_every` 0: no breaks; `rotate_every` None: at the breaks,
    or in about three blocks when there are none."""

    rooms: int
    k: int
    start: datetime
    slot_minutes: int
    break_every: int = 0
    break_minutes: int = 0
    rotate_every: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.rooms < 1 or self.k < 1 or self.slot_minutes < 1:
            raise ValueError("rooms, k and slot_minutes must be at least 1")
        if self.break_every < 0 or self.break_minutes < 0:
            raise ValueError("break_every and break_minutes cannot be negative")
        if self.rotate_every is not None and self.rotate_every < 1:
            raise ValueError("rotate_every must be at least 1")


@dataclass(frozen=True)
class Slot:
    """One pitch: a team in a room (0-based) at a row (0-based) of the day, and its panel."""

    row: int
    room: int
    starts_at: datetime
    ends_at: datetime
    team_id: int
    judge_ids: tuple[int, ...]


@dataclass(frozen=True)
class Panel:
    """The judges of one room for one block of rows."""

    block: int
    room: int
    first_row: int
    last_row: int
    judge_ids: tuple[int, ...]


@dataclass(frozen=True)
class Timetable:
    """The slots in time order (then room), the panels, each judge's teams in pitch order,
    and whether the judge–team graph is one piece."""

    slots: list[Slot]
    panels: list[Panel]
    queues: dict[int, list[int]]
    rows: int
    rotate_every: int
    connected: bool

    @property
    def pairs(self) -> list[Pair]:
        return sorted((j, s.team_id) for s in self.slots for j in s.judge_ids)


def slot_times(settings: Settings, row: int) -> tuple[datetime, datetime]:
    """When a row starts and ends: slots back to back, a break after every `break_every`."""
    breaks = row // settings.break_every if settings.break_every else 0
    start = settings.start + timedelta(
        minutes=row * settings.slot_minutes + breaks * settings.break_minutes
    )
    return start, start + timedelta(minutes=settings.slot_minutes)


def rows_needed(teams: int, rooms: int) -> int:
    return math.ceil(teams / rooms) if teams else 0


def rotation(settings: Settings, rows: int) -> int:
    """Rows per block: the setting, else the breaks (when there are some within the day),
    else about three blocks."""
    if settings.rotate_every is not None:
        return settings.rotate_every
    if 0 < settings.break_every < rows:
        return settings.break_every
    return max(1, math.ceil(rows / 3))


def steps(judges: int, seats: int, k: int, blocks: int) -> list[int]:
    """How far the circle may turn between blocks, best first. First the number of judges
    who rest in a block: the resting stretches then follow each other round the circle, so
    everyone rests as often as anyone else and sits at least once. Then the smaller turns.
    Always less than a block's seats (consecutive blocks share judges) and not a multiple
    of K (panels mix rather than move as a whole)."""
    if blocks < 2 or seats < 2:
        return [1]
    wanted = min(max(1, judges - seats), seats - 1)
    fine = [d for d in range(1, seats) if k == 1 or d % k]
    best = min(fine, key=lambda d: (abs(d - wanted), -d))
    return [best, *sorted(d for d in fine if d != best)]


def _shapes(settings: Settings, rows: int, judges: int) -> list[tuple[int, int]]:
    """(rows per block, turn) to try, best first: the asked rotation, then (unless it was
    set) shorter blocks, which mix the panels more."""
    every = rotation(settings, rows)
    everies = [every] if settings.rotate_every is not None else list(range(every, 0, -1))
    seats = settings.rooms * settings.k
    return [(e, d) for e in everies for d in steps(judges, seats, settings.k, math.ceil(rows / e))]


def check(
    teams: Iterable[TeamSlot],
    judges: Iterable[Judge],
    settings: Settings,
    conflicts: Iterable[Pair] = (),
) -> list[Reason]:
    """What makes the schedule impossible before any placement is tried (empty if nothing)."""
    team_list, judge_list = list(teams), list(judges)
    if not team_list:
        return []
    reasons: list[Reason] = []
    seats = settings.rooms * settings.k
    if len(judge_list) < seats:
        reasons.append(TooFewJudgesForRooms(len(judge_list), settings.rooms, settings.k))
    inst = _prepare(team_list, judge_list, settings.k, conflicts, ())
    reasons += [r for r in inst.reasons if isinstance(r, Shortfall | TooFewJudges)]
    return reasons


def plan(
    teams: Iterable[TeamSlot],
    judges: Iterable[Judge],
    settings: Settings,
    conflicts: Iterable[Pair] = (),
) -> Timetable:
    """Place every team once with K judges of its room's panel, or raise `Infeasible`."""
    team_list = sorted(teams, key=lambda t: t.id)
    judge_list = sorted(judges, key=lambda j: j.id)
    conflicts = list(conflicts)
    reasons = check(team_list, judge_list, settings, conflicts)
    if reasons:
        raise Infeasible(reasons)
    rows = rows_needed(len(team_list), settings.rooms)
    if not team_list:
        return Timetable([], [], {j.id: [] for j in judge_list}, 0, 1, True)
    inst = _prepare(team_list, judge_list, settings.k, conflicts, ())
    rng = random.Random(f"{settings.seed}:schedule")
    shapes = _shapes(settings, rows, len(judge_list))
    best: Timetable | None = None
    unplaced: set[int] | None = None
    last: set[int] = set()
    seeded: list[list[int]] = []
    for attempt in range(max(ATTEMPTS, len(shapes))):
        every, d = shapes[attempt % len(shapes)]
        circle = _circle(len(judge_list), seeded, rng)
        panels = _panels(circle, settings, math.ceil(rows / every), d)
        cells, missing = _place(panels, inst.allowed, rows, every, settings.rooms, rng)
        if missing:
            unplaced = missing if unplaced is None else unplaced & missing
            last = missing
            seeded = _seed_panel(seeded, missing, inst.allowed, settings, rng)
            continue
        found = _timetable(panels, cells, inst.team_ids, inst.judge_ids, settings, rows, every)
        if found.connected:
            return found
        best = best or found
    if best is None:
        stuck = unplaced or last
        raise Infeasible([NoPanelFits(tuple(sorted(inst.team_ids[t] for t in stuck)))])
    return best


def _circle(judges: int, seeded: list[list[int]], rng: random.Random) -> list[int]:
    """A random order of the judges (by position), the seeded panels first and whole."""
    first = [j for group in seeded for j in group]
    rest = [j for j in range(judges) if j not in set(first)]
    rng.shuffle(rest)
    return first + rest


def _seed_panel(
    seeded: list[list[int]],
    missing: set[int],
    allowed: np.ndarray,
    settings: Settings,
    rng: random.Random,
) -> list[list[int]]:
    """After a failed try: K judges free to judge a team that found no panel, to sit together
    in the first block next time (as many such panels as the first block has rooms)."""
    taken = {j for group in seeded for j in group}
    team = rng.choice(sorted(missing))
    free = [int(j) for j in np.flatnonzero(allowed[:, team]) if int(j) not in taken]
    if len(free) < settings.k:
        return []  # start over: the seeded panels use the judges this team needs
    group = rng.sample(free, settings.k)
    return [*seeded, group][-settings.rooms :]


def _panels(circle: list[int], settings: Settings, blocks: int, d: int) -> list[list[list[int]]]:
    """Judges (by position) of each block's rooms: the circle turned by d per block."""
    n, k = len(circle), settings.k
    return [
        [[circle[(b * d + r * k + i) % n] for i in range(k)] for r in range(settings.rooms)]
        for b in range(blocks)
    ]


def _place(
    panels: list[list[list[int]]],
    allowed: np.ndarray,
    rows: int,
    every: int,
    rooms: int,
    rng: random.Random,
) -> tuple[np.ndarray, set[int]]:
    """Each team's cell (row · rooms + room), or the teams no cell can take."""
    n_teams = allowed.shape[1]
    fits = np.ones((n_teams, rows * rooms), dtype=bool)
    for row in range(rows):
        for room in range(rooms):
            panel = panels[row // every][room]
            fits[:, row * rooms + room] = allowed[panel, :].all(axis=0)
    noise = np.random.default_rng(rng.getrandbits(64)).random(fits.shape)
    cost = np.where(fits, noise, _FORBIDDEN)
    cost[:, (rows - 1) * rooms :] += _LATE
    team_at, cell_at = linear_sum_assignment(cost)
    order = np.argsort(team_at)
    cells = cell_at[order]
    bad = {int(t) for t in team_at[order] if not fits[t, cells[t]]}
    return cells, bad


def _timetable(
    panels: list[list[list[int]]],
    cells: np.ndarray,
    team_ids: list[int],
    judge_ids: list[int],
    settings: Settings,
    rows: int,
    every: int,
) -> Timetable:
    slots = []
    for t, cell in enumerate(cells.tolist()):
        row, room = divmod(int(cell), settings.rooms)
        start, end = slot_times(settings, row)
        judges = tuple(sorted(judge_ids[j] for j in panels[row // every][room]))
        slots.append(Slot(row, room, start, end, team_ids[t], judges))
    slots.sort(key=lambda s: (s.row, s.room))
    queues: defaultdict[int, list[int]] = defaultdict(list)
    for slot in slots:
        for judge in slot.judge_ids:
            queues[judge].append(slot.team_id)
    used = {(s.row // every, s.room) for s in slots}
    panel_list = [
        Panel(
            block=b,
            room=r,
            first_row=b * every,
            last_row=min(rows, (b + 1) * every) - 1,
            judge_ids=tuple(sorted(judge_ids[j] for j in members)),
        )
        for b, block in enumerate(panels)
        for r, members in enumerate(block)
        if (b, r) in used
    ]
    pairs = [(j, s.team_id) for s in slots for j in s.judge_ids]
    return Timetable(
        slots=slots,
        panels=panel_list,
        queues={j: queues.get(j, []) for j in judge_ids},
        rows=rows,
        rotate_every=every,
        connected=is_connected(pairs),
    )
