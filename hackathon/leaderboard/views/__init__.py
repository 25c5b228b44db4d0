"""The leaderboard feature's pages, by audience: public, participant (the people's choice vote),
organizer."""

from flask import Blueprint

bp = Blueprint("leaderboard", __name__)
