"""The leaderboard feature's pages, by audience: public, organizer."""

from flask import Blueprint

bp = Blueprint("leaderboard", __name__)
