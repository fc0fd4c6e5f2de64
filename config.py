"""Settings, read from the environment.

`COURSE_ENV` picks the kind of deployment: `development` (the default) or `production`.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COURSE_INSTANCE_DIR", BASE_DIR / "instance")).resolve()


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says what to do."""


def database_url(url: str | None) -> str:
    """Return the SQLAlchemy URL for DATABASE_URL, defaulting to SQLite under instance/."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'course.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def development_secret_key() -> str:
    """Return the development secret key kept in instance/, making it on first use."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only, from the moment it exists.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    COURSE_CONTENT_DIR = os.environ.get("COURSE_CONTENT_DIR", str(BASE_DIR / "content" / "modules"))
    COURSE_RESOURCES_FILE = os.environ.get(
        "COURSE_RESOURCES_FILE", str(BASE_DIR / "content" / "resources.md")
    )
    # Reload a module file when it changes on disk (development only).
    COURSE_RELOAD_CONTENT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Anyone may sign up and start a self-paced family; otherwise people join by invite only.
    COURSE_OPEN_REGISTRATION = os.environ.get("COURSE_OPEN_REGISTRATION", "true") == "true"
    COURSE_INVITE_DAYS = int(os.environ.get("COURSE_INVITE_DAYS", "14"))
    PASSWORD_RESET_MINUTES = 60
    # Outgoing mail: "smtp" through MAIL_SERVER, "log" writes messages to the log (the default
    # when no MAIL_SERVER is set), "memory" keeps them in app.extensions["outbox"] for tests.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp" if MAIL_SERVER else "log")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true") == "true"
    MAIL_FROM = os.environ.get("MAIL_FROM", "Family Course <no-reply@localhost>")
    # Failed logins allowed per address and per account; use a shared store (redis://...)
    # when running several processes.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "10 per 15 minutes")


class DevelopmentConfig(Config):
    """Local development: a secret key kept in instance/, content reloaded on change."""

    COURSE_RELOAD_CONTENT = True


class ProductionConfig(Config):
    """A real deployment: every secret comes from the environment."""

    ENV_NAME = "production"
    COURSE_OPEN_REGISTRATION = os.environ.get("COURSE_OPEN_REGISTRATION", "false") == "true"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    # A real deployment never falls back to the SQLite file by accident.
    SQLALCHEMY_DATABASE_URI = (
        database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )


class TestConfig(Config):
    """The test suite: a throwaway database and no CSRF tokens to fetch (tests that check CSRF
    turn it back on)."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    COURSE_OPEN_REGISTRATION = True
    MAIL_BACKEND = "memory"


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def config_from_environment() -> type[Config]:
    """Return the settings class named by COURSE_ENV (default: development)."""
    name = os.environ.get("COURSE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"COURSE_ENV={name!r} is not known; use one of: {', '.join(CONFIGS)}"
        ) from None


def finish(config: dict) -> None:
    """Fill settings that depend on others; raise ConfigError when a required one is missing."""
    production = config["ENV_NAME"] == "production"
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError(
            "DATABASE_URL is not set. In production, set it to your PostgreSQL database, "
            "for example postgresql://user:password@host/course"
        )
    if config.get("SECRET_KEY"):
        return
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. In production, set the SECRET_KEY environment variable "
            'to a long random value, for example the output of: python -c "import secrets; '
            'print(secrets.token_hex(32))"'
        )
    config["SECRET_KEY"] = development_secret_key()
