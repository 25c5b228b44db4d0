from flask import Blueprint

bp = Blueprint("leaderboard", __name__)

from hackathon.leaderboard import views  # noqa: E402, F401
