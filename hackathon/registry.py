"""What each feature adds to the shared parts of the app, gathered at start-up.

`create_app` calls every feature's `init_app(app)`, which adds its parts here: sections
of the event page and of the program report, fields of `GET /api/v1/me`, CSV kinds, the
roster's team columns, steps of the demo, who else may see a team, which teams other
features hold on to, background jobs, which teams' ranks are unsettled at the prize
cut-off, and which objects in storage the records account for (the backup's manifest).
The core reads them from here and never imports a feature. One registry per app, so
two apps in one process (tests do that) never share what they registered.
See docs/architecture.md, "How features connect".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app

from hackathon.csvio import Exporter, Importer, Kind, Row, RowProblem

# The models behind these are defined by the features above the core: typed as Any here.
PanelContext = Callable[[Any, Any], dict[str, Any] | None]  # (event, user) -> context
ReportContext = Callable[[Any, Any], dict[str, Any] | None]  # (program, user) -> context
MeFields = Callable[[Any, dict[int, dict[str, Any]]], None]  # (user, per event id) -> None
DemoStep = Callable[[Any], None]  # (demo context) -> None
TeamViewer = Callable[[Any, Any], bool]  # (user, team) -> may see it
TeamsInUse = Callable[[Sequence[int]], set[int]]  # team ids -> those another feature holds


@dataclass(frozen=True)
class Panel:
    """A section of the event page: its template and its context for (event, user), or
    None to show nothing to that person."""

    order: int
    template: str
    context: PanelContext


@dataclass(frozen=True)
class ReportSection:
    """A section of the program report (`/programs/<slug>/report`) after its events: its
    template and its context for (program, user), or None to show nothing."""

    order: int
    template: str
    context: ReportContext


@dataclass(frozen=True)
class PeriodicJob:
    """A job run every `interval` by the workers' scheduler and `jobs run-due`; `func`
    takes the moment it runs for."""

    name: str
    interval: timedelta
    func: Callable[[datetime], None]


@dataclass(frozen=True)
class RosterPlacement:
    """The roster's `team` and `track` columns, which the teams feature understands."""

    check: Callable[[Any, list[Row]], list[RowProblem]]
    apply: Callable[[Any, list[Row]], None]
    export: Callable[[Any, Any, Any], dict[str, str]]  # (event, user, role) -> columns


@dataclass(frozen=True)
class CutoffTeams:
    """The teams whose rank interval crosses the prize cut-off (ranks 1..cut_off win), by
    best rank, with their intervals (best, worst): the leaderboard tells the judging
    feature where more judges would settle the prizes."""

    cut_off: int
    team_ids: tuple[int, ...]
    intervals: dict[int, tuple[int, int]]


TeamsAtCutoff = Callable[[Any, int | None], CutoffTeams]  # (event, cut-off or None: default)


@dataclass(frozen=True)
class StoredObject:
    """One object the records say storage holds: its key, size and SHA-256."""

    key: str
    size: int
    sha256: str


# (a database connection to read through) -> every object the feature's records name
StoredObjects = Callable[[Any], Iterable[StoredObject]]


@dataclass
class Registry:
    panels: list[Panel] = field(default_factory=list)
    report_sections: list[ReportSection] = field(default_factory=list)
    me_fields: list[MeFields] = field(default_factory=list)
    csv_kinds: dict[str, Kind] = field(default_factory=dict)
    roster_placement: RosterPlacement | None = None
    demo_steps: list[DemoStep] = field(default_factory=list)
    team_viewers: list[TeamViewer] = field(default_factory=list)
    teams_in_use: list[TeamsInUse] = field(default_factory=list)
    jobs: dict[str, Callable[..., object]] = field(default_factory=dict)  # results unused
    periodic: list[PeriodicJob] = field(default_factory=list)
    teams_at_cutoff: TeamsAtCutoff | None = None
    stored_objects: list[StoredObjects] = field(default_factory=list)

    def add_panel(self, order: int, template: str, context: PanelContext) -> None:
        self.panels.append(Panel(order, template, context))
        self.panels.sort(key=lambda p: p.order)

    def add_report_section(self, order: int, template: str, context: ReportContext) -> None:
        self.report_sections.append(ReportSection(order, template, context))
        self.report_sections.sort(key=lambda s: s.order)

    def add_csv_kind(
        self,
        name: str,
        columns: tuple[str, ...],
        *,
        required: tuple[str, ...] | None = None,
        importer: Importer | None = None,
        exporter: Exporter | None = None,
        dynamic_columns: Callable[[Any], tuple[str, ...]] | None = None,
    ) -> Kind:
        """A CSV kind for `import`/`export` (its required columns default to all)."""
        kind = Kind(name, columns, required or columns, importer, exporter, dynamic_columns)
        self.csv_kinds[name] = kind
        return kind

    def panels_for(self, event: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
        shown = []
        for panel in self.panels:
            context = panel.context(event, user)
            if context is not None:
                shown.append((panel.template, context))
        return shown

    def report_sections_for(self, program: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
        shown = []
        for section in self.report_sections:
            context = section.context(program, user)
            if context is not None:
                shown.append((section.template, context))
        return shown

    def held_teams(self, team_ids: Iterable[int]) -> set[int]:
        """The teams among `team_ids` that another feature holds (e.g. has a submission)."""
        ids = list(team_ids)
        held: set[int] = set()
        for check in self.teams_in_use:
            held |= check(ids)
        return held


def init_app(app: Flask) -> Registry:
    registry = app.extensions["registry"] = Registry()
    return registry


def get_registry(app: Flask | None = None) -> Registry:
    registry: Registry = (app or current_app).extensions["registry"]
    return registry
