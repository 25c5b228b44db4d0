from flask import Blueprint

bp = Blueprint("accounts", __name__)

from hackathon.accounts import views  # noqa: E402, F401
