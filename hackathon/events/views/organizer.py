"""The organizers' pages: the event's settings and its people."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from hackathon import csvio
from hackathon.accounts.models import User
from hackathon.errors import DomainError, NotFound, ValidationFailed
from hackathon.events import services
from hackathon.events.forms import AddPersonForm, EventForm, RosterConfirmForm, RosterUploadForm
from hackathon.events.models import ROLE_LABELS, Event, Role
from hackathon.events.services import invitations, registration, roles, roster_files
from hackathon.events.views import _program_choices, bp, event_values
from hackathon.extensions import db
from hackathon.mail import MailStatus
from hackathon.web import Write, writing


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug: str) -> ResponseReturnValue:
    event = services.organized_event(slug)
    form = EventForm(data=_form_values(event))
    form.program_id.choices = _program_choices()
    if form.validate_on_submit():
        with writing(form, catch=ValidationFailed) as write:
            services.update_event(event, name=form.name.data.strip(), **event_values(form))
        if write.ok:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.event", slug=event.slug))
    form.slug.render_kw = {"readonly": True}
    return render_template("events/edit.html", form=form, event=event)


def _form_values(event: Event) -> dict[str, Any]:
    """The event's settings for its form, times as wall-clock values in its own zone."""
    zone = ZoneInfo(event.timezone)
    values: dict[str, Any] = {field: getattr(event, field) for field in services.EVENT_FIELDS}
    for field, _label in services.TIMELINE:
        if values[field] is not None:
            values[field] = values[field].astimezone(zone).replace(tzinfo=None)
    values["program_id"] = values["program_id"] or 0
    values["slug"] = event.slug
    return values


# The people page: who takes part in which role, their invitations and mail, adding one
# person, taking a role away, a roster file through a preview, registration requests.


def _people_page(
    event: Event,
    *,
    add_form: AddPersonForm | None = None,
    upload_form: RosterUploadForm | None = None,
    status: int = 200,
):
    role = request.args.get("role", "")
    role = role if role in set(Role) else ""
    query = request.args.get("q", "").strip()[:100]
    html = render_template(
        "events/people.html",
        event=event,
        people=roles.listing(event, role or None, query),
        counts=roles.role_counts(event),
        role=role,
        q=query,
        roles=list(Role),
        add_form=add_form or AddPersonForm(prefix="add"),
        upload_form=upload_form or RosterUploadForm(prefix="roster"),
        requests=registration.pending_requests(event),
        access_labels=ACCESS_LABELS,
        mail_labels=MAIL_LABELS,
        company_roles=roles.COMPANY_ROLES,
    )
    return html, status


ACCESS_LABELS = {
    "active": _l("Has a password"),
    "accepted": _l("Invitation accepted"),
    "pending": _l("Invited"),
    "expired": _l("Invitation expired"),
    "none": _l("Not invited"),
}
MAIL_LABELS = {
    MailStatus.PENDING: _l("Mail waiting to be sent"),
    MailStatus.SENDING: _l("Mail being sent"),
    MailStatus.SENT: _l("Mail sent"),
    MailStatus.FAILED: _l("Mail failed"),
}


def _back_to_people(event: Event):
    """To the people page with the filter the form came from."""
    role = request.form.get("back_role", "")
    query = request.form.get("back_q", "")
    return redirect(
        url_for(
            "events.people_page",
            slug=event.slug,
            role=role if role in set(Role) else None,
            q=query[:100] or None,
        )
    )


@bp.route("/events/<slug>/people", methods=["GET", "POST"])
@login_required
def people_page(slug: str) -> ResponseReturnValue:
    event = services.organized_event(slug)
    form = AddPersonForm(prefix="add")
    if not form.validate_on_submit():
        return _people_page(event, add_form=form, status=422 if form.errors else 200)
    with writing(form, field="role") as write:
        user, created = roles.add_person(
            event,
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            company=form.company.data or "",
        )
        invited = bool(form.invite.data) and bool(invitations.invite_due(event, [user]))
    if write.error is not None:  # shown under the form's fields (or under the role)
        status = 422 if isinstance(write.error, ValidationFailed) else 409
        return _people_page(event, add_form=form, status=status)
    role_name = ROLE_LABELS[Role(form.role.data)]
    if invited:
        message = _("%(name)s is added as %(role)s and invited.", name=user.name, role=role_name)
    else:
        message = _("%(name)s is added as %(role)s.", name=user.name, role=role_name)
    if not created:
        message += " " + _("They had an account already; it keeps its name.")
    flash(message, "success")
    return redirect(url_for("events.people_page", slug=event.slug))


