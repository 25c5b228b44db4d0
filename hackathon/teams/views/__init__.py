"""The teams feature's pages, by audience: participant, organizer, company."""

from flask import Blueprint

bp = Blueprint("teams", __name__)
