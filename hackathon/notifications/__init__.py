"""Notifications: what a person should know (a team request, a deadline, results), in
the app (the bell and /notifications) and by e-mail unless they turned that kind off."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to wire yet: the tables exist for the features that notify."""
