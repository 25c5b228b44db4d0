"""The team's submission page: details, one box per file slot, submit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from hackathon.db import utcnow
from hackathon.errors import ValidationFailed
from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.i18n import human_size
from hackathon.submissions import rules
from hackathon.submissions.forms import ActionForm, SubmissionForm
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.submissions.models import FileStatus, Submission
from hackathon.submissions.services import entries as services
from hackathon.submissions.services.slots import event_slots
from hackathon.submissions.services.uploads import multipart_threshold
from hackathon.submissions.views import bp
from hackathon.teams.rules import team_of
from hackathon.web import writing


def time_left(delta: timedelta) -> str:
    """'2 days 3 hours', '45 minutes': how long the team still has."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)d day", "%(num)d days", days))
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if not days and (minutes or not parts):
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    return " ".join(parts)


def upload_messages() -> dict[str, str]:
    """What the upload script says, in the page's language (placeholders: %(name)s)."""
    return {
        "hashing": _("Computing the file's SHA-256 checksum…"),
        "requesting": _("Asking for an upload ticket…"),
        "uploading": _("Uploading…"),
        "resuming": _("Resuming: %(count)s of %(total)s parts are already uploaded."),
        "verifying": _("Checking the file on the server…"),
        "verifying_later": _(
            "The file has arrived and is being verified; this can take a few minutes for a "
            "large file. You may leave the page: the check goes on."
        ),
        "accepted": _("Accepted: %(name)s (%(size)s) as version %(version)s."),
        "receipt": _("Receipt: %(name)s, %(size)s, SHA-256 %(sha256)s, received %(time)s."),
        "cancelled": _("The upload was cancelled; nothing was kept."),
        "network": _(
            "The connection to the file storage failed. Check your network and "
            "try again; a large file resumes where it stopped."
        ),
        "refused": _("The file storage refused the upload (HTTP %(status)s). Please try again."),
        "server": _("The server could not be reached. Please try again."),
        "wrong_extension": _("This slot accepts only: %(types)s."),
        "too_large": _("The file is larger than this slot's limit of %(limit)s."),
        "empty": _("The file is empty."),
        "unreadable": _("The file could not be read. Please choose it again."),
        "retrying": _("A part failed; trying again (%(attempt)s of %(max)s)…"),
        "leave": _("An upload is still running. Leave the page anyway?"),
        "speed": _("%(speed)s/s"),
        "eta": _("about %(time)s left"),
        "current": _("Current version"),
        "size": _("Size"),
        "received": _("Received"),
        "uploader": _("Uploaded by"),
        "download": _("Download"),
        "version": _("Version %(version)s"),
    }


def page_context(submission: Submission, form: SubmissionForm | None = None) -> dict[str, Any]:
    state = services.edit_state(submission)
    member = rules.can_edit(current_user, submission)
    slots = event_slots(submission.event)
    now = utcnow()
    versions = services.versions_by_slot(submission)
    unsettled = services.unsettled_by_slot(submission, versions) if member else {}
    return {
        "submission": submission,
        "event": submission.event,
        "team": submission.team,
        "state": state,
        "member": member,
        "editable": state.open and member,
        "time_left": time_left(state.deadline - now) if state.open and state.deadline else "",
        "slots": slots,
        "versions": versions,
        "unsettled": unsettled,
        "verifying": any(r.status == FileStatus.VERIFYING for r in unsettled.values()),
        "rejection": rules.rejection,
        "missing": services.missing_slots(submission, slots, versions),
        "summary_html": render_markdown(submission.summary),
        "form": form or SubmissionForm(obj=submission),
        "action_form": ActionForm(),
        "quota_used": services.quota_used(submission.id),
        "human_size": human_size,
        "messages": upload_messages(),
        "multipart_threshold": multipart_threshold(),
    }


@bp.get("/events/<slug>/submission")
@login_required
def mine(slug: str) -> ResponseReturnValue:
    """The signed-in member's team submission (made as a draft on the first visit)."""
    event = events.get_event(slug)
    team = team_of(current_user, event)
    if team is None:
        flash(_("Submissions are made by teams: join or create a team first."), "info")
        return redirect(url_for("events.event", slug=event.slug))
    with writing():
        submission = services.get_or_create_submission(team)
    return redirect(url_for("submissions.show", submission_id=submission.id))


@bp.get("/submissions/<int:submission_id>")
@login_required
def show(submission_id: int) -> ResponseReturnValue:
    submission = rules.visible_submission(current_user, submission_id)
    return render_template("submissions/show.html", **page_context(submission))


@bp.post("/submissions/<int:submission_id>")
@login_required
def save(submission_id: int) -> ResponseReturnValue:
    submission = rules.member_submission(current_user, submission_id)
    form = SubmissionForm()
    if form.validate():
        with writing(form, catch=ValidationFailed) as write:
            services.update_details(
                submission,
                current_user,
                title=form.title.data,
                summary=form.summary.data,
                repo_url=form.repo_url.data,
                demo_url=form.demo_url.data,
            )
        if write.ok:
            flash(_("The submission is saved."), "success")
            return redirect(url_for("submissions.show", submission_id=submission.id))
    submission = db.session.get_one(Submission, submission_id)
    return render_template("submissions/show.html", **page_context(submission, form)), 422


@bp.post("/submissions/<int:submission_id>/submit")
@login_required
def submit(submission_id: int) -> ResponseReturnValue:
    submission = rules.member_submission(current_user, submission_id)
    if ActionForm().validate():
        with writing():
            services.submit(submission, current_user)
        flash(
            _("Your team's submission is handed in. You can still change it until the deadline."),
            "success",
        )
    return redirect(url_for("submissions.show", submission_id=submission_id))


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """Byte counts in the reader's number format, on any page (judges see file sizes too)."""
    return human_size(size)
