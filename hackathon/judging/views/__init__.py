"""The judging feature's pages, by audience: judge, organizer."""

from pathlib import Path

from flask import Blueprint

# The judging pages' stylesheet sits with the feature; the script is in the shared static.
bp = Blueprint(
    "judging",
    __name__,
    static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    static_url_path="/judging/static",
)
