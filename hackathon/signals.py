"""Signals by which a feature tells the features above it that something changed.

A lower feature sends; a higher one listens (connected in its `init_app`), so
dependencies keep pointing down. Receivers run inside the sender's transaction: what they
write commits or rolls back with the change that caused it.
See docs/architecture.md, "How features connect".
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: What counts for the ranking of an event changed (a score submitted or reopened, an
#: assignment removed, the rubric edited). Sent with `event_id=`.
scores_changed = _signals.signal("scores-changed")
