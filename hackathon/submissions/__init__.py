from flask import Blueprint

bp = Blueprint("submissions", __name__)

from hackathon.submissions import views  # noqa: E402, F401
