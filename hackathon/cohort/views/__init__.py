"""The cohort feature's pages, by audience."""

from flask import Blueprint

bp = Blueprint("cohort", __name__)
