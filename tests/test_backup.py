"""`flask db backup` copies a live SQLite database consistently; the copy restores and serves."""

from __future__ import annotations

import threading

import pytest
from helpers import SHIPPED_MODULES
from sqlalchemy import func, select

from config import TestConfig
from course import create_app
from course.extensions import db
from course.models import SectionRead


@pytest.fixture
def sqlite_app(tmp_path):
    from flask_migrate import upgrade

    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}",
        "COURSE_CONTENT_DIR": str(SHIPPED_MODULES),
    })
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_backup_taken_while_members_write_restores_and_serves(sqlite_app, tmp_path):
    from course import accounts
    from course.models import Relationship

    with sqlite_app.app_context():
        user = accounts.create_member(accounts.Profile(
            email="sam@example.org", password="correct horse battery", display_name="Sam",
            relationship=Relationship.PARENT,
        ))
        user.email_confirmed_at = user.created_at
        db.session.commit()
        user_id = user.id

        # Some reading done before the backup, and more while it runs.
        for n in range(20):
            db.session.add(SectionRead(user_id=user.id, module_slug="start-here",
                                       section_id=f"before-{n}"))
        db.session.commit()

    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        with sqlite_app.app_context():
            while not stop.is_set() and n < 2000:
                db.session.add(SectionRead(user_id=user_id, module_slug="start-here",
                                           section_id=f"s{n}"))
                db.session.commit()
                n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = sqlite_app.test_cli_runner().invoke(
            args=["db", "backup", str(tmp_path / "copy.db")]
        )
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output

    restored = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'copy.db'}",
        "COURSE_CONTENT_DIR": str(SHIPPED_MODULES),
    })
    try:
        with restored.app_context():
            assert db.session.scalar(select(func.count()).select_from(SectionRead)) >= 20
        client = restored.test_client()
        response = client.post("/login", data={"email": "sam@example.org",
                                               "password": "correct horse battery"})
        assert response.status_code == 302
        assert "My course" in client.get("/").text
    finally:
        with restored.app_context():
            db.engine.dispose()


def test_a_backup_never_overwrites_a_file(sqlite_app, tmp_path):
    (tmp_path / "taken.db").write_text("")
    result = sqlite_app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "taken.db")])
    assert result.exit_code == 1
    assert "already exists" in result.output
