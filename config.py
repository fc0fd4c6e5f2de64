"""Settings, read from the environment.

`COURSE_ENV` picks the kind of deployment: `development` (the default) or `production`.
"""

import math
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

BASE_DIR = Path(__file__).resolve().parent
# A checkout has its pyproject.toml beside this file; an installed release does not.
IN_CHECKOUT = (BASE_DIR / "pyproject.toml").is_file()
INSTANCE_DIR = Path(os.environ.get(
    "COURSE_INSTANCE_DIR", BASE_DIR / "instance" if IN_CHECKOUT else Path.cwd() / "instance"
)).resolve()


def shipped(name: str) -> Path:
    """A folder or file that ships with the app: from the checkout, or from inside the wheel."""
    if IN_CHECKOUT:
        return BASE_DIR / name
    return BASE_DIR / "course" / "_shipped" / name


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
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    COURSE_CONTENT_DIR = os.environ.get("COURSE_CONTENT_DIR", str(shipped("content/modules")))
    COURSE_RESOURCES_FILE = os.environ.get(
        "COURSE_RESOURCES_FILE", str(shipped("content/resources.md"))
    )
    # Reload a module file when it changes on disk (development only).
    COURSE_RELOAD_CONTENT = False
    # The languages modules are offered in: English, the source, then each translation's folder
    # (content/modules/es/, content/es/resources.md).
    COURSE_LANGUAGES = ("en", "es")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # "Keep me logged in" lasts a month, not Flask-Login's year; each login has its own token.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # Anyone may sign up and start a self-paced family; otherwise people join by invite only.
    COURSE_OPEN_REGISTRATION = os.environ.get("COURSE_OPEN_REGISTRATION", "true") == "true"
    COURSE_INVITE_DAYS = int(os.environ.get("COURSE_INVITE_DAYS", "14"))
    # How long the audit log keeps who looked at members' data (`flask audit prune` deletes
    # older events).
    COURSE_AUDIT_DAYS = int(os.environ.get("COURSE_AUDIT_DAYS", "365"))
    # The largest request body read (Flask answers 413 beyond it): a whole form with every
    # reflection at its longest is a small fraction of this.
    MAX_CONTENT_LENGTH = int(os.environ.get("COURSE_MAX_REQUEST_BYTES", str(2 * 1024 * 1024)))
    PASSWORD_RESET_MINUTES = 60
    # Outgoing mail (see course/mail.py): "smtp" through MAIL_SERVER; "console" prints whole
    # messages (development only: links and all); "log" notes that a message was not sent,
    # without its address or text; "memory" keeps them for tests.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp" if MAIL_SERVER else "console")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true") == "true"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false") == "true"
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "Family Course <no-reply@localhost>")
    # Tries for each message before it is given up (and logged, without its text).
    MAIL_TRIES = int(os.environ.get("MAIL_TRIES", "4"))
    MAIL_RETRY_PAUSE = float(os.environ.get("MAIL_RETRY_PAUSE", "5"))  # doubles after each try
    # Where the site is served, as people reach it; emailed links are built from it, never
    # from the request's Host header. Required in production; it also names the one host
    # the app answers to (add others in COURSE_ALLOWED_HOSTS, comma-separated).
    COURSE_BASE_URL = os.environ.get("COURSE_BASE_URL", "").rstrip("/") or None
    COURSE_ALLOWED_HOSTS = os.environ.get("COURSE_ALLOWED_HOSTS", "")
    # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none, so
    # those headers are ignored: anyone could send them).
    COURSE_PROXY_HOPS = int(os.environ.get("COURSE_PROXY_HOPS", "0"))
    # Where limits are counted: use a shared store (redis://...) with several processes.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # When the limit store (Redis) is down, let requests through and log a warning rather
    # than refuse every login.
    RATELIMIT_SWALLOW_ERRORS = True
    # Login tries allowed (see course/throttle.py): per account from one address, per account
    # from anywhere, and per address across accounts. Successful logins don't count.
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "10 per 15 minutes")
    LOGIN_ACCOUNT_LIMIT = os.environ.get("LOGIN_ACCOUNT_LIMIT", "30 per hour")
    LOGIN_ADDRESS_LIMIT = os.environ.get("LOGIN_ADDRESS_LIMIT", "30 per 15 minutes")
    # Sign-ups, joins and reset requests, per address and per email typed in each.
    MAIL_REQUEST_LIMIT = os.environ.get("MAIL_REQUEST_LIMIT", "5 per hour")
    # Tries of the current password (to change it or delete the account), per account.
    PASSWORD_CHECK_LIMIT = os.environ.get("PASSWORD_CHECK_LIMIT", "10 per hour")
    # How long to wait for the database, in seconds (see database_timeouts at the end).
    COURSE_DB_CONNECT_TIMEOUT = os.environ.get("COURSE_DB_CONNECT_TIMEOUT", "5")
    COURSE_DB_STATEMENT_TIMEOUT = os.environ.get("COURSE_DB_STATEMENT_TIMEOUT", "10")


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
    # None when neither is set, which check_production refuses with the way to set up mail.
    # (Ruff takes the conditional default for something other than a string or None.)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else None)  # noqa: PLW1508
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
    COURSE_BASE_URL = None
    COURSE_PROXY_HOPS = 0


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
    config["SQLALCHEMY_ENGINE_OPTIONS"] = database_timeouts(config)
    if not config.get("SECRET_KEY"):
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production, set the SECRET_KEY environment variable "
                'to a long random value, for example the output of: python -c "import secrets; '
                'print(secrets.token_hex(32))"'
            )
        config["SECRET_KEY"] = development_secret_key()
    if production:
        check_production(config)
    if config.get("MAIL_BACKEND") not in MAIL_BACKENDS:
        raise ConfigError(
            f"MAIL_BACKEND={config.get('MAIL_BACKEND')!r} is not known; use one of: "
            + ", ".join(MAIL_BACKENDS)
        )
    if config["MAIL_BACKEND"] == "smtp" and not config.get("MAIL_SERVER"):
        raise ConfigError("MAIL_BACKEND=smtp needs MAIL_SERVER, the SMTP server to send through.")
    if config.get("COURSE_BASE_URL"):
        # Answer only to the site's own name: a forged Host header gets a 400.
        allowed = [h.strip() for h in config.get("COURSE_ALLOWED_HOSTS", "").split(",")]
        config["TRUSTED_HOSTS"] = [urlsplit(config["COURSE_BASE_URL"]).hostname] + [
            host for host in allowed if host
        ]


