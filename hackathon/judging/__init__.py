"""Judging: rubrics, conflicts of interest, judge assignment, scoring and its dashboard."""

from flask import Blueprint

# The judging pages' stylesheet sits with the feature; the script is in the shared static.
bp = Blueprint("judging", __name__, static_folder="static", static_url_path="/judging/static")

from hackathon.judging import csv_kinds, organizer, panels, rubric, rubric_views, views  # noqa: E402, F401
