"""The accounts feature's use cases, one module per topic:

- `sessions`: creating accounts, sign-in, passwords, profiles, the session version;
- `links`: the single-use links mailed to people (tokens, their mail, `is_verified`);
- `invitations`: `invite`, accepting an invitation, `invitation_state(s)`;
- `recovery`: a forgotten password;
- `signup`: self sign-up with a confirmed address.

What other features use is gathered here, so `from hackathon.accounts.services import
invite` works. See docs/accounts.md.
"""

from hackathon.accounts.services.invitations import (
    INVITATION_LABELS,
    AccountDisabled,
    AlreadyActive,
    InvitationState,
    accept_invitation,
    invitation_event,
    invitation_state,
    invitation_states,
    invite,
)
from hackathon.accounts.services.links import (
    InvalidLink,
    find_link,
    is_verified,
    issue_link,
    redeem,
)
from hackathon.accounts.services.recovery import request_password_reset, reset_password
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
from hackathon.accounts.services.signup import send_verification, sign_up, verify_email

__all__ = [
    "INVITATION_LABELS",
    "MAX_NAME_LENGTH",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "AccountDisabled",
    "AlreadyActive",
    "BadEmail",
    "BadName",
    "EmailTaken",
    "InvalidLink",
    "InvitationState",
    "WeakPassword",
    "WrongPassword",
    "accept_invitation",
    "authenticate",
    "change_password",
    "check_email",
    "check_name",
    "check_password_strength",
    "create_user",
    "end_all_sessions",
    "find_link",
    "find_user",
    "invitation_event",
    "invitation_state",
    "invitation_states",
    "invite",
    "is_valid_email",
    "is_verified",
    "issue_link",
    "load_session_user",
    "normalize_email",
    "redeem",
    "request_password_reset",
    "reset_password",
    "send_verification",
    "set_disabled",
    "set_locale",
    "set_password",
    "sign_up",
    "update_profile",
    "verify_email",
]
