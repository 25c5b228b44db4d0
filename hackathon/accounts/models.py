"""People who use the platform."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hackathon.db import utcnow
from hackathon.extensions import Model


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    skills: Mapped[str] = mapped_column(Text, default="")
    is_admin: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool] = mapped_column(default=False)
    # Bumped on sign-out, password change and disabling: every older cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # When the person showed they read mail at this address (a link followed); None for
    # a self sign-up not yet confirmed.
    email_verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(";") if s]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class TokenPurpose(StrEnum):
    INVITE = "invite"  # set a first password (someone added by an organizer)
    RESET = "reset"  # set a new password
    VERIFY = "verify"  # confirm the address of a self sign-up


class AccountToken(Model):
    """A single-use link sent by e-mail. Only the token's SHA-256 is stored: the database
    never holds anything that opens an account."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The event an invitation is for: where the person lands once signed in.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]  # a newer link of the same purpose was sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