MAIL_BACKENDS = ("smtp", "console", "log", "memory")


def check_production(config: dict) -> None:
    """Refuse production settings that would fail later, when a family depends on them."""
    if not config.get("COURSE_BASE_URL"):
        raise ConfigError(
            "COURSE_BASE_URL is not set. In production, set it to the address people use, "
            "for example https://course.example.org: emailed links are built from it."
        )
    if not config["COURSE_BASE_URL"].startswith("https://"):
        raise ConfigError(
            f"COURSE_BASE_URL={config['COURSE_BASE_URL']!r} must start with https:// in "
            "production: sessions and passwords travel over it."
        )
    backend = config.get("MAIL_BACKEND")
    if backend is None:
        raise ConfigError(
            "MAIL_SERVER is not set, so nobody could get a password-reset or confirmation "
            "email. Set MAIL_SERVER (and MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM), or, to run "
            "without mail on purpose, set MAIL_BACKEND=log: messages are then dropped and "
            "only noted in the log, never with their links."
        )
    if backend not in ("smtp", "log"):
        raise ConfigError(
            f"MAIL_BACKEND={backend!r} can't be used in production; use smtp (with "
            "MAIL_SERVER) or log."
        )


# Database timeouts ---------------------------------------------------------------------------
# A database that is down, stuck or locked must cost a visitor a few seconds and a "try again
# in a minute" page (course/errors.py), never a page that hangs until the worker is killed.


def timeout_setting(config: dict, name: str) -> float:
    """A timeout setting in seconds (0: no limit); ConfigError if it is not a number."""
    try:
        seconds = float(config[name])
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 <= seconds < 3600:
        raise ConfigError(f"{name}={config[name]!r} is not a number of seconds; use, say, 5")
    return seconds


def database_timeouts(config: dict) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with the timeouts added in the database driver's own terms."""
    connect = timeout_setting(config, "COURSE_DB_CONNECT_TIMEOUT")
    statement = timeout_setting(config, "COURSE_DB_STATEMENT_TIMEOUT")
    # Error messages and logs show SQL without its values: they may be someone's reflection.
    options = {"hide_parameters": True, **(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})}
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    timeouts: dict = {}
    if url.get_backend_name() == "postgresql":
        if connect and "connect_timeout" not in url.query:  # One in DATABASE_URL wins.
            timeouts["connect_timeout"] = math.ceil(connect)  # libpq takes whole seconds.
        if statement:
            # The server cancels a statement that runs too long; course_deadline is ours
            # (course/extensions.py): the client gives up on a server that stops answering
            # at all, which a server-side timeout can't catch.
            given = url.query.get("options", "")
            timeouts["options"] = f"{given} -c statement_timeout={round(statement * 1000)}".strip()
            timeouts["course_deadline"] = statement + 1
    elif url.get_backend_name() == "sqlite" and statement:
        timeouts["timeout"] = statement  # How long to wait for another writer's lock.
    options["connect_args"] = {**timeouts, **options.get("connect_args", {})}
    return options
