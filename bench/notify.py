"""`flask notify send` over a large group: seconds, SQL statements and mails for one run.

A group of thousands of members (seeded as the bench's cohort) is given to the command once,
as cron would; the mail goes to the memory backend, so the figures are the app's own work:
deciding who is due what, recording each notice, rendering each mail and marking it sent.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass

from flask_migrate import upgrade
from sqlalchemy import event

import config
from course import create_app
from course.content.ext import current_catalog
from course.extensions import db

from .seed import seed_cohort

# The targets for a run over 5,000 members: within this many seconds; deciding who is due
# what (the dry run) in a fixed number of statements, whatever the number of members; and
# the whole run in at most this many, its writes batched (a statement for each 500 notices
# recorded and each 100 marked sent, a few for each group's digest).
NOTIFY_SECONDS = 30
DECIDE_STATEMENTS = 10
NOTIFY_STATEMENTS = 100


@dataclass(frozen=True)
class NotifyRun:
    """One run of `flask notify send`."""

    members: int
    seconds: float
    statements: int
    mails: int
    summary: str
    deciding_statements: int  # of the dry run, which only decides


def time_notify(members: int, url: str | None = None) -> NotifyRun:
    """Seed a group of `members` in a scratch database (SQLite unless `url` names one) and
    time one run of `flask notify send` over it."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="course-bench-notify-") as folder:
            return time_notify(members, f"sqlite:///{folder}/notify.db")
    app = create_app(config.TestConfig, {
        "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "memory",
        "COURSE_BASE_URL": "https://course.example.org",
    })
    try:
        with app.app_context():
            upgrade()
            seed_cohort(current_catalog().published, members=members)
            db.session.commit()
            engine = db.engine
        outbox = app.extensions.setdefault("outbox", [])
        outbox.clear()
        deciding, _, _ = _run(app, engine, "--dry-run")
        statements, seconds, output = _run(app, engine)
        return NotifyRun(members, seconds, statements, len(outbox), output, deciding)
    finally:
        with app.app_context():
            db.engine.dispose()


def _run(app, engine, *options: str) -> tuple[int, float, str]:
    """Run `flask notify send` once: its statements, seconds and summary."""
    count = [0]

    def counted(*_args) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", counted)
    started = time.perf_counter()
    try:
        result = app.test_cli_runner().invoke(args=["notify", "send", *options])
    finally:
        seconds = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", counted)
    if result.exit_code != 0:
        raise RuntimeError(f"flask notify send failed: {result.output}")
    return count[0], seconds, result.output.strip().splitlines()[0]
