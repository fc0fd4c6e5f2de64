"""Failing well: when the database fails, stops, freezes or turns read-only, people get the
site's own page, told plainly that nothing was saved, with their words kept and the crisis
lines; and the app serves again by itself once the database is back.

The PostgreSQL tests start a cluster of their own (initdb in a temporary folder, a free loopback
port) to stop and freeze; they never touch a shared server. The SQLite test uses a file of its
own.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from helpers import PASSWORD, Form, forms_on, guide_example, private_postgres, write_module
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from config import ConfigError, TestConfig
from course import accounts, create_app
from course.content.ext import current_catalog
from course.extensions import db
from course.models import QuizAttempt, Reflection, Relationship, User, Visibility, utcnow

SLUG = "stress"  # The authors' guide's example module: two steps, a reflection, a quiz.
RIGHT = {
    "q-a-tense-evening": "take-ten-slow-breaths-before-you-do",
    "q-stress-is-a-weakness": "false",
    "q-ways-to-ease-stress": ["a-short-walk", "talking-with-a-friend"],
}
WRITTEN = "He came home late again.\nI stayed calm, and said I love you & I'm here."
# Tiny timeouts for the apps these tests build, so an outage shows within seconds.
TIMEOUTS = {"COURSE_DB_CONNECT_TIMEOUT": 1, "COURSE_DB_STATEMENT_TIMEOUT": 1}
# Answers as in production: an error becomes the site's page, not a traceback in the test.
AS_IN_PRODUCTION = {"PROPAGATE_EXCEPTIONS": False}


def build_app(database_uri: str, content_dir: Path):
    """An app on its own database, built by the migrations, with the guide's module."""
    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": database_uri, "COURSE_CONTENT_DIR": str(content_dir),
        **TIMEOUTS, **AS_IN_PRODUCTION,
    })
    with app.app_context():
        upgrade()
    return app


def add_member(app, email: str) -> None:
    """A confirmed member in a family of their own."""
    with app.app_context():
        user = accounts.create_member(accounts.Profile(
            email=email, password=PASSWORD, display_name="Rosa",
            relationship=Relationship.PARENT,
        ))
        user.email_confirmed_at = utcnow()
        db.session.commit()


