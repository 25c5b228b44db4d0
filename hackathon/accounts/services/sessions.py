"""Account rules: creating accounts, sign-in, passwords, profiles, sessions."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon.accounts.logic.passwords import hash_password, needs_rehash, verify_password
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.errors import Conflict, ValidationFailed
from hackathon.extensions import db
from hackathon.i18n import LANGUAGES
from hackathon.numbers import int_or_none

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_NAME_LENGTH = 100


class EmailTaken(Conflict):
    code = "email_taken"
    message = _l("An account with this e-mail address already exists.")


class WrongPassword(ValidationFailed):
    code = "wrong_password"
    message = _l("The current password is not correct.")


class WeakPassword(ValidationFailed):
    code = "weak_password"
    message = _l(
        "Use %(min)d to %(max)d characters for the password.",
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
    )


class BadEmail(ValidationFailed):
    code = "bad_email"
    message = _l("Enter a valid e-mail address.")


class BadName(ValidationFailed):
    code = "bad_name"
    message = _l("Enter a name of at most %(n)d characters.", n=MAX_NAME_LENGTH)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    """A syntactically valid address; the reserved `.test` domain is accepted, since the demo
    and rosters exported from it use it (no mail is sent to check deliverability)."""
    try:
        validate_email(email.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return len(email.strip()) <= 254


def check_email(email: str) -> str:
    """The address as stored (trimmed, lowercase); BadEmail unless it is valid."""
    if not is_valid_email(email):
        raise BadEmail()
    return normalize_email(email)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadName()
    return name


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def check_password_strength(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise WeakPassword()


def create_user(
    email: str,
    name: str,
    password: str | None,
    *,
    locale: str | None = None,
    is_admin: bool = False,
    verified: bool = False,
) -> User:
    """Create an account; the e-mail address is valid and unique regardless of case.

    `verified`: the address is known to be the person's (an account an administrator
    creates); a self sign-up starts unverified until its link is followed."""
    email = check_email(email)
    name = check_name(name)
    if locale not in (None, *LANGUAGES):
        locale = None
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise EmailTaken()
    if password is not None:
        check_password_strength(password)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password) if password is not None else None,
        locale=locale,
        is_admin=is_admin,
        skills="",
        disabled=False,
        session_version=1,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; unknown and wrong look the same."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or user.disabled:
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def end_all_sessions(user: User) -> None:
    """Every cookie issued to this user so far stops working."""
    user.session_version += 1
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    check_password_strength(new)
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def set_password(user: User, new: str) -> None:
    check_password_strength(new)
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def update_profile(user: User, *, name: str, locale: str | None) -> None:
    """Change the display name and language; an empty language means automatic."""
    user.name = check_name(name)
    user.locale = locale if locale in LANGUAGES else None
    db.session.flush()


def set_locale(user: User, locale: str | None) -> None:
    """Remember the language a signed-in person picked with the switcher."""
    user.locale = locale if locale in LANGUAGES else None
    db.session.flush()


def set_disabled(user: User, disabled: bool) -> None:
    """Disable or re-enable an account; disabling ends its sessions."""
    user.disabled = disabled
    if disabled:
        end_all_sessions(user)
    db.session.flush()


def load_session_user(token: str) -> User | None:
    """Load the user of a session cookie; an older session version is refused."""
    user_id, _, version = token.partition(":")
    number, expected = int_or_none(user_id), int_or_none(version)
    if number is None or expected is None:
        return None
    user = db.session.get(User, number)
    if user is None or user.disabled or user.session_version != expected:
        return None
    return user
