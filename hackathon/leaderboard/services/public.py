"""Who sees which board, and the views they get (through the cache).

The public sees the board only while it is `live` (current scores), `frozen` (the freeze
snapshot) or `published` (the publish snapshot and the awards); otherwise 404, exactly as
for a board that does not exist. Organizers see every state: by default the public view,
or while hidden the current scores; `source=current` or `snapshot=N` chooses explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hackathon import csvio
from hackathon.caching import NO_STORE, REVALIDATE, Policy
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events import services as events
from hackathon.events.models import Event, ScoringMode
from hackathon.extensions import db
from hackathon.leaderboard.logic.rows import csv_columns, csv_records, payload
from hackathon.leaderboard.models import BoardState, Snapshot
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services.cache import View, get_cache, json_bytes
from hackathon.leaderboard.services.pointer import Pointer, read_pointer
from hackathon.numbers import parse_int

FORMATS = {"json": "application/json", "csv": "text/csv"}


@dataclass(frozen=True)
class Request:
    """What a reader asked for; `source` is "public", "current" or "snapshot"."""

    fmt: str = "json"
    track: int | None = None
    source: str = "public"
    mode: str | None = None
    snapshot: int | None = None


PLAIN = {fmt: Request(fmt) for fmt in FORMATS}


def is_public(ptr: Pointer) -> bool:
    return ptr.state in services.PUBLIC_STATES and not ptr.draft


class Resolved(NamedTuple):
    view: View
    ptr: Pointer
    public: bool  # the public view (else an organizer's: a hidden board, or their options)

    @property
    def policy(self) -> Policy:
        """How long caches may keep it: a published board for
        `LEADERBOARD_PUBLISHED_SECONDS` (then as stale for `LEADERBOARD_STALE_SECONDS`
        while it is fetched again), a live or frozen one asked again every time (it moves
        on, or is published, at any moment), an organizer's view nowhere."""
        if not self.public:
            return NO_STORE
        if self.ptr.state == BoardState.PUBLISHED:
            config = current_app.config
            return Policy(
                int(config.get("LEADERBOARD_PUBLISHED_SECONDS", 30)),
                int(config.get("LEADERBOARD_STALE_SECONDS", 60)),
            )
        return REVALIDATE


def resolve(slug: str, ask: Request) -> Resolved:
    """The view this reader may have, or NotFound (hidden boards look like no board)."""
    ptr = get_cache().pointers.get(slug)
    if ptr is None:
        raise NotFound()
    if ask.source == "public" and is_public(ptr):
        return Resolved(public_view(ptr, ask), ptr, True)
    if not current_user.is_authenticated:  # never an organizer: no more reads to time
        if is_public(ptr):
            return Resolved(public_view(ptr, Request(ask.fmt, ask.track)), ptr, True)
        raise NotFound()
    ptr = read_pointer(slug)  # organizers act on what they just changed: no memory
    if ptr is None:
        raise NotFound()
    public = is_public(ptr)
    if ask.source == "public" and public:
        return Resolved(public_view(ptr, ask), ptr, True)
    event = db.session.get_one(Event, ptr.event_id)
    if not events.is_organizer(current_user, event):
        if public:  # organizers' options asked by someone else: the public view
            return Resolved(public_view(ptr, Request(ask.fmt, ask.track)), ptr, True)
        raise NotFound()
    if ask.source == "public":  # an organizer previewing a hidden board: current scores
        ask = Request(ask.fmt, ask.track, "current", ask.mode)
    return Resolved(organizer_view(event, ptr, ask), ptr, False)


def public_view(ptr: Pointer, ask: Request) -> View:
    cache = get_cache()
    seconds = float(current_app.config.get("LEADERBOARD_LIVE_SECONDS", 2.0))
    if ptr.state == BoardState.LIVE and ptr.revision and seconds > 0:
        # At most one computation of a live board per LEADERBOARD_LIVE_SECONDS (see `cache`).
        ptr = cache.live_pointer(ptr, seconds)
    key = f"{ptr.version}:public:{ask.fmt}:{ask.track or '-'}"
    return cache.get_or_build(key, lambda: _build_public(ptr, ask))


