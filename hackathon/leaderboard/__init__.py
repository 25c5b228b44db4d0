from flask import Blueprint

bp = Blueprint("leaderboard", __name__)

from hackathon.leaderboard import exports, manage, panel, views  # noqa: E402, F401
