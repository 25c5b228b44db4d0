"""Settings, read from environment variables only.

Defaults make `make run` work on one machine with nothing set (SQLite in `instance/`,
local file storage, in-process cache and rate limits). A production deployment
(`APP_ENV=production`) refuses to start without `SECRET_KEY` and `DATABASE_URL`.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def database_url(raw: str | None) -> str:
    """Normalise a database URL; `postgres://` and `postgresql://` use psycopg 3."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'hackathon.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


class Config:
    """Settings for one process; built from the environment at app creation."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        environ = os.environ if env is None else env
        self.APP_ENV = environ.get("APP_ENV", "development")
        production = self.APP_ENV == "production"
        if production:
            missing = [k for k in ("SECRET_KEY", "DATABASE_URL") if not environ.get(k)]
            if missing:
                raise RuntimeError(
                    "Production configuration needs these environment variables: "
                    + ", ".join(missing)
                )
        self.SECRET_KEY = environ.get("SECRET_KEY") or "dev-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = database_url(environ.get("DATABASE_URL"))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.TESTING = environ.get("APP_ENV") == "testing"

        # Sessions and cookies
        secure = production or _bool("SESSION_COOKIE_SECURE")
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.SESSION_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.PERMANENT_SESSION_LIFETIME = _int("SESSION_LIFETIME_SECONDS", 14 * 24 * 3600)
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires itself

        # Language and time
        self.BABEL_DEFAULT_LOCALE = environ.get("DEFAULT_LOCALE", "ko")
        self.BABEL_DEFAULT_TIMEZONE = environ.get("DEFAULT_TIMEZONE", "Asia/Seoul")
        self.LANGUAGES = ("ko", "en")

        # Redis: shared cache and rate limits; unset means in-process memory
        self.REDIS_URL = environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.LOGIN_LIMIT_PER_ADDRESS = environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute")
        self.LOGIN_LIMIT_PER_ACCOUNT = environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute")

        # Storage
        self.STORAGE_BACKEND = environ.get("STORAGE_BACKEND", "local")
        self.STORAGE_LOCAL_ROOT = environ.get("STORAGE_LOCAL_ROOT", str(INSTANCE_DIR / "files"))
        self.S3_BUCKET = environ.get("S3_BUCKET", "")
        self.S3_ENDPOINT_URL = environ.get("S3_ENDPOINT_URL") or None
        self.S3_REGION = environ.get("S3_REGION", environ.get("AWS_DEFAULT_REGION", "us-east-1"))

        # Open sign-up (academies often import rosters instead)
        self.SIGNUP_ENABLED = _bool("SIGNUP_ENABLED", True)
