from flask import Blueprint

bp = Blueprint("events", __name__)

from hackathon.events import roster, views  # noqa: E402, F401
