"""The notifications feature's pages: a person's own (the list, settings) and the public
one-click unsubscribe page."""

from pathlib import Path

from flask import Blueprint

bp = Blueprint(
    "notifications",
    __name__,
    static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    static_url_path="/notifications/static",
)
