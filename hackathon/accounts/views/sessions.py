"""Sign-in, sign-out, sign-up, the profile and the language switch."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hackathon.accounts import services
from hackathon.accounts.forms import LoginForm, PasswordForm, ProfileForm, SignupForm
from hackathon.accounts.views import (
    bp,
    email_key,
    fresh_session,
    limited_like_sign_in,
    start_session,
)
from hackathon.auth import is_safe_next
from hackathon.i18n import LANGUAGES
from hackathon.web import writing


def _login_failed(response: Response) -> bool:
    # Only failed attempts use up the allowance: a successful sign-in is the one response
    # that redirects (a failure re-renders the form, a bad CSRF token is a 400).
    return response.status_code != 302


def _safe_next(candidate: str | None) -> str:
    return candidate if candidate and is_safe_next(candidate) else ""


def _after_login_target(candidate: str | None) -> str:
    return _safe_next(candidate) or url_for("events.home")


@bp.route("/login", methods=["GET", "POST"])
@limited_like_sign_in(email_key, deduct_when=_login_failed)
def login() -> ResponseReturnValue:
    form = LoginForm(next=_safe_next(request.args.get("next")))
    if form.validate_on_submit():
        with writing():  # a rehashed password, if the parameters changed
            user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user)
            return redirect(_after_login_target(form.next.data))
        flash(_("The e-mail address or password is not correct."), "error")
    form.next.data = _safe_next(form.next.data)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    with writing():
        services.end_all_sessions(current_user._get_current_object())
    logout_user()
    fresh_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("events.home"))


@bp.route("/signup", methods=["GET", "POST"])
@limited_like_sign_in(email_key)  # each sign-up mails the address
def signup() -> ResponseReturnValue:
    if not current_app.config["SIGNUP_ENABLED"]:
        abort(404)
    form = SignupForm()
    if form.validate_on_submit():
        with writing(form, field="email") as write:
            services.sign_up(
                form.email.data, form.name.data, form.password.data, locale=session.get("lang")
            )
        if write.ok:
            # The same page whether an account was created or an invitation sent instead.
            return render_template("accounts/check_mail.html", purpose="signup")
    return render_template("accounts/signup.html", form=form)


def _profile_form() -> ProfileForm:
    # Filled from keyword data, not obj=: an unset language must select "automatic".
    return ProfileForm(name=current_user.name, locale=current_user.locale or "")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    form = _profile_form()
    if form.validate_on_submit():
        with writing(form, field="name") as write:
            services.update_profile(current_user, name=form.name.data, locale=form.locale.data)
        if write.ok:
            if form.locale.data in LANGUAGES:
                session["lang"] = form.locale.data
            else:
                session.pop("lang", None)
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    status = 422 if form.errors else 200
    return render_template("accounts/profile.html", form=form, password_form=PasswordForm()), status


@bp.post("/account/password")
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    if form.validate_on_submit():
        with writing(form, field="current") as write:
            services.change_password(current_user, form.current.data, form.new.data)
        if write.ok:
            # This browser stays signed in under the new session version; others are out.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=_profile_form(), password_form=form), 422


@bp.post("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        with writing():
            services.set_locale(current_user, code)
    return redirect(_safe_next(request.form.get("next")) or url_for("events.home"))
