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
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client's address and scheme as the load balancer saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from hackathon import auth, i18n, security
    from hackathon.db import render_migration_item
    from hackathon.errors import register_error_handlers
    from hackathon.extensions import csrf, db, limiter, migrate

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
    register_error_handlers(app)

    from hackathon import storage

    storage.init_app(app)

    import hackathon.models  # noqa: F401  (every table in the metadata)
    from hackathon.accounts import bp as accounts_bp
    from hackathon.admin import bp as admin_bp
    from hackathon.api import bp as api_bp
    from hackathon.events import bp as events_bp
    from hackathon.judging import bp as judging_bp
    from hackathon.leaderboard import bp as leaderboard_bp
    from hackathon.submissions import bp as submissions_bp
    from hackathon.teams import bp as teams_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(judging_bp)
    app.register_blueprint(leaderboard_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.add_url_rule("/healthz", "healthz", app.view_functions["api.healthz"])
    app.add_url_rule("/readyz", "readyz", app.view_functions["api.readyz"])

    from hackathon.cli import register_cli

    register_cli(app)
    return app
