"""Submissions: a team's entry, the event's file slots, uploads straight to storage and
their verification, downloads, extensions, the organizers' overview and zip."""

from __future__ import annotations

from flask import Flask

from hackathon.registry import PeriodicJob, get_registry
from hackathon.storage.cli import storage_cli
from hackathon.submissions import api, cli, demo, panel, rules  # noqa: F401  (api: routes)
from hackathon.submissions.services import complete, reminders, verifying
from hackathon.submissions.views import bp, organizer, participant  # noqa: F401  (routes)


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    app.register_blueprint(bp)
    registry.add_panel(30, "submissions/_panel.html", panel.panel_context)
    registry.me_fields.append(panel.fill_me)
    registry.teams_in_use.append(rules.teams_with_submission)
    registry.stored_objects.append(rules.stored_objects)
    registry.demo_steps.append(demo.build)
    registry.periodic.append(
        PeriodicJob("submissions.reminders", reminders.REMIND_EVERY, reminders.send_reminders)
    )
    registry.jobs[complete.VERIFY_JOB] = complete.verify_upload
    registry.periodic.append(
        PeriodicJob(
            "submissions.resume_verifying",
            verifying.RESUME_EVERY,
            verifying.resume_verifying_job,
        )
    )
    storage_cli.add_command(cli.gc_command)