def organizer_view(event: Event, ptr: Pointer, ask: Request) -> View:
    cache = get_cache()
    if ask.source == "snapshot":
        if ask.snapshot is None:
            raise NotFound()
        snap = services.get_snapshot(event.id, ask.snapshot)
        key = f"{ptr.version}:snap{snap.id}:{ask.fmt}:{ask.track or '-'}"
        return cache.get_or_build(key, lambda: _snapshot_view(ptr, snap, ask, with_awards=True))
    mode = ask.mode or ptr.mode
    if mode not in set(ScoringMode):
        raise ValidationFailed(fields={"mode": str(_l("Use zscore, raw or offset."))})
    if not ptr.revision:
        # No board row yet, so no revision to key by: never cached (and without a single
        # submitted score there is little to compute).
        return _current_view(event, ptr, ask, mode)
    key = f"{ptr.version}:current-{mode}:{ask.fmt}:{ask.track or '-'}"
    return cache.get_or_build(key, lambda: _current_view(event, ptr, ask, mode))


def _build_public(ptr: Pointer, ask: Request) -> View:
    if ptr.state == BoardState.LIVE:
        event = db.session.get_one(Event, ptr.event_id)
        view = _current_view(event, ptr, ask, ptr.mode, with_awards=False)
        # Read after the scores: if the board is still live now, the scores were read
        # before any freeze or hide, and the view may go out.
        now = read_pointer(ptr.slug)
        if now is None or not is_public(now):
            raise NotFound()
        return view if now.state == BoardState.LIVE else _build_public(now, ask)
    snap = db.session.get(Snapshot, ptr.snapshot_id) if ptr.snapshot_id else None
    if snap is None:  # a frozen board always has its snapshot; be safe rather than leak
        raise NotFound()
    return _snapshot_view(ptr, snap, ask, with_awards=ptr.state == BoardState.PUBLISHED)


def _current_view(
    event: Event, ptr: Pointer, ask: Request, mode: str, with_awards: bool = True
) -> View:
    def compute() -> dict[str, Any]:
        return services.compute_board(event, mode)

    # Every track and format of a revision shares one board.
    board = get_cache().board(f"{ptr.version}:{mode}", compute) if ptr.revision else compute()
    awards = services.award_dicts(event.id) if with_awards else []
    # The time of the revision shown, not of this process' computation: every process
    # then writes the same bytes for it, with the same ETag.
    generated = ptr.changed_at if ptr.revision and ptr.changed_at else board["computed_at"]
    return _render(board, ptr, ask, generated, awards, None)


def _snapshot_view(ptr: Pointer, snap: Snapshot, ask: Request, with_awards: bool) -> View:
    awards = services.award_dicts(ptr.event_id) if with_awards else []
    generated = snap.created_at.isoformat().replace("+00:00", "Z")
    return _render(snap.data, ptr, ask, generated, awards, snap.version)


def _render(
    board: dict[str, Any],
    ptr: Pointer,
    ask: Request,
    generated_at: str,
    awards: list[dict[str, Any]],
    snapshot: int | None,
) -> View:
    try:
        data = payload(
            board,
            event=ptr.slug,
            state=str(ptr.state),
            generated_at=generated_at,
            awards=awards,
            track_id=ask.track,
            snapshot=snapshot,
        )
    except KeyError:
        raise NotFound() from None
    if ask.fmt == "csv":
        columns = csv_columns(c["name"] for c in data["criteria"])
        text = csvio.write(None, csv_records(data), columns)
        # A BOM, as on the other CSV downloads: Korean Excel reads UTF-8 without it as CP949.
        return View.of(("\ufeff" + text).encode("utf-8"), FORMATS["csv"])
    return View.of(json_bytes(data), FORMATS["json"], data)


def ask_from(fmt: str) -> Request:
    """Query parameters: `track` (id); organizers also `source`, `mode`, `snapshot`."""
    if not request.environ.get("QUERY_STRING"):  # the crowd's request: nothing to parse
        return PLAIN[fmt]
    args = request.args
    try:
        track = parse_int(args["track"]) if args.get("track") else None
        snapshot = parse_int(args["snapshot"]) if args.get("snapshot") else None
    except ValueError:
        raise NotFound() from None
    source = "snapshot" if snapshot else args.get("source", "public")
    if source not in {"public", "current", "snapshot"}:
        source = "public"
    return Request(fmt, track, source, args.get("mode") or None, snapshot)
