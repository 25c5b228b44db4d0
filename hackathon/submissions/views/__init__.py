"""The submissions feature's pages, by audience: participant (the team), organizer."""

from flask import Blueprint

bp = Blueprint("submissions", __name__)
