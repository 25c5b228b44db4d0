from flask import Blueprint

bp = Blueprint("judging", __name__)

from hackathon.judging import views  # noqa: E402, F401
