"""Serving a crowd: built views of the board, in one cache keyed by the board's revision.

A view (JSON or CSV bytes, their gzip form and an ETag) is keyed by the board's pointer
version (event, revision and what is read with it, see `pointer`) and what was asked
(source, format, track). Every write that changes what the board shows bumps the revision
in its transaction (see `revision`), so a key names exactly one content and a cached view
never needs invalidating: a new revision is simply a new key, and an old one is dropped
when the cache is full (or, in Redis, after a day).

It is one cache: views are shared through Redis when `REDIS_URL` is set, with a small
in-process copy in front; without Redis they live in the process. A burst of requests for
a missing key builds it once: other threads wait on a per-key lock, other processes on a
short Redis lock. The views of one revision (each track, each format) are cut from one
board, computed once per process. The pointers the process read last are kept here too
(`Pointers`): what it remembers of the keys, forgotten when it commits a change of them.

A live board changes with every submitted score, and on results night that is several
times a second: computing it for each revision would keep every process busy with nothing
else. So a process serves the public a live board computed at most
`LEADERBOARD_LIVE_SECONDS` (2 s by default) ago (`live_pointer`): within that time it keeps
answering with the revision it last computed, and the scores of that time show at the next
computation. Only the live board waits so: a freeze, a publication, a hide or an edit of
the event's mode or slug is a new state or another board, and shows at once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from werkzeug.utils import get_content_type

from hackathon.leaderboard.services.pointer import Pointer, Pointers

# An event's board has a view per track and format (and organizers' variants): keep many,
# bounded by their size rather than their number (a 2,000-team view is about 0.5 MB).
LOCAL_ENTRIES = 512
LOCAL_BYTES = 64 * 2**20
BOARD_ENTRIES = 4  # computed boards, from which the views of one revision are cut
SHARED_TTL = 24 * 3600  # old revisions expire on their own
LOCK_SECONDS = 30
WAIT_SECONDS = 5.0
KEY_PREFIX = "hk:lb:1:"
LIVE_ENTRIES = 1024  # boards whose live pointer is kept (see `live_pointer`)


@dataclass
class View:
    etag: str
    body: bytes
    gzipped: bytes
    mimetype: str
    _data: Any = field(default=None, repr=False)
    # The response headers sent with it, built once per (Cache-Control, gzip, file name).
    _headers: dict[tuple[str, bool, str], list[tuple[str, str]]] = field(
        default_factory=dict, repr=False
    )

    def headers(self, cc: str, packed: bool, filename: str = "") -> list[tuple[str, str]]:
        """What goes out with these bytes (or their gzip form): a strong ETag of exactly
        them, caching, Vary, and the type, encoding and file name of a full response."""
        key = (cc, packed, filename)
        built = self._headers.get(key)
        if built is None:
            built = [
                ("ETag", f'"{self.etag}-gzip"' if packed else f'"{self.etag}"'),
                ("Cache-Control", cc),
                ("Vary", "Accept-Encoding, Cookie"),
                ("Content-Type", get_content_type(self.mimetype, "utf-8")),
            ]
            if packed:
                built.append(("Content-Encoding", "gzip"))
            if filename:
                built.append(("Content-Disposition", f'attachment; filename="{filename}"'))
            self._headers[key] = built
        return built

    @classmethod
    def of(cls, body: bytes, mimetype: str, data: Any = None) -> View:
        etag = hashlib.sha256(body).hexdigest()[:24]
        return cls(etag, body, gzip.compress(body, 6, mtime=0), mimetype, data)

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped)

    @property
    def data(self) -> Any:
        """The decoded JSON payload (pages render it)."""
        if self._data is None:
            self._data = json.loads(self.body)
        return self._data

    def pack(self) -> bytes:
        header = json.dumps([self.etag, self.mimetype, len(self.body)]).encode()
        return header + b"\n" + self.body + self.gzipped

    @classmethod
    def unpack(cls, raw: bytes) -> View:
        header, _, rest = raw.partition(b"\n")
        etag, mimetype, size = json.loads(header)
        return cls(etag, rest[:size], rest[size:], mimetype)


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class ViewCache:
    """Views by key: an in-process LRU, in front of Redis when one is configured."""

    def __init__(self, redis_client: Any = None) -> None:
        self.redis = redis_client
        self.local: OrderedDict[str, View] = OrderedDict()
        self.local_bytes = 0
        self.boards: OrderedDict[str, Any] = OrderedDict()
        self.guard = threading.Lock()
        self.key_locks: dict[str, threading.Lock] = {}
        self.pointers = Pointers()
        self.live: dict[tuple[int, str, str], tuple[Pointer, float]] = {}
        self.builds = 0

    def get_or_build(self, key: str, build: Callable[[], View]) -> View:
        view = self._local_get(key)
        if view is not None:
            return view
        with self._lock_for(key):
            view = self._local_get(key) or self._shared_get(key)
            if view is None:
                view = self._build_once(key, build)
            self._local_put(key, view)
        return view

    def board(self, key: str, compute: Callable[[], Any]) -> Any:
        """The board computed from scores under `key` (the version and mode it was read
        at), computed once in this process for all of its views."""
        with self._lock_for("board:" + key):
            with self.guard:
                board = self.boards.get(key)
            if board is None:
                board = compute()
                with self.guard:
                    self.boards[key] = board
                    while len(self.boards) > BOARD_ENTRIES:
                        old, _ = self.boards.popitem(last=False)
                        self.key_locks.pop("board:" + old, None)
            return board

    def live_pointer(self, ptr: Pointer, seconds: float) -> Pointer:
        """The pointer to serve a live board's public views by: the one this process served
        them by last, if that was live and at most `seconds` ago; else `ptr` (from now on the
        one served by)."""
        board = (ptr.event_id, ptr.mode, ptr.slug)
        now = time.monotonic()
        with self.guard:
            known = self.live.get(board)
            if known is not None and now - known[1] < seconds and known[0].revision <= ptr.revision:
                return known[0]
            if len(self.live) >= LIVE_ENTRIES and board not in self.live:
                self.live.clear()  # unknown boards must not grow it without bound
            self.live[board] = (ptr, now)
        return ptr

    def forget(self, event_ids: set[int] | None) -> None:
        """Forget the pointers of these boards (of all with None): a change was committed."""
        self.pointers.forget(event_ids)

    def _build_once(self, key: str, build: Callable[[], View]) -> View:
        locked = self._shared_lock(key)
        if not locked:
            view = self._wait_shared(key)
            if view is not None:
                return view
        try:
            view = build()
            self.builds += 1
            self._shared_put(key, view)
        finally:
            if locked:
                self._shared_unlock(key)
        return view

    def _lock_for(self, key: str) -> threading.Lock:
        with self.guard:
            return self.key_locks.setdefault(key, threading.Lock())

    def _local_get(self, key: str) -> View | None:
        with self.guard:
            view = self.local.get(key)
            if view is not None:
                self.local.move_to_end(key)
            return view

    def _local_put(self, key: str, view: View) -> None:
        with self.guard:
            known = self.local.pop(key, None)
            if known is not None:
                self.local_bytes -= known.size
            self.local[key] = view
            self.local_bytes += view.size
            while len(self.local) > 1 and (
                len(self.local) > LOCAL_ENTRIES or self.local_bytes > LOCAL_BYTES
            ):
                old, dropped = self.local.popitem(last=False)
                self.local_bytes -= dropped.size
                self.key_locks.pop(old, None)

    # Redis: every failure falls back to building in this process.

    def _shared_get(self, key: str) -> View | None:
        raw = self._redis("get", KEY_PREFIX + key)
        return View.unpack(raw) if raw else None

    def _shared_put(self, key: str, view: View) -> None:
        self._redis("set", KEY_PREFIX + key, view.pack(), ex=SHARED_TTL)

    def _shared_lock(self, key: str) -> bool:
        if self.redis is None:
            return True
        return bool(
            self._redis(
                "set", KEY_PREFIX + key + ":lock", b"1", nx=True, ex=LOCK_SECONDS, default=True
            )
        )

    def _shared_unlock(self, key: str) -> None:
        self._redis("delete", KEY_PREFIX + key + ":lock")

    def _wait_shared(self, key: str) -> View | None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            view = self._shared_get(key)
            if view is not None:
                return view
        return None

    def _redis(self, method: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        if self.redis is None:
            return default
        from redis.exceptions import RedisError

        try:
            return getattr(self.redis, method)(*args, **kwargs)
        except RedisError as error:
            current_app.logger.warning("leaderboard cache: redis %s failed: %s", method, error)
            return default


def init_cache(app: Any) -> ViewCache:
    client = None
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    cache = ViewCache(client)
    app.extensions["leaderboard_cache"] = cache
    return cache


def get_cache() -> ViewCache:
    cache = current_app.extensions.get("leaderboard_cache")
    return cache if cache is not None else init_cache(current_app)
