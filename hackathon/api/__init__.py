import importlib

from flask import Blueprint

bp = Blueprint("api", __name__)

from hackathon.api import views  # noqa: E402, F401

# Each feature's JSON endpoints live in hackathon/<feature>/api.py and attach to `bp`.
for _feature in ("teams", "submissions", "judging", "leaderboard"):
    try:
        importlib.import_module(f"hackathon.{_feature}.api")
    except ModuleNotFoundError as _error:
        if _error.name != f"hackathon.{_feature}.api":
            raise
