from __future__ import annotations

import pytest


@pytest.fixture
def cli(app):
    """Run a `flask --app wsgi …` command against the test app: cli("users", "create", …)."""
    runner = app.test_cli_runner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(args=list(args), input=input)

    return run
