"""Settings come from the environment; production refuses to start without a secret key."""

import pytest
from sqlalchemy import text

import config
from config import ConfigError, ProductionConfig, TestConfig, database_url
from course import create_app
from course.extensions import db


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ConfigError, match=r"SECRET_KEY is not set\. In production, set the"):
        create_app(ProductionConfig, {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_refuses_to_start_without_a_database_url():
    with pytest.raises(ConfigError, match=r"DATABASE_URL is not set\. In production, set it"):
        create_app(ProductionConfig, {"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": None})


# What a deployment sets besides its secrets (see the README's Deploying section).
DEPLOYED = {"COURSE_BASE_URL": "https://course.example.org", "MAIL_BACKEND": "log"}


def test_production_starts_with_a_secret_key(tmp_path):
    app = create_app(ProductionConfig, {
        **DEPLOYED,
        "SECRET_KEY": "from-the-environment",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
    })
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(("changes", "message"), [
    ({"COURSE_BASE_URL": None}, "COURSE_BASE_URL is not set"),
    ({"COURSE_BASE_URL": "http://course.example.org"}, "must start with https://"),
    ({"MAIL_BACKEND": None}, "MAIL_SERVER is not set, so nobody could get a password-reset"),
    ({"MAIL_BACKEND": "console"}, "MAIL_BACKEND='console' can't be used in production"),
    ({"MAIL_BACKEND": "smtp"}, "MAIL_BACKEND=smtp needs MAIL_SERVER"),
])
def test_production_refuses_settings_that_would_fail_later(tmp_path, changes, message):
    settings = {**DEPLOYED, "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "sqlite://", **changes}
    with pytest.raises(ConfigError, match=message):
        create_app(ProductionConfig, settings)


def test_production_answers_only_to_its_own_host_name(tmp_path):
    app = create_app(ProductionConfig, {
        **DEPLOYED, "SECRET_KEY": "s", "COURSE_ALLOWED_HOSTS": "localhost",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
    })
    client = app.test_client()
    assert client.get("/", base_url="https://course.example.org").status_code == 200
    assert client.get("/", base_url="https://localhost").status_code == 200
    assert client.get("/", base_url="https://evil.example").status_code == 400


def test_development_makes_a_secret_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    first = config.development_secret_key()
    second = config.development_secret_key()

    assert first == second
    assert len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_an_unknown_environment_name_is_explained(monkeypatch):
    monkeypatch.setenv("COURSE_ENV", "prod")
    with pytest.raises(ConfigError, match="COURSE_ENV='prod' is not known; use one of"):
        config.config_from_environment()


@pytest.mark.parametrize(("given", "expected"), [
    (None, f"sqlite:///{config.INSTANCE_DIR / 'course.db'}"),
    ("postgres://u:p@db/course", "postgresql+psycopg://u:p@db/course"),
    ("postgresql://u:p@db/course", "postgresql+psycopg://u:p@db/course"),
    ("postgresql+psycopg://u@db/course", "postgresql+psycopg://u@db/course"),
    ("sqlite:////srv/course.db", "sqlite:////srv/course.db"),
])
def test_database_url_defaults_to_sqlite_and_names_the_postgres_driver(given, expected):
    assert database_url(given) == expected


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()
