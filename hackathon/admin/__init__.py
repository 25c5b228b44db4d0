"""Site administration: programs, events, companies and accounts."""

from __future__ import annotations

from flask import Flask

from hackathon.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp, url_prefix="/admin")
