"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import pytest

from config import Config, database_url

GOOD_PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "a-long-random-secret",
    "DATABASE_URL": "postgresql://app@db.internal:5432/hackathon",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    with pytest.raises(RuntimeError, match=missing):
        Config(env)
    with pytest.raises(RuntimeError, match=missing):
        Config({**env, missing: ""})


def test_production_refuses_to_build_the_app(monkeypatch):
    from hackathon import create_app

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_with_both_starts_securely():
    settings = Config(GOOD_PRODUCTION)
    assert settings.SECRET_KEY == "a-long-random-secret"
    assert settings.SQLALCHEMY_DATABASE_URI == (
        "postgresql+psycopg://app@db.internal:5432/hackathon"
    )
    assert settings.SESSION_COOKIE_SECURE
    assert not settings.TESTING


@pytest.mark.parametrize("typo", ["prod", "Production ", "staging"])
def test_an_unknown_environment_name_is_refused(typo):
    if typo.strip().lower() == "production":
        Config({**GOOD_PRODUCTION, "APP_ENV": typo})  # case and spaces are forgiven
        return
    with pytest.raises(RuntimeError, match="APP_ENV"):
        Config({"APP_ENV": typo})


def test_development_defaults_work_with_nothing_set(tmp_path):
    settings = Config({"INSTANCE_PATH": str(tmp_path)})
    assert settings.APP_ENV == "development"
    database, files = settings.SQLALCHEMY_DATABASE_URI, settings.STORAGE_LOCAL_ROOT
    assert database == "sqlite:///" + str(tmp_path / "hackathon.sqlite3")
    assert settings.STORAGE_BACKEND == "local"
    assert files == str(tmp_path / "files")
    assert settings.RATELIMIT_STORAGE_URI == "memory://"
    assert settings.BABEL_DEFAULT_LOCALE == "ko"
    assert settings.BABEL_DEFAULT_TIMEZONE == "Asia/Seoul"
    assert not settings.SESSION_COOKIE_SECURE
    assert not settings.TESTING


def test_testing_is_set_only_for_the_testing_environment():
    assert Config({"APP_ENV": "testing"}).TESTING
    assert not Config({"APP_ENV": "development"}).TESTING


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("postgres://u:p@host:5432/db", "postgresql+psycopg://u:p@host:5432/db"),
        ("postgresql://u:p@host/db?sslmode=require", "postgresql+psycopg://u:p@host/db?sslmode=require"),
        ("postgresql+psycopg2://u@host/db", "postgresql+psycopg://u@host/db"),
        ("postgresql+psycopg://u@host/db", "postgresql+psycopg://u@host/db"),
        ("  postgres://u@host/db  ", "postgresql+psycopg://u@host/db"),
        ("sqlite:////var/data/app.sqlite3", "sqlite:////var/data/app.sqlite3"),
    ],
)  # fmt: skip
def test_database_url_normalisation(raw, normalised):
    assert database_url(raw) == normalised


def test_an_unset_database_url_is_sqlite_in_the_instance_folder(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'hackathon.sqlite3'}"
    assert database_url("", tmp_path) == f"sqlite:///{tmp_path / 'hackathon.sqlite3'}"


def test_redis_moves_the_rate_limits_there():
    settings = Config({"REDIS_URL": "redis://cache:6379/0"})
    assert settings.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEFAULT_LOCALE", "fr"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus_Mons"),
        ("SESSION_LIFETIME_SECONDS", "two weeks"),
        ("TRUSTED_PROXIES", "yes"),
    ],
)
def test_bad_values_are_refused_with_the_name(name, value):
    with pytest.raises(RuntimeError, match=name):
        Config({name: value})


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("yes", True), ("0", False), ("", True)]
)
def test_flags(value, expected):
    assert Config({"SIGNUP_ENABLED": value}).SIGNUP_ENABLED is expected


def test_trusted_proxies_give_the_rate_limit_the_real_address(app, instance_dir):
    from flask import request

    from tests.helpers import extra_app

    with extra_app(instance_dir, TRUSTED_PROXIES=1) as behind:

        @behind.get("/_test/address")
        def address():
            return request.remote_addr or ""

        seen = behind.test_client().get(
            "/_test/address",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
    assert seen.text == "203.0.113.9"
    plain = app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    assert plain.status_code == 200
