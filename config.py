"""Settings, read from environment variables only.

Defaults make `make run` work on one machine with nothing set (SQLite in `instance/`,
local file storage, in-process cache and rate limits). A production deployment
(`APP_ENV=production`) refuses to start without `SECRET_KEY` and `DATABASE_URL`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH") or BASE_DIR / "instance")
ENVIRONMENTS = ("development", "testing", "production")


def database_url(raw: str | None, instance_dir: Path = INSTANCE_DIR) -> str:
    """Normalise a database URL: `postgres://` (as hosting services hand it out),
    `postgresql://` and `postgresql+psycopg2://` all use the installed psycopg 3 driver."""
    raw = (raw or "").strip()
    if not raw:
        return f"sqlite:///{instance_dir / 'hackathon.sqlite3'}"
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def engine_options(url: str) -> dict[str, object]:
    """Each pooled connection is tested as it is taken (`pool_pre_ping`), so the
    connections a database restart killed are replaced instead of failing a request; a
    PostgreSQL that does not answer fails a connection within seconds, not minutes."""
    options: dict[str, object] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
    return options


class Config:
    """Settings for one process; built from the environment at app creation."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        environ = os.environ if env is None else env

        def flag(name: str, default: bool = False) -> bool:
            value = environ.get(name)
            if value is None or not value.strip():
                return default
            return value.strip().lower() in {"1", "true", "yes", "on"}

        def number(name: str, default: int) -> int:
            value = (environ.get(name) or "").strip()
            if not value:
                return default
            try:
                return int(value)
            except ValueError:
                raise RuntimeError(f"{name} must be a whole number, not {value!r}") from None

        def seconds(name: str, default: float) -> float:
            value = (environ.get(name) or "").strip()
            if not value:
                return default
            try:
                return float(value)
            except ValueError:
                raise RuntimeError(f"{name} must be a number of seconds, not {value!r}") from None

        self.APP_ENV = (environ.get("APP_ENV") or "development").strip().lower()
        if self.APP_ENV not in ENVIRONMENTS:
            # A typo such as "prod" must not quietly start with development settings.
            raise RuntimeError(
                f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {self.APP_ENV!r}"
            )
        production = self.APP_ENV == "production"
        if production:
            missing = [k for k in ("SECRET_KEY", "DATABASE_URL") if not environ.get(k)]
            if missing:
                raise RuntimeError(
                    "Production configuration needs these environment variables: "
                    + ", ".join(missing)
                )
        self.INSTANCE_PATH = str(Path(environ.get("INSTANCE_PATH") or BASE_DIR / "instance"))
        instance_dir = Path(self.INSTANCE_PATH)
        self.SECRET_KEY = environ.get("SECRET_KEY") or "dev-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = database_url(environ.get("DATABASE_URL"), instance_dir)
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.TESTING = self.APP_ENV == "testing"
        # Reverse proxies (load balancers) in front of the app that set X-Forwarded-For and
        # -Proto: without this every visitor shares the proxy's address in the rate limits.
        self.TRUSTED_PROXIES = number("TRUSTED_PROXIES", 0)

        # Sessions and cookies
        secure = production or flag("SESSION_COOKIE_SECURE")
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.SESSION_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.PERMANENT_SESSION_LIFETIME = number("SESSION_LIFETIME_SECONDS", 14 * 24 * 3600)
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires itself

        # Language and time
        self.LANGUAGES = ("ko", "en")
        self.BABEL_DEFAULT_LOCALE = (environ.get("DEFAULT_LOCALE") or "ko").strip()
        if self.BABEL_DEFAULT_LOCALE not in self.LANGUAGES:
            raise RuntimeError(f"DEFAULT_LOCALE must be one of {', '.join(self.LANGUAGES)}")
        self.BABEL_DEFAULT_TIMEZONE = (environ.get("DEFAULT_TIMEZONE") or "Asia/Seoul").strip()
        try:
            ZoneInfo(self.BABEL_DEFAULT_TIMEZONE)
        except (ValueError, ZoneInfoNotFoundError):
            raise RuntimeError(
                f"DEFAULT_TIMEZONE {self.BABEL_DEFAULT_TIMEZONE!r} is not a known time zone"
            ) from None

        # Redis: shared cache and rate limits; unset means in-process memory
        self.REDIS_URL = environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_ENABLED = flag("RATELIMIT_ENABLED", True)
        # If Redis goes down, each process keeps limiting on its own instead of failing
        # every sign-in with an error.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        # Keeps the keys of deployments (or test runs) that share one Redis apart.
        self.RATELIMIT_KEY_PREFIX = environ.get("RATELIMIT_KEY_PREFIX", "")
        self.LOGIN_LIMIT_PER_ADDRESS = environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute")
        self.LOGIN_LIMIT_PER_ACCOUNT = environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute")

        # Leaderboard: each process remembers a board's state and revision this long (the
        # one query a cached board costs); another process's change shows within it.
        self.LEADERBOARD_POINTER_SECONDS = seconds("LEADERBOARD_POINTER_SECONDS", 1.0)
        # A live board's public view is computed at most once in this time per process, so
        # a stream of scores does not recompute it for every one; new scores show within it.
        self.LEADERBOARD_LIVE_SECONDS = seconds("LEADERBOARD_LIVE_SECONDS", 2.0)

        # HTTP caching (docs/operations.md, "Caching"): how long a shared cache or a
        # browser may keep a published board (then serve it stale while fetching it again),
        # and the other public pages. Live and frozen boards are asked again every time.
        self.LEADERBOARD_PUBLISHED_SECONDS = number("LEADERBOARD_PUBLISHED_SECONDS", 30)
        self.LEADERBOARD_STALE_SECONDS = number("LEADERBOARD_STALE_SECONDS", 60)
        self.PUBLIC_PAGE_SECONDS = number("PUBLIC_PAGE_SECONDS", 30)

        # Storage
        self.STORAGE_BACKEND = environ.get("STORAGE_BACKEND", "local")
        self.STORAGE_LOCAL_ROOT = environ.get("STORAGE_LOCAL_ROOT") or str(instance_dir / "files")
        self.S3_BUCKET = environ.get("S3_BUCKET", "")
        self.S3_ENDPOINT_URL = environ.get("S3_ENDPOINT_URL") or None
        self.S3_REGION = environ.get("S3_REGION", environ.get("AWS_DEFAULT_REGION", "us-east-1"))
        # POST tickets pin the file's SHA-256 (x-amz-checksum-sha256), so S3 refuses other
        # bytes itself; 0 for an S3-compatible store that refuses the field.
        self.S3_POST_CHECKSUM = flag("S3_POST_CHECKSUM", True)
        # Uploads (docs/uploads.md): files up to this size are verified in the complete
        # request; larger ones by a background job, which is asked for again after the
        # retry time (longer than any job runs), up to the attempts, then the file is refused.
        self.UPLOAD_INLINE_VERIFY_BYTES = number("UPLOAD_INLINE_VERIFY_BYTES", 8 * 1024 * 1024)
        self.UPLOAD_VERIFY_RETRY_SECONDS = number("UPLOAD_VERIFY_RETRY_SECONDS", 900)
        self.UPLOAD_VERIFY_ATTEMPTS = number("UPLOAD_VERIFY_ATTEMPTS", 5)

        # Open sign-up (academies often import rosters instead)
        self.SIGNUP_ENABLED = flag("SIGNUP_ENABLED", True)

        # Mail: `smtp://user:pass@host:587?starttls=1` or `smtps://user:pass@host:465`.
        # Unset (development), messages stay in the outbox and admins read them at
        # /admin/mail.
        self.MAIL_URL = environ.get("MAIL_URL") or None
        self.MAIL_FROM = environ.get("MAIL_FROM", "AI Academy <no-reply@localhost>")
        self.MAIL_TIMEOUT_SECONDS = number("MAIL_TIMEOUT_SECONDS", 20)
        self.MAIL_MAX_ATTEMPTS = number("MAIL_MAX_ATTEMPTS", 8)
        # Links in mail and in jobs run outside a request start with this.
        self.PUBLIC_URL = (environ.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
        self.INVITATION_DAYS = number("INVITATION_DAYS", 14)
        self.PASSWORD_RESET_MINUTES = number("PASSWORD_RESET_MINUTES", 60)
        self.VERIFY_EMAIL_DAYS = number("VERIFY_EMAIL_DAYS", 3)
        # Background jobs run on Redis (RQ) when REDIS_URL is set; otherwise in this
        # process, on a thread, after the transaction that asked for them commits.
        self.JOBS_QUEUE = environ.get("JOBS_QUEUE", "hackathon")

        # Operations (docs/operations.md): logs as JSON lines in production, readable text
        # otherwise; who may read /metrics (a bearer token, else loopback only).
        self.LOG_FORMAT = (environ.get("LOG_FORMAT") or ("json" if production else "text")).strip()
        if self.LOG_FORMAT not in ("json", "text"):
            raise RuntimeError(f"LOG_FORMAT must be json or text, not {self.LOG_FORMAT!r}")
        self.LOG_LEVEL = (environ.get("LOG_LEVEL") or "INFO").strip().upper()
        if self.LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise RuntimeError(
                f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {self.LOG_LEVEL!r}"
            )
        self.METRICS_TOKEN = environ.get("METRICS_TOKEN") or None
