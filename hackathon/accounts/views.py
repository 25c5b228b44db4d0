from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hackathon.accounts import bp, services
from hackathon.accounts.forms import LoginForm, PasswordForm, ProfileForm, SignupForm
from hackathon.auth import is_safe_next
from hackathon.errors import DomainError
from hackathon.extensions import db, limiter
from hackathon.i18n import LANGUAGES


def _login_failed(response) -> bool:
    # Only failed attempts use up the allowance; a success redirects.
    return response.status_code != 302


def _account_key() -> str:
    return "login:" + services.normalize_email(request.form.get("email", ""))


def _after_login_target(candidate: str | None) -> str:
    return candidate if is_safe_next(candidate) else url_for("events.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_account_key,
    deduct_when=_login_failed,
)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            session.clear()  # a fresh session on sign-in: nothing carried over
            login_user(user)
            return redirect(_after_login_target(form.next.data))
        flash(_("The e-mail address or password is not correct."), "error")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("events.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if not current_app.config["SIGNUP_ENABLED"]:
        abort(404)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data,
                form.name.data,
                form.password.data,
                locale=session.get("lang"),
            )
        except DomainError as error:
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("events.home"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user, locale=current_user.locale or "")
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data, locale=form.locale.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, password_form=PasswordForm())


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            form.current.errors = [*form.current.errors, str(error.message)]
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # this browser stays signed in with the new version
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(obj=current_user, locale=current_user.locale or "")
    return render_template("accounts/profile.html", form=profile_form, password_form=form), 422


@bp.post("/lang/<code>")
def set_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        services.update_profile(current_user, name=current_user.name, locale=code)
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("events.home"))
