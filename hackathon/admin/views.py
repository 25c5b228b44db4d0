"""Site administration: programs, events, companies, accounts and the mail outbox."""

from __future__ import annotations

import re

import nh3
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from hackathon.accounts import services as accounts
from hackathon.accounts.models import User
from hackathon.auth import admin_required
from hackathon.errors import Conflict, NotFound
from hackathon.events import services as events
from hackathon.events.forms import CompanyForm, EventForm, ProgramForm
from hackathon.events.models import Company, Event, Program
from hackathon.events.views import _program_choices, event_values
from hackathon.extensions import db
from hackathon.mail.models import MailStatus, OutboxMessage
from hackathon.numbers import ascii_int
from hackathon.web import writing

bp = Blueprint("admin", __name__)

PAGE_SIZE = 50


@bp.get("/")
@admin_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "admin/dashboard.html",
        programs=db.session.scalars(select(Program).order_by(Program.id)).all(),
        events=db.session.scalars(select(Event).order_by(Event.id)).all(),
        companies=db.session.scalars(select(Company).order_by(Company.name)).all(),
        user_count=db.session.scalar(select(func.count(User.id))),
    )


@bp.route("/programs/new", methods=["GET", "POST"])
@admin_required
def new_program() -> ResponseReturnValue:
    form = ProgramForm()
    if form.validate_on_submit():
        with writing(form, field="slug") as write:
            program = events.create_program(
                form.slug.data, form.name.data, form.name_en.data or None, form.description.data
            )
        if write.ok:
            flash(_("The program is created."), "success")
            return redirect(url_for("events.program", slug=program.slug))
    return render_template("admin/program_form.html", form=form)


@bp.route("/events/new", methods=["GET", "POST"])
@admin_required
def new_event() -> ResponseReturnValue:
    form = EventForm()
    form.program_id.choices = _program_choices()
    program = request.args.get("program", type=ascii_int)
    if request.method == "GET" and program is not None and program >= 0:
        form.program_id.data = program
    if form.validate_on_submit():
        with writing(form, field="slug") as write:
            event = events.create_event(form.slug.data, form.name.data, **event_values(form))
        if write.ok:
            flash(_("The event is created."), "success")
            return redirect(url_for("events.event", slug=event.slug))
    return render_template("events/edit.html", form=form, event=None)


@bp.route("/companies/new", methods=["GET", "POST"])
@admin_required
def new_company() -> ResponseReturnValue:
    form = CompanyForm()
    if form.validate_on_submit():
        with writing(form, field="name") as write:
            name = form.name.data.strip()
            if db.session.scalar(select(Company.id).where(Company.name == name)):
                raise Conflict(_("A company with this name exists already."))
            db.session.add(
                Company(
                    name=name,
                    description=form.description.data or "",
                    website=form.website.data or "",
                )
            )
        if write.ok:
            flash(_("The company is added."), "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("admin/company_form.html", form=form)


@bp.get("/users")
@admin_required
def users() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=ascii_int), 1)
    stmt = select(User).order_by(User.id)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.name).like(like))
    rows = db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("admin/users.html", users=rows, q=query, page=page, page_size=PAGE_SIZE)


@bp.post("/users/<int:user_id>/disabled")
@admin_required
def set_disabled(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    back = redirect(url_for("admin.users", q=request.form.get("q", "")))
    disable = request.form.get("disabled") == "1"
    if disable and user.id == current_user.id:
        # An administrator who locks themselves out may leave no one able to undo it.
        flash(_("You cannot disable your own account."), "error")
        return back
    with writing():
        accounts.set_disabled(user, disable)
    flash(
        _("The account is disabled.") if user.disabled else _("The account is enabled."), "success"
    )
    return back


LINK = re.compile(r"https?://[^\s<>\"']+")


@bp.get("/mail")
@admin_required
def outbox():
    """Every message the platform wrote, newest first: what was sent, what waits, what
    failed and why. With no mail server configured this is where mail is read."""
    status = request.args.get("status", "")
    q = (request.args.get("q") or "").strip()[:100]
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in set(MailStatus):
        query = query.where(OutboxMessage.status == status)
    if q:  # an address, or words of the subject
        pattern = f"%{q.lower()}%"
        query = query.where(
            func.lower(OutboxMessage.to_address).like(pattern)
            | func.lower(OutboxMessage.subject).like(pattern)
        )
    page = max(request.args.get("page", 1, type=ascii_int) or 1, 1)
    messages = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "admin/outbox.html",
        messages=messages,
        status=status,
        q=q,
        statuses=list(MailStatus),
        page=page,
        page_size=PAGE_SIZE,
        mail_configured=bool(current_app.config["MAIL_URL"]),
    )


@bp.get("/mail/<int:message_id>")
@admin_required
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound()
    # Our own HTML, cleaned all the same before it is shown inside a page of ours.
    cleaned = nh3.clean(message.html_body) if message.html_body else None
    html = Markup(cleaned) if cleaned is not None else None  # noqa: S704  # nosec B704  # nh3
    return render_template(
        "admin/outbox_message.html",
        message=message,
        links=list(dict.fromkeys(LINK.findall(message.text_body))),
        html=html,
    )
