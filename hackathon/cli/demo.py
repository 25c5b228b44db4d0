"""`demo`: load the cohort demo (DESIGN section 8); idempotent."""

from __future__ import annotations

import click


@click.command("demo")
def demo_command() -> None:
    """Load the cohort demo and print the demo sign-ins."""
    from hackathon.demo import load_demo

    summary = load_demo()
    click.echo(summary)
