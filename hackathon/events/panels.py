"""Sections that features add to the event page, in order.

A feature registers a panel with a template and a function that returns the template's
context for (event, user), or None to show nothing for that person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hackathon.events.models import Event

PanelContext = Callable[[Event, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: PanelContext


PANELS: list[Panel] = []


def register_panel(order: int, template: str, context: PanelContext) -> None:
    if any(p.template == template for p in PANELS):
        return
    PANELS.append(Panel(order, template, context))
    PANELS.sort(key=lambda p: p.order)


def panels_for(event: Event, user: Any) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for panel in PANELS:
        context = panel.context(event, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
