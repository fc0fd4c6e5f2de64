"""Shared fixtures: the app on a scratch database, a client, a CLI runner, module folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from helpers import PASSWORD

from config import TestConfig, database_url
from course import create_app
from course.extensions import db, limiter
from course.testing import scratch_postgres_database

# Commands speak the terminal's language (course/i18n.py, terminal_language); the tests read
# English unless one asks for another, whatever the language of the machine running them.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> Iterator[str]:
    """The suite's database: PostgreSQL when DATABASE_URL names one, else a SQLite file."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        with scratch_postgres_database(database_url(os.environ["DATABASE_URL"])) as uri:
            yield uri
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'course.db'}"


@pytest.fixture(scope="session")
def session_app(database_uri):
    """One app for the session, its schema built by the migrations as in production."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(session_app):
    """The app, with every table emptied after the test."""
    yield session_app
    limiter.reset()
    with session_app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def module_folder(tmp_path) -> Path:
    """An empty content folder; write modules into it with write_module."""
    folder = tmp_path / "modules"
    folder.mkdir()
    return folder


@pytest.fixture
def make_app(database_uri):
    """Build an app over a content folder of the test's own (same database as the session)."""

    made = []

    def make(content_dir: Path, **overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "COURSE_CONTENT_DIR": str(content_dir),
            **overrides,
        }
        made.append(create_app(TestConfig, config))
        return made[-1]

    yield make
    # Each app has its own connection pool; close it rather than leave it to the collector.
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()




@pytest.fixture
def make_member(app):
    """Create a confirmed member, in a new family or in `family`; returns the user's id."""
    from course import accounts
    from course.models import Relationship, utcnow

    count = iter(range(1, 1000))

    def make(name=None, family=None, cohort=None, email=None, relationship="parent",
             confirmed=True, password=PASSWORD):
        n = next(count)
        name = name or f"Member {n}"
        with app.app_context():
            if family is not None:
                family = db.session.merge(family)
            if cohort is not None:
                cohort = db.session.merge(cohort)
            user = accounts.create_member(
                accounts.Profile(
                    email=email or f"{name.lower().replace(' ', '.')}.{n}@example.org",
                    password=password, display_name=name,
                    relationship=Relationship(relationship),
                ),
                family=family, cohort=cohort,
            )
            if confirmed:
                user.email_confirmed_at = utcnow()
            db.session.commit()
            db.session.refresh(user)
            _ = user.membership.family  # Load it before the session closes.
            db.session.expunge_all()
            return user

    return make


@pytest.fixture
def login(client):
    """Log the test client in as a member; returns the response."""

    def log_in(user, password=PASSWORD, remember=False):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        return client.post("/login", data=data)

    return log_in


@pytest.fixture
def outbox(app):
    """The emails the app sent during the test."""
    box = app.extensions.setdefault("outbox", [])
    box.clear()
    return box


@pytest.fixture
def signed_in(make_member):
    """A test client of `app` (the session's, or one from make_app) logged in as a new member."""

    def sign_in(app, user=None):
        user = user or make_member()
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return client

    return sign_in


@pytest.fixture
def make_staff(app):
    """Create a confirmed facilitator (or another staff role); returns the detached user."""
    from course.models import Role, User, utcnow

    def make(name="Dana", role=Role.FACILITATOR):
        with app.app_context():
            user = User(email=f"{name.lower()}@centre.example", display_name=name, role=role,
                        email_confirmed_at=utcnow())
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture(scope="session")
def release(tmp_path_factory):
    """The wheel, built from this checkout and installed into a new environment elsewhere."""
    from deployment import build_release

    return build_release(tmp_path_factory.mktemp("release"))


@pytest.fixture
def deployment_database(tmp_path) -> Iterator[str]:
    """An empty database for a deployed release."""
    from helpers import fresh_database

    with fresh_database(tmp_path) as uri:
        yield uri
