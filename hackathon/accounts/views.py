from __future__ import annotations

from flask import (
    Blueprint,
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
from hackathon.accounts.models import User
from hackathon.auth import is_safe_next
from hackathon.errors import DomainError
from hackathon.extensions import db, limiter
from hackathon.i18n import LANGUAGES

bp = Blueprint("accounts", __name__)


def _login_failed(response: Response) -> bool:
    # Only failed attempts use up the allowance: a successful sign-in is the one response
    # that redirects (a failure re-renders the form, a bad CSRF token is a 400).
    return response.status_code != 302


def _account_key() -> str:
    return "login:" + services.normalize_email(request.form.get("email", ""))


def _safe_next(candidate: str | None) -> str:
    return candidate if candidate and is_safe_next(candidate) else ""


def _after_login_target(candidate: str | None) -> str:
    return _safe_next(candidate) or url_for("events.home")


def _fresh_session() -> None:
    """Nothing carried over from the old session but the language picked in this browser."""
    lang = session.get("lang")
    session.clear()
    if lang in LANGUAGES:
        session["lang"] = lang


def _start_session(user: User) -> None:
    _fresh_session()
    login_user(user)


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
def login() -> ResponseReturnValue:
    form = LoginForm(next=_safe_next(request.args.get("next")))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # a rehashed password, if the parameters changed
            _start_session(user)
            return redirect(_after_login_target(form.next.data))
        flash(_("The e-mail address or password is not correct."), "error")
    form.next.data = _safe_next(form.next.data)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("events.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    if not current_app.config["SIGNUP_ENABLED"]:
        abort(404)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.password.data, locale=session.get("lang")
            )
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("events.home"))
    return render_template("accounts/signup.html", form=form)


def _profile_form() -> ProfileForm:
    # Filled from keyword data, not obj=: an unset language must select "automatic".
    return ProfileForm(name=current_user.name, locale=current_user.locale or "")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    form = _profile_form()
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, name=form.name.data, locale=form.locale.data)
        except DomainError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(error.message)]
        else:
            db.session.commit()
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
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            db.session.rollback()
            form.current.errors = [*form.current.errors, str(error.message)]
        else:
            db.session.commit()
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
        services.set_locale(current_user, code)
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("events.home"))
