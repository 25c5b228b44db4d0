"""The house plan of docs/architecture.md, checked: no import circles, and every feature
laid out with the same file roles."""

from __future__ import annotations

from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parent.parent / "hackathon"
FEATURES = (
    "accounts",
    "events",
    "notifications",
    "teams",
    "submissions",
    "judging",
    "leaderboard",
    "cohort",
    "admin",
)
# The file roles a feature may have; each may be a module or, grown, a folder of that name.
ROLES = {
    "models",
    "rules",
    "services",
    "logic",
    "views",
    "api",
    "schemas",
    "csv",
    "forms",
    "panel",
    "cli",
    "demo",
}


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_circles():
    # grimp counts imports inside functions and under TYPE_CHECKING as well.
    graph = grimp.build_graph("hackathon")
    assert _cycles(graph) == []


def test_cycle_finder_sees_a_circle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.z")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y", "a.z"]]


def test_every_feature_uses_the_same_file_roles():
    strays = []
    for feature in FEATURES:
        folder = PACKAGE / feature
        assert (folder / "__init__.py").is_file(), feature
        for entry in folder.iterdir():
            if entry.name in {"__init__.py", "__pycache__", "static"}:
                continue
            role = entry.stem if entry.suffix == ".py" else entry.name
            if role not in ROLES:
                strays.append(f"{feature}/{entry.name}")
    assert strays == []


def test_each_feature_is_wired_by_init_app():
    for feature in FEATURES:
        module = __import__(f"hackathon.{feature}", fromlist=["init_app"])
        assert callable(module.init_app), feature
