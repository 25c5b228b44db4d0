"""Who makes a request: a signed-in account or an anonymous visitor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeAlias

from hackathon.accounts.models import User

if TYPE_CHECKING:
    from typing_extensions import TypeIs


class Anonymous(Protocol):
    """A visitor who has not signed in: Flask-Login's anonymous user, which has no id."""

    @property
    def is_authenticated(self) -> bool: ...


# Whoever makes the request (`current_user`): a signed-in account or an anonymous visitor.
# Rules that take one read the person's fields only after `signed_in(user)`.
Viewer: TypeAlias = User | Anonymous


def signed_in(user: Viewer) -> TypeIs[User]:
    """Whether `user` is a signed-in account (and so has an id, roles, a team...)."""
    return bool(getattr(user, "is_authenticated", False))
