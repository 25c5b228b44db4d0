"""The pages behind mailed links (an invitation, a password reset, confirming an address)
and the forms that ask for them. A link's page shows a form and uses the link only when
it is sent (a mail scanner that opens every link uses none up); a link that no longer
works gets a page that says so. See docs/accounts.md."""

from __future__ import annotations

from flask import (
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.accounts import services
from hackathon.accounts.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    InvitationForm,
    ResetPasswordForm,
)
from hackathon.accounts.models import AccountToken, TokenPurpose
from hackathon.accounts.services import links
from hackathon.accounts.views import bp, email_key, limited_like_sign_in, start_session
from hackathon.web import attach_errors, writing


def _link_key() -> str:
    """A link belongs to one account: it is the account's key in the rate limits."""
    token = (request.view_args or {}).get("token", "")
    return "link:" + links.hash_token(str(token))


def _signed_in_key() -> str:
    return f"user:{current_user.id}"


def _private(body: str, status: int = 200) -> Response:
    """A page reached through a secret link: kept out of every cache."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _invalid(purpose: TokenPurpose) -> Response:
    page = render_template(
        "accounts/link_invalid.html", purpose=str(purpose), message=services.InvalidLink.message
    )
    return _private(page, 410)


def _event_name(event: dict[str, str] | None) -> str | None:
    if event is None:
        return None
    return event["name_en"] if event["name_en"] and str(get_locale()) == "en" else event["name"]


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limited_like_sign_in(_link_key)
def invitation(token: str):
    try:
        link: AccountToken = services.find_link(token, TokenPurpose.INVITE)
    except services.InvalidLink:
        return _invalid(TokenPurpose.INVITE)
    person = link.user
    form = InvitationForm(name=person.name)
    if form.validate_on_submit():
        with writing(form, field="password", quiet=True) as write:
            link = services.accept_invitation(token, form.name.data, form.password.data)
            event = services.invitation_event(link)
        if isinstance(write.error, services.InvalidLink):
            return _invalid(TokenPurpose.INVITE)
        if write.error is not None:
            attach_errors(form, write.error, field="password")
        else:
            start_session(person)
            flash(_("Welcome! Your password is set and you are signed in."), "success")
            if event is not None:
                return redirect(url_for("events.event", slug=event["slug"]))
            return redirect(url_for("events.home"))
    page = render_template(
        "accounts/invitation.html",
        form=form,
        person=person,
        event_name=_event_name(services.invitation_event(link)),
    )
    return _private(page, 422 if form.errors else 200)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limited_like_sign_in(email_key)  # every request may send a mail
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with writing():
            services.request_password_reset(form.email.data)
        # The same page whether or not the address has an account.
        return render_template("accounts/check_mail.html", purpose="reset")
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limited_like_sign_in(_link_key)
def reset_password(token: str):
    try:
        person = services.find_link(token, TokenPurpose.RESET).user
    except services.InvalidLink:
        return _invalid(TokenPurpose.RESET)
    first_password = person.password_hash is None
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with writing(form, field="password", quiet=True) as write:
            services.reset_password(token, form.password.data)
        if isinstance(write.error, services.InvalidLink):
            return _invalid(TokenPurpose.RESET)
        if write.error is not None:
            attach_errors(form, write.error, field="password")
        else:
            start_session(person)  # under the new session version: every other one ended
            if first_password:
                flash(_("Your password is set and you are signed in."), "success")
            else:
                flash(_("Your new password is set. Every other device is signed out."), "success")
            return redirect(url_for("events.home"))
    page = render_template(
        "accounts/reset.html", form=form, person=person, first_password=first_password
    )
    return _private(page, 422 if form.errors else 200)


@bp.route("/verify/<token>", methods=["GET", "POST"])
@limited_like_sign_in(_link_key)
def verify_email(token: str):
    try:
        person = services.find_link(token, TokenPurpose.VERIFY).user
    except services.InvalidLink:
        return _invalid(TokenPurpose.VERIFY)
    form = ConfirmForm()
    if form.validate_on_submit():
        with writing(catch=services.InvalidLink, quiet=True) as write:
            services.verify_email(token)
        if not write.ok:
            return _invalid(TokenPurpose.VERIFY)
        if current_user.is_authenticated and current_user.id == person.id:
            flash(_("Your e-mail address is confirmed."), "success")
            return redirect(url_for("events.home"))
        flash(_("Your e-mail address is confirmed. Sign in with your password."), "success")
        return redirect(url_for("accounts.login"))
    return _private(render_template("accounts/verify.html", form=form, person=person))


@bp.post("/account/verify")
@login_required
@limited_like_sign_in(_signed_in_key)  # each request mails the address
def resend_verification():
    form = ConfirmForm()
    if form.validate_on_submit() and not services.is_verified(current_user):
        with writing():
            services.send_verification(current_user._get_current_object())
        flash(
            _(
                "We sent a new link to %(email)s. It replaces the earlier ones.",
                email=current_user.email,
            ),
            "success",
        )
    return redirect(url_for("accounts.profile"))
