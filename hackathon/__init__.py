"""The hackathon and team-project platform."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config


def create_app(config: Config | dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI."""
    settings = config if isinstance(config, Config) else Config()
    app = Flask(__name__, instance_path=settings.INSTANCE_PATH, instance_relative_config=False)
    from hackathon.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids a column can hold
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client's address and scheme as the load balancer saw them. Wrapping
        # `wsgi_app` is Flask's documented way to add middleware; it is typed as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    from hackathon import auth, caching, i18n, ops, security
    from hackathon.db import render_migration_item
    from hackathon.errors import register_error_handlers
    from hackathon.extensions import csrf, db, limiter, migrate

    ops.init_app(app)  # first: request ids and the access line around every other hook
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    register_error_handlers(app)

    from hackathon import (
        accounts,
        admin,
        cohort,
        events,
        jobs,
        judging,
        leaderboard,
        mail,
        notifications,
        registry,
        storage,
        submissions,
        teams,
    )
    from hackathon import models as _models  # noqa: F401  (every table in the metadata)
    from hackathon.api import views as api

    storage.init_app(app)
    registry.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)
    # Each feature registers its pages, panels, CSV kinds, /me fields, demo steps, CLI
    # and signal handlers; the order is the order of the event page's panels and demo.
    features = (
        accounts,
        events,
        notifications,
        teams,
        submissions,
        judging,
        leaderboard,
        cohort,
        admin,
    )
    for feature in features:
        feature.init_app(app)
    api.init_app(app)  # last: every feature has added its endpoints to the API blueprint
    return app