@bp.post("/events/<slug>/people/<int:user_id>/roles/<role>/remove")
@login_required
def remove_role(slug: str, user_id: int, role: str) -> ResponseReturnValue:
    event = services.organized_event(slug)
    with writing(catch=DomainError) as write:
        user = roles.remove_role(event, user_id, role)
    if not write.ok:
        return _refused(event, write)
    flash(
        _("%(name)s is no longer %(role)s.", name=user.name, role=ROLE_LABELS[Role(role)]),
        "success",
    )
    return _back_to_people(event)


@bp.post("/events/<slug>/people/<int:user_id>/invite")
@login_required
def resend_invitation(slug: str, user_id: int) -> ResponseReturnValue:
    event = services.organized_event(slug)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    with writing(catch=DomainError) as write:
        invitations.resend(event, user)
    if not write.ok:
        return _refused(event, write)
    flash(
        _(
            "A new invitation is on its way to %(email)s; the earlier link no longer works.",
            email=user.email,
        ),
        "success",
    )
    return _back_to_people(event)


@bp.post("/events/<slug>/people/requests/<int:request_id>")
@login_required
def decide_request(slug: str, request_id: int) -> ResponseReturnValue:
    event = services.organized_event(slug)
    decision = request.form.get("decision")
    if decision not in ("accept", "decline"):
        abort(400)
    with writing(catch=DomainError) as write:
        decided = registration.decide(
            event, request_id, current_user._get_current_object(), decision == "accept"
        )
    if not write.ok:
        return _refused(event, write)
    name = decided.user.name
    if decision == "accept":
        flash(_("%(name)s takes part as a participant.", name=name), "success")
    else:
        flash(_("The request of %(name)s is declined.", name=name), "success")
    return _back_to_people(event)


@bp.post("/events/<slug>/people/upload")
@login_required
def upload_roster(slug: str) -> ResponseReturnValue:
    event = services.organized_event(slug)
    form = RosterUploadForm(prefix="roster")
    if not form.validate_on_submit():
        return _people_page(event, upload_form=form, status=422)
    upload = form.file.data
    data = upload.stream.read(roster_files.MAX_FILE_BYTES + 1)
    try:
        roster_files.as_csv(data, upload.filename or "")
    except roster_files.UnreadableFile as error:
        form.file.errors = [*form.file.errors, str(error.message)]
        return _people_page(event, upload_form=form, status=422)
    upload_id = roster_files.keep(event, current_user, data)
    return redirect(url_for("events.roster_preview", slug=event.slug, upload_id=upload_id))


@bp.route("/events/<slug>/people/upload/<upload_id>", methods=["GET", "POST"])
@login_required
def roster_preview(slug: str, upload_id: str) -> ResponseReturnValue:
    """The file's problems, or what it would change and the button that does it. The
    file is read from the server each time: the confirmation checks it all again."""
    event = services.organized_event(slug)
    try:
        data = roster_files.as_csv(roster_files.fetch(event, current_user, upload_id))
    except (roster_files.UploadGone, roster_files.UnreadableFile) as error:
        flash(str(error.message), "error")
        return redirect(url_for("events.people_page", slug=event.slug))
    form = RosterConfirmForm()
    if form.validate_on_submit():
        try:
            with writing(catch=DomainError) as write:
                result, invited = roster_files.import_file(
                    event, data, invite=bool(form.invite.data)
                )
        except csvio.ImportFailed as failure:  # rolled back: nothing of the file is written
            outcome = roster_files.Preview(problems=failure.problems)
            return _preview_page(event, upload_id, outcome, form, 422)
        if not write.ok:  # flashed
            return redirect(url_for("events.roster_preview", slug=slug, upload_id=upload_id))
        roster_files.forget(event, current_user, upload_id)
        flash(_("The roster is imported: %(result)s.", result=str(result)), "success")
        if form.invite.data:
            flash(
                ngettext("%(num)d person invited.", "%(num)d people invited.", invited),
                "success",
            )
        return redirect(url_for("events.people_page", slug=event.slug))
    outcome = roster_files.preview(event, data)
    return _preview_page(event, upload_id, outcome, form, 422 if outcome.problems else 200)


def _preview_page(event: Event, upload_id: str, outcome, form: RosterConfirmForm, status: int):
    html = render_template(
        "events/roster_preview.html",
        event=event,
        upload_id=upload_id,
        outcome=outcome,
        form=form,
    )
    return html, status


def _refused(event: Event, write: Write) -> ResponseReturnValue:
    """After a refused button on the people page: 404 for what is not there (or not this
    event's), else back to the page, where the refusal is flashed."""
    if isinstance(write.error, NotFound):
        abort(404)
    return _back_to_people(event)
