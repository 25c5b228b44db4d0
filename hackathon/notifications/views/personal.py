"""A signed-in person's own pages: their notifications, newest first, and which kinds
also come by e-mail."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.auth import is_safe_next
from hackathon.notifications import rules, services
from hackathon.notifications.forms import chosen, settings_form
from hackathon.notifications.views import bp
from hackathon.numbers import ascii_int
from hackathon.web import writing


@bp.get("/notifications")
@login_required
def index():
    page = max(request.args.get("page", 1, type=ascii_int) or 1, 1)
    rows, more = services.recent(current_user.id, page)
    # The text is made now, in the reader's language, from the kind and its values.
    items = [(n, rules.title_of(n), rules.text_of(n)) for n in rows]
    return render_template(
        "notifications/index.html",
        items=items,
        page=page,
        more=more,
        unread=rules.unread_count(current_user.id),
    )


@bp.get("/notifications/<int:notification_id>")
@login_required
def follow(notification_id: int):
    """Follow a notification (from the list or its e-mail): it is read, then its page."""
    notification = rules.own_notification(current_user.id, notification_id)
    with writing():
        services.mark_read(notification)
    target = notification.link
    return redirect(target if is_safe_next(target) else url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required
def read_all():
    with writing():
        services.mark_all_read(current_user.id)
    flash(_("Every notification is marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = settings_form(rules.mail_settings(current_user.id))
    if form.validate_on_submit():
        with writing():
            services.set_mail_settings(current_user.id, chosen(form))
        flash(_("Your e-mail settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template(
        "notifications/settings.html", form=form, kinds=list(rules.KINDS.values())
    )
