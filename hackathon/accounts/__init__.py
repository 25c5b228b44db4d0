"""Accounts: sign-up, sign-in, sessions, profiles, the links mailed to people
(invitations, password resets, confirming an address) and the `users` command.
See docs/architecture.md for the file roles every feature shares, docs/accounts.md for
the links."""

from __future__ import annotations

from flask import Flask

from hackathon.accounts import cli, services
from hackathon.accounts.views import bp, links, sessions  # noqa: F401  (routes)
from hackathon.extensions import login_manager


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.user_loader(services.load_session_user)
    for command in cli.commands:
        app.cli.add_command(command)