def log_in(app, email: str):
    """A test client logged in through the login form (with its CSRF token when it has one)."""
    client = app.test_client()
    fields = dict(forms_on(client.get("/login").text)[-1].fields)
    response = client.post("/login", data={**fields, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def step_with_prompt(app) -> tuple[str, str]:
    """The module's step that asks for a reflection: (section id, prompt id)."""
    with app.app_context():
        module = current_catalog().get(SLUG)
        prompt = module.prompts[0]
        return module.section_with_prompt(prompt.id).id, prompt.id


def assert_unavailable(response) -> None:
    """The page for a database that can't be reached: what happened, what to do, help now."""
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert "We saved nothing from this step; please try again in a minute." in response.text
    assert_crisis_lines(response.text)


def assert_crisis_lines(page: str) -> None:
    assert 'href="tel:911"' in page
    assert 'href="tel:988"' in page and "call or text 988" in page
    assert "1-800-662-4357" in page


def kept_form(response) -> Form:
    """The form the error page gives back, to send again."""
    [form] = [form for form in forms_on(response.text)
              if form.method == "post" and form.action != "/language"]
    return form


@pytest.fixture
def module_dir(module_folder) -> Path:
    write_module(module_folder, "01-stress.md", guide_example())
    return module_folder


# An error page that needs no database -----------------------------------------------------


def test_a_failed_commit_shows_the_sites_error_page(make_app, module_dir, make_member,
                                                    signed_in):
    app = make_app(module_dir, **AS_IN_PRODUCTION)
    member = make_member()

    @app.post("/test/duplicate-account")
    def duplicate_account():
        """A view whose commit fails: a second account with the member's own email."""
        db.session.add(User(email=member.email, display_name="Copy", password_hash="x"))
        db.session.commit()

    client = signed_in(app, member)
    response = client.post("/test/duplicate-account")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert 'href="/account"' in response.text  # Still shown as logged in.
    assert_crisis_lines(response.text)
    assert client.get("/").status_code == 200


# PostgreSQL stopped, frozen, or stuck behind a lock ------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """A throwaway PostgreSQL cluster, made once for this file's PostgreSQL tests."""
    # These tests start a server of their own whatever database the suite runs on, so the
    # SQLite pass runs them and the PostgreSQL pass skips them rather than repeat them.
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        pytest.skip("run in the SQLite pass: they start a PostgreSQL cluster of their own")
    with private_postgres() as running:
        yield running


@pytest.fixture(scope="module")
def pg_app(cluster, tmp_path_factory):
    """The app on the throwaway cluster, with a member, rosa@example.org."""
    folder = tmp_path_factory.mktemp("modules")
    write_module(folder, "01-stress.md", guide_example())
    app = build_app(cluster.url, folder)
    add_member(app, "rosa@example.org")
    yield app
    with app.app_context():
        db.engine.dispose()


def answered_within(seconds: float, request: Callable[[], object]) -> tuple[object, float]:
    """Send a request from a thread and wait at most `seconds`: a hang fails, never stalls."""
    result: dict = {}

    def send():
        started = time.monotonic()
        try:
            result["response"] = request()
        except BaseException as error:  # noqa: BLE001  Raised again in the test's thread.
            result["error"] = error
        result["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer within {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["response"], result["elapsed"]


def test_postgresql_stopped_answers_503_and_keeps_what_was_sent(pg_app, cluster):
    client = log_in(pg_app, "rosa@example.org")
    section, prompt = step_with_prompt(pg_app)
    visitor = pg_app.test_client()
    health = visitor.get("/healthz")
    assert (health.status_code, health.json["database"]) == (200, "ok")

    cluster.stop("fast")
    try:
        # What monitoring sees: unavailable, and why.
        health = visitor.get("/healthz")
        assert (health.status_code, health.json["database"]) == (503, "unreachable")
        assert health.headers["Retry-After"]
        for path in ("/", f"/modules/{SLUG}", f"/modules/{SLUG}/{section}", "/family",
                     "/account", "/no-such-page"):
            page = client.get(path)
            assert_unavailable(page)
            assert 'href="/account"' in page.text  # Still shown as logged in.
        # A visitor who isn't logged in can still read what the course is, and the help page.
        assert visitor.get("/").status_code == 200
        assert visitor.get("/resources").status_code == 200

        reflection = client.post(f"/modules/{SLUG}/{section}", data={
            f"reflection-{prompt}": WRITTEN, f"visibility-{prompt}": "family", "action": "next",
        })
        assert_unavailable(reflection)
        quiz = client.post(f"/modules/{SLUG}/quiz", data={**RIGHT, "submission_key": "k-1"})
        assert_unavailable(quiz)
        assert_unavailable(client.post("/login", data={"email": "x@example.org",
                                                         "password": PASSWORD}))
    finally:
        cluster.start()

    # What they wrote is on the page, in a box they can copy from or send again as it is.
    sent_again = kept_form(reflection)
    assert (f"reflection-{prompt}", WRITTEN) in sent_again.fields
    assert f'<textarea id="kept-1" name="reflection-{prompt}"' in reflection.text
    answers = kept_form(quiz)
    assert ("q-ways-to-ease-stress", "a-short-walk") in answers.fields
    assert ("submission_key", "k-1") in answers.fields

    # Started again, the same app serves without a restart, and sending again stores it all.
    assert visitor.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    assert client.post(sent_again.action, data=MultiDict(sent_again.fields)).status_code == 302
    assert client.post(answers.action, data=MultiDict(answers.fields)).status_code == 302
    with pg_app.app_context():
        saved = db.session.scalars(select(Reflection)).one()
        assert (saved.body, saved.visibility) == (WRITTEN, Visibility.FAMILY)
        attempt = db.session.scalars(select(QuizAttempt)).one()
        assert attempt.score == 1


# What the tests allow for a request while PostgreSQL is frozen: the client's own deadline
# (statement timeout + 1 s), then one new connection's timeout (libpq waits at least 2 s),
# with room for a busy machine. Without them the request would hang until the thaw.
FROZEN_LIMIT = 7.0


def test_postgresql_frozen_answers_503_within_the_timeouts(pg_app, cluster):
    client = log_in(pg_app, "rosa@example.org")  # Its pooled connection is now to freeze.

    with cluster.frozen():
        response, _ = answered_within(FROZEN_LIMIT, lambda: client.get("/"))
    assert_unavailable(response)
    assert client.get("/").status_code == 200


def test_a_query_stuck_behind_a_lock_gives_up_at_the_statement_timeout(pg_app, cluster):
    client = log_in(pg_app, "rosa@example.org")
    with psycopg.connect(cluster.url.replace("+psycopg", "")) as other:
        # As a long migration would: nobody can read the accounts until it commits.
        other.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        response, elapsed = answered_within(FROZEN_LIMIT, lambda: client.get("/"))
    assert_unavailable(response)
    assert elapsed < TIMEOUTS["COURSE_DB_STATEMENT_TIMEOUT"] + 0.8  # The server cancelled it.
    assert client.get("/").status_code == 200


# SQLite read-only, and writable again ------------------------------------------------------

NOBODY = 65534


@contextmanager
def file_access_as(uid: int) -> Iterator[None]:
    """Check this thread's file access as `uid` would be checked (Linux setfsuid), root's
    power to ignore file modes included: it is dropped while the fs uid is not root's."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.setfsgid(uid)
    libc.setfsuid(uid)
    try:
        assert libc.setfsuid(-1) == uid, "setfsuid did not take"  # -1 only reads it back.
        yield
    finally:
        libc.setfsuid(0)
        libc.setfsgid(0)


def as_app_user(action: Callable[[], object]) -> object:
    """Do something with the file access of an unprivileged user (nobody's, when root)."""
    if os.geteuid() != 0:
        return action()
    with file_access_as(NOBODY):
        return action()


@pytest.fixture
def sqlite_folder() -> Iterator[Path]:
    """A folder for a database of the test's own, that an unprivileged user may write."""
    folder = Path(tempfile.mkdtemp(prefix="course-sqlite-"))
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def read_only(folder: Path, on: bool) -> None:
    """Make the database's folder and files read-only, or writable again, as chmod would."""
    for path in folder.iterdir():
        path.chmod(0o444 if on else 0o644)
    folder.chmod(0o555 if on else 0o755)


def test_sqlite_read_only_then_writable_again_recovers_without_a_restart(
    sqlite_folder, module_dir, monkeypatch
):
    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{sqlite_folder / 'course.db'}",
        "COURSE_CONTENT_DIR": str(module_dir), "WTF_CSRF_ENABLED": True,
        **TIMEOUTS, **AS_IN_PRODUCTION,
    })
    with app.app_context():
        engine = db.engine
    # Root ignores file modes, so a read-only file would stay writable for it; the app runs as
    # an unprivileged user in production. So when the test runs as root, the app's connection
    # pool opens, checks and closes its connections (where SQLite decides between read-write
    # and read-only, and cleans up its WAL files) with nobody's file access.
    open_connection, close_idle = engine.pool.connect, engine.pool.dispose
    monkeypatch.setattr(engine.pool, "connect", lambda: as_app_user(open_connection))
    monkeypatch.setattr(engine.pool, "dispose", lambda: as_app_user(close_idle))
    with app.app_context():
        upgrade()
    add_member(app, "rosa@example.org")
    section, prompt = step_with_prompt(app)
    client = log_in(app, "rosa@example.org")
    page = client.get(f"/modules/{SLUG}/{section}")
    fields = dict(kept_form(page).fields)

    read_only(sqlite_folder, True)
    try:
        # A worker started now, or a pool replacing its idle connections, opens them now:
        # SQLite opens the file read-only, and such a connection stays read-only.
        engine.pool.dispose()
        response = client.post(f"/modules/{SLUG}/{section}", data={
            **fields, f"reflection-{prompt}": WRITTEN, "action": "save",
        })
        assert_unavailable(response)
        assert client.get(f"/modules/{SLUG}/{section}").status_code == 200  # Reading works.
    finally:
        read_only(sqlite_folder, False)

    sent_again = kept_form(response)
    assert dict(sent_again.fields)["csrf_token"]  # A fresh token: the form works when sent.
    response = client.post(sent_again.action, data=MultiDict(sent_again.fields))
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.scalars(select(Reflection.body)).one() == WRITTEN
        db.session.remove()
        engine.dispose()


# Settings ----------------------------------------------------------------------------------


def test_a_timeout_that_is_not_a_number_stops_the_app_with_a_clear_message():
    with pytest.raises(ConfigError, match="COURSE_DB_STATEMENT_TIMEOUT='ten'"):
        create_app(TestConfig, {"COURSE_DB_STATEMENT_TIMEOUT": "ten"})
