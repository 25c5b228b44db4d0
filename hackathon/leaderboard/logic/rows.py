"""The board as plain data: what a snapshot stores and what the API and pages show.

A *board* keeps full precision (ranks were decided on it; per-track ranks are stored beside
the event ranks). A *payload* is what readers get: the board's rows rounded for display
(z to 3 decimals, everything else to 2), optionally one track's rows, and the awards.
Nothing here touches Flask or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from hackathon.leaderboard.logic.ranking import Criterion, Row, track_ranks

CSV_COLUMNS = ("rank", "team", "track", "score", "raw_score", "judges")


def build_board(
    rows: Sequence[Row],
    criteria: Sequence[Criterion],
    *,
    mode: str,
    computed_at: datetime,
    labels: dict[str, Any],
) -> dict[str, Any]:
    """The board of an event: ranked rows with per-track ranks, criteria and tracks.

    `labels` carries the English names: {"criteria": {name: name_en}, "tracks": [(id,
    name, name_en), ...]} (tracks in display order).
    """
    in_track = track_ranks(rows)
    english = labels.get("criteria", {})
    tracks = [{"id": i, "name": n, "name_en": e} for i, n, e in labels.get("tracks", ())]
    track_en = {t["name"]: t["name_en"] for t in tracks}
    return {
        "mode": mode,
        "computed_at": _iso(computed_at),
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "name_en": english.get(c.name),
                "weight": c.weight,
                "min": c.lo,
                "max": c.hi,
            }
            for c in criteria
        ],
        "tracks": tracks,
        "rows": [
            {
                "rank": r.rank,
                "track_rank": in_track.get(r.team.id) if r.team.track is not None else None,
                "team": {"id": r.team.id, "name": r.team.name},
                "track": r.team.track,
                "track_en": track_en.get(r.team.track) if r.team.track else None,
                "score": r.score,
                "raw_score": r.raw_score,
                "judges": r.judges,
                "criteria": dict(r.criteria),
                "submitted_at": _iso(r.team.submitted_at),
            }
            for r in rows
        ],
    }


def payload(
    board: dict[str, Any],
    *,
    event: str,
    state: str,
    generated_at: str,
    awards: Iterable[dict[str, Any]] = (),
    track_id: int | None = None,
    snapshot: int | None = None,
) -> dict[str, Any]:
    """What the API answers, rounded for display; one track if asked."""
    mode = board["mode"]
    awards = sorted(awards, key=lambda a: (a["position"], a["id"]))
    by_team: dict[int, list[dict[str, Any]]] = {}
    for award in awards:
        if award.get("team"):
            by_team.setdefault(award["team"]["id"], []).append(
                {"name": award["name"], "name_en": award["name_en"]}
            )
    rows = board["rows"]
    track = None
    if track_id is not None:
        track = next((t for t in board["tracks"] if t["id"] == track_id), None)
        if track is None:
            raise KeyError(track_id)
        rows = [{**r, "rank": r["track_rank"]} for r in rows if r["track"] == track["name"]]
    return {
        "event": event,
        "state": state,
        "mode": mode,
        "generated_at": generated_at,
        "snapshot": snapshot,
        "track": track,
        "criteria": [{"name": c["name"], "name_en": c["name_en"]} for c in board["criteria"]],
        "tracks": board["tracks"],
        "rows": [_public_row(r, mode, by_team.get(r["team"]["id"], [])) for r in rows],
        "awards": awards,
    }


def _public_row(row: dict[str, Any], mode: str, awards: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "rank": row["rank"],
        "team": row["team"],
        "track": row["track"],
        "track_en": row["track_en"],
        "score": round_score(row["score"], mode),
        "raw_score": round_score(row["raw_score"], "raw"),
        "judges": row["judges"],
        "criteria": {name: round(mean, 2) for name, mean in row["criteria"].items()},
        "awards": awards,
    }


def round_score(value: float | None, mode: str) -> float | None:
    """Shown rounded: z-scores to 3 decimals, 0..100 values to 2 (ranked on full precision)."""
    if value is None:
        return None
    return round(value, 3 if mode == "zscore" else 2) + 0.0  # -0.0 would show as "-0.000"


def csv_columns(criteria_names: Iterable[str]) -> tuple[str, ...]:
    return CSV_COLUMNS + tuple(criteria_names)


def csv_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The `leaderboard` export rows from a payload: fixed columns, then one per criterion."""
    records = []
    for r in data["rows"]:
        record = {
            "rank": r["rank"],
            "team": r["team"]["name"],
            "track": r["track"] or "",
            "score": r["score"],
            "raw_score": r["raw_score"],
            "judges": r["judges"],
        }
        for c in data["criteria"]:
            record[c["name"]] = r["criteria"].get(c["name"])
        records.append(record)
    return records


def criterion_averages(board: dict[str, Any]) -> dict[str, float]:
    """The event's average per criterion: the mean over scored teams of their means."""
    sums: dict[str, list[float]] = {}
    for r in board["rows"]:
        for name, mean in r["criteria"].items():
            sums.setdefault(name, []).append(mean)
    return {name: sum(values) / len(values) for name, values in sums.items()}


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")
