"""The same schema and rules hold on a real PostgreSQL server, whichever database the rest of
the suite runs on."""

import pytest
from flask_migrate import upgrade
from helpers import postgres_server_url, require
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError

from config import TestConfig
from course import create_app
from course.extensions import db
from course.models import Reflection, User, Visibility
from course.testing import scratch_postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_app():
    server = postgres_server_url()
    require(
        server is not None,
        "PostgreSQL not available: set COURSE_TEST_POSTGRES_URL=postgresql://... (CI does)",
    )
    with scratch_postgres_database(server) as uri:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri})
        with app.app_context():
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()


def test_migrations_build_every_table_on_postgresql(postgres_app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "families", "cohorts", "invites", "module_progress", "quiz_attempts",
            "quiz_responses", "reflections", "section_reads"} <= tables


def test_postgresql_refuses_the_same_email_in_another_case(postgres_app):
    row = {"password_hash": "x", "display_name": "A", "role": "member", "is_active": True}
    db.session.execute(insert(User).values(email="parent@example.org", **row))
    with pytest.raises(IntegrityError):
        db.session.execute(insert(User).values(email="Parent@Example.org", **row))


def test_postgresql_keeps_long_reflections_and_their_visibility(postgres_app):
    user = User(email="a@example.org", display_name="A", password_hash="x")
    db.session.add(user)
    db.session.flush()
    body = "Line one.\nLine two, with an emoji 💬 and “quotes”.\n" * 100  # 5,000: the most allowed.
    db.session.add(Reflection(user_id=user.id, module_slug="m", prompt_id="p", body=body,
                              visibility=Visibility.FAMILY))
    db.session.commit()

    stored = db.session.scalars(select(Reflection)).one()
    assert stored.body == body
    assert stored.visibility is Visibility.FAMILY
