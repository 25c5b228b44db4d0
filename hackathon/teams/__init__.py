from flask import Blueprint

bp = Blueprint("teams", __name__)

from hackathon.teams import views  # noqa: E402, F401
