"""Operations: structured logs with request ids, Prometheus metrics at /metrics, and the
`backup` and `restore` commands. See docs/operations.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Called first by `create_app`, so that every later hook and log line has a request id."""
    from hackathon.ops import cli, logs, metrics

    logs.init_app(app)
    metrics.init_app(app)
    for command in cli.commands:
        app.cli.add_command(command)


__all__ = ["init_app"]
