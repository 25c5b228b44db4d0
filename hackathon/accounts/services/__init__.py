"""The accounts feature's use cases, one module per topic:

- `sessions`: creating accounts, sign-in, passwords, profiles, the session version.

What other features use is gathered here, so `from hackathon.accounts.services import
normalize_email` works.
"""

from hackathon.accounts.services.sessions import (
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    BadEmail,
    BadName,
    EmailTaken,
    WeakPassword,
    WrongPassword,
    authenticate,
    change_password,
    check_email,
    check_name,
    check_password_strength,
    create_user,
    end_all_sessions,
    find_user,
    is_valid_email,
    load_session_user,
    normalize_email,
    set_disabled,
    set_locale,
    set_password,
    update_profile,
)

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "BadEmail",
    "BadName",
    "EmailTaken",
    "WeakPassword",
    "WrongPassword",
    "authenticate",
    "change_password",
    "check_email",
    "check_name",
    "check_password_strength",
    "create_user",
    "end_all_sessions",
    "find_user",
    "is_valid_email",
    "load_session_user",
    "normalize_email",
    "set_disabled",
    "set_locale",
    "set_password",
    "update_profile",
]
