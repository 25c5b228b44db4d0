"""CSV kinds of judging, a module each: `assignments` (judge_email,team) and `scores`
(judge_email,team,criterion,score,feedback), for planning and paper judging, and `rubric`
(name,weight,min,max,description).

Every kind checks every row first and writes nothing on any problem.
"""

from __future__ import annotations

from hackathon.judging.csv.assignments import export_assignments, import_assignments
from hackathon.judging.csv.rubric import RUBRIC_COLUMNS, export_rubric, import_rubric
from hackathon.judging.csv.scores import export_scores, import_scores
from hackathon.registry import Registry

__all__ = [
    "export_assignments",
    "export_rubric",
    "export_scores",
    "import_assignments",
    "import_rubric",
    "import_scores",
    "register",
]


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "assignments",
        ("judge_email", "team"),
        importer=import_assignments,
        exporter=export_assignments,
    )
    registry.add_csv_kind(
        "scores",
        ("judge_email", "team", "criterion", "score", "feedback"),
        required=("judge_email", "team", "criterion", "score"),
        importer=import_scores,
        exporter=export_scores,
    )
    registry.add_csv_kind(
        "rubric",
        RUBRIC_COLUMNS,
        required=("name", "weight", "min", "max"),
        importer=import_rubric,
        exporter=export_rubric,
    )
