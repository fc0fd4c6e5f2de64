"""Shared fixtures: the app on a scratch database, a client, a CLI runner, module folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from helpers import scratch_postgres_database

from config import TestConfig, database_url
from course import create_app
from course.extensions import db



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

    def make(content_dir: Path, **overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "COURSE_CONTENT_DIR": str(content_dir),
            **overrides,
        }
        return create_app(TestConfig, config)

    return make
