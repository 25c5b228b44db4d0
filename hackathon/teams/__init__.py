from flask import Blueprint

bp = Blueprint("teams", __name__)

# Views, the event-page panel, and the CSV kinds (tracks, preferences, teams, and the
# roster's team/track placement) register themselves on import.
from hackathon.teams import (  # noqa: E402, F401
    csvkinds,
    finder_views,
    matching_views,
    organizer_views,
    panel,
    preferences,
    preferences_csv,
    tracks,
    views,
)
