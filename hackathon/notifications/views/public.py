"""The one-click unsubscribe link of every notification e-mail: no sign-in, the signed
link is the permission. A GET (a person following the link) asks to confirm; a POST (the
confirm button, or the mail program's one-click request, RFC 8058) turns that kind of
e-mail off for that person."""

from __future__ import annotations

from contextlib import nullcontext

from flask import render_template, request, session
from flask_babel import force_locale
from flask_login import current_user

from hackathon.accounts.models import User
from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.notifications import rules, services
from hackathon.notifications.views import bp
from hackathon.web import writing


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    user_id, kind = services.unsubscribe_target(token)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    done = request.method == "POST"
    if done:
        with writing():
            services.set_mail(user_id, kind, False)
    # Someone who chose no language here reads the page in the language of the e-mail.
    chosen = current_user.is_authenticated or session.get("lang")
    with nullcontext() if chosen else force_locale(services.mail_locale(user)):
        return render_template(
            "notifications/unsubscribe.html",
            token=token,
            label=rules.get_kind(kind).label,
            done=done,
        )
