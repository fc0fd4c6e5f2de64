"""`python -m bench`: seed a 1,000-member cohort in a scratch database, time the facilitator's
pages, members sending quizzes all at once, and a member's page against a one-route app; print
the figures against the targets, and exit 1 when a target is missed or a quiz sent was not
stored."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import func, select, text

import config
from course import create_app
from course.content.ext import current_catalog
from course.extensions import db
from course.models import ModuleProgress, QuizAttempt, User
from course.testing import scratch_postgres_database

from . import browser, cost, notify, quiz
from .measure import Client, CpuClock, serve, time_endpoint
from .seed import Seeded, member_email, seed_cohort

ENDPOINTS = (
    ("dashboard", "/facilitate/cohorts/{id}"),
    ("progress CSV", "/facilitate/cohorts/{id}/progress.csv"),
    ("questions", "/facilitate/cohorts/{id}/questions"),
    ("questions CSV", "/facilitate/cohorts/{id}/questions.csv"),
)
# The targets, in milliseconds: the dashboard at the median, a CSV at p95, a browser load at worst.
DASHBOARD_P50_MS = 150
CSV_P95_MS = 1000
BROWSER_LOAD_MS = 1000
# A member's section page serves at least this share of a one-route Flask app's requests a
# second, under the same gunicorn workers and clients.
SECTION_SHARE = 0.25
# A quiz sent, answered within this at p99 on PostgreSQL, with 16 members sending at once.
QUIZ_P99_MS = 100


def postgres_server() -> str | None:
    """The PostgreSQL server DATABASE_URL or COURSE_TEST_POSTGRES_URL names, if one does."""
    for name in ("DATABASE_URL", "COURSE_TEST_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql")):
            return config.database_url(url)
    return None


@contextmanager
def scratch_database(server: str | None) -> Iterator[str]:
    """A new, empty database: on a PostgreSQL server, or SQLite in a temp folder when `server`
    is None. It is dropped afterwards, whatever happened."""
    if server is None:
        with tempfile.TemporaryDirectory(prefix="course-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    with scratch_postgres_database(server) as uri:
        yield uri


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, where the system reports them."""
    try:
        return " ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met and every quiz stored, else 1."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--members", type=int, default=1000, help="cohort size (default 1000)")
    parser.add_argument("--requests", type=int, default=20,
                        help="timed requests per endpoint (default 20)")
    parser.add_argument("--loads", type=int, default=5,
                        help="dashboard loads in Chromium (default 5)")
    parser.add_argument("--clients", type=int, default=16,
                        help="members sending quizzes at once (default 16)")
    parser.add_argument("--quizzes", type=int, default=50,
                        help="timed quizzes each of them sends (default 50)")
    parser.add_argument("--notify-members", type=int, default=5000,
                        help="members in the group `flask notify send` runs over (default 5000)")
    args = parser.parse_args(argv)

    server = postgres_server()
    # The pages on the database DATABASE_URL names (else SQLite); quizzes on SQLite, and on
    # PostgreSQL too when a server is named.
    pages_on = server if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    print(f"Family Course benchmark: {os.cpu_count()} CPU cores, Python "
          f"{platform.python_version()}; load average {load_average()}")
    results: list[tuple[str, float, float]] = []
    quizzes: list[tuple[str, quiz.QuizLoad, int, int]] = []
    for database in (None, server) if server else (None,):
        with scratch_database(database) as url:
            app = create_app(config.TestConfig, {
                "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
            })
            try:
                name, seeded = seed(app, args.members)
                if database == pages_on:
                    results += time_pages(app, seeded, args)
                    costs = (name, *time_section(app, url, seeded))
                quizzes.append((name, *time_quizzes(app, url, seeded, args)))
            finally:
                with app.app_context():
                    db.engine.dispose()

    with scratch_database(pages_on) as url:
        notices = notify.time_notify(args.notify_members, url)
    print()
    print(f"flask notify send over {notices.members:,} members in one group, mail kept in "
          "memory:")
    print(f"{'run':<10}{'seconds':>9}{'statements':>12}{'mails':>8}")
    print(f"{'dry run':<10}{'':>9}{notices.deciding_statements:>12}{0:>8}")
    print(f"{'send':<10}{notices.seconds:>9.2f}{notices.statements:>12}{notices.mails:>8,}")
    print(f"It said: {notices.summary}")

    name, section, hello = costs
    share = section.per_second / hello.per_second
    print()
    print(f"A member's section page against a one-route Flask app, on {name}: "
          f"{cost.CLIENTS} client processes for {cost.SECONDS:.0f} s each, gunicorn with "
          f"{quiz.workers()} sync workers")
    print(f"{'app':<22}{'req/s':>8}{'CPU p50 ms':>12}")
    print(f"{'section page':<22}{section.per_second:>8.0f}{section.cpu_ms:>12.2f}")
    print(f"{'one-route app':<22}{hello.per_second:>8.0f}{hello.cpu_ms:>12.2f}")
    print(f"Share: {share:.3f} of the one-route app's requests a second. CPU: the worker's "
          "own CPU time for a request, up to the start of its response.")

    print()
    print(f"Quizzes sent: {args.clients} members at once, each sending a quiz {args.quizzes} "
          f"times after 2 untimed, to gunicorn with {quiz.workers()} sync workers")
    print(f"{'database':<18}{'sent':>6}{'stored':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'CPU p50 ms':>12}")
    for name, load, stored, _ in quizzes:
        print(f"{name:<18}{load.sent:>6}{stored:>8}{load.per_second:>8.1f}{load.p50_ms:>9.1f}"
              f"{load.p99_ms:>9.1f}{load.cpu_p50_ms:>12.1f}")
    print("Sent and stored count the untimed quizzes too; req/s and times, the timed ones. "
          "CPU: the app's own CPU time for a quiz, in its worker.")
    results += [(f"quiz p99 on {name}", load.p99_ms, QUIZ_P99_MS)
                for name, load, _, _ in quizzes if name.startswith("postgresql")]

    print()
    print(f"Load average at the end: {load_average()} (other programs on the machine slow the "
          "wall-clock times)")
    print("Targets")
    missed = 0
    for label, value, limit in results:
        verdict = "PASS" if value <= limit else "MISS"
        missed += verdict == "MISS"
        print(f"  {verdict}  {label}: {value:.0f} ms (at most {limit:,} ms)")
    for label, value, limit in (
        ("notify run, seconds", notices.seconds, notify.NOTIFY_SECONDS),
        ("notify run, statements to decide", notices.deciding_statements,
         notify.DECIDE_STATEMENTS),
        ("notify run, statements in all", notices.statements, notify.NOTIFY_STATEMENTS),
    ):
        verdict = "PASS" if value <= limit else "MISS"
        missed += verdict == "MISS"
        shown = f"{value:.2f}" if isinstance(value, float) else f"{value:,}"
        print(f"  {verdict}  {label} over {notices.members:,} members: {shown} "
              f"(at most {limit:,}; {notices.mails:,} mails)")
    verdict = "PASS" if share >= SECTION_SHARE else "MISS"
    missed += verdict == "MISS"
    print(f"  {verdict}  section page: {share:.2f} of a one-route app's requests a second "
          f"(at least {SECTION_SHARE})")
    for name, load, stored, disagreeing in quizzes:
        kept = stored == load.sent and load.replies == {quiz.RESULT: load.sent}
        verdict = "PASS" if kept and not disagreeing else "FAIL"
        missed += verdict == "FAIL"
        replies = ", ".join(f"{count} {kind}" for kind, count in load.replies.items())
        print(f"  {verdict}  quizzes on {name}: {stored} stored of {load.sent} sent ({replies}); "
              f"{disagreeing} progress rows disagree with the attempts stored")
    return 1 if missed else 0


def seed(app, members: int) -> tuple[str, Seeded]:
    """Build the schema and seed the cohort; the database's name and version, and the login."""
    with app.app_context():
        upgrade()
        engine = db.engine
        name = f"{engine.dialect.name} {'.'.join(map(str, engine.dialect.server_version_info))}"
        modules = current_catalog().published
        started = time.perf_counter()
        seeded = seed_cohort(modules, members=members)
        db.session.commit()
        seeding = time.perf_counter() - started
        settle(engine)
    rows = seeded.rows
    print(f"{name}: seeded {seeded.members:,} members in {seeded.families:,} families over "
          f"{len(modules)} modules in {seeding:.1f} s: {rows['module_progress']:,} progress rows, "
          f"{rows['section_reads']:,} sections read, {rows['quiz_attempts']:,} quiz attempts "
          f"({rows['quiz_responses']:,} answers), {rows['reflections']:,} reflections")
    return name, seeded


def settle(engine) -> None:
    """Vacuum and analyse the freshly loaded tables, as autovacuum soon would on a server, so
    the timings are of the app and not of the database catching up with the bulk load."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                                else "ANALYZE"))


def time_quizzes(app, url: str, seeded: Seeded,
                 args: argparse.Namespace) -> tuple[quiz.QuizLoad, int, int]:
    """Members send quizzes at once; what they sent, how many of those attempts are stored,
    and how many of their progress rows disagree with the attempts stored."""
    with app.app_context():
        slugs = [module.slug for module in current_catalog().published]
    members = [quiz.Member(member_email(n), seeded.password, slugs[n % len(slugs)])
               for n in range(1, args.clients + 1)]
    with quiz.gunicorn(url) as base_url:
        load = quiz.submit_quizzes(base_url, members, submissions=args.quizzes)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(QuizAttempt).where(
            QuizAttempt.submission_key.in_(load.keys)))
        counted = (
            select(func.count()).where(QuizAttempt.user_id == ModuleProgress.user_id,
                                       QuizAttempt.module_slug == ModuleProgress.module_slug)
            .scalar_subquery()
        )
        disagreeing = db.session.scalar(
            select(func.count()).select_from(ModuleProgress).join(User)
            .where(User.email.in_([m.email for m in members]), ModuleProgress.attempts != counted)
        )
    return load, stored, disagreeing


def time_section(app, url: str, seeded: Seeded) -> tuple[cost.Throughput, cost.Throughput]:
    """A member's section page (the first module's second step) against a one-route app."""
    with app.app_context():
        module = current_catalog().published[0]
    path = f"/modules/{module.slug}/{module.sections[1].id}"
    return cost.section_against_hello(url, member_email(1), seeded.password, path)


def time_pages(app, seeded: Seeded, args: argparse.Namespace) -> list[tuple[str, float, float]]:
    """Time the facilitator's pages over HTTP and in Chromium; print them; the figures held
    against the targets, as (label, milliseconds, at most)."""
    paths = {name: path.format(id=seeded.cohort_id) for name, path in ENDPOINTS}
    clock = CpuClock(app)
    with serve(clock) as base_url:
        client = Client(base_url)
        client.log_in(seeded.email, seeded.password)
        timings = {name: time_endpoint(client, clock, name, path, requests=args.requests)
                   for name, path in paths.items()}
        if browser.CHROMIUM.exists():
            loads = browser.load_times(base_url, paths["dashboard"], client.cookies,
                                       loads=args.loads)
        else:
            loads = None

    print()
    print(f"{'endpoint':<16}{'rows':>8}{'size KB':>10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'CPU p50 ms':>12}")
    for timing in timings.values():
        print(f"{timing.name:<16}{timing.rows:>8,}{timing.size / 1024:>10.1f}"
              f"{timing.p50_ms:>9.1f}{timing.p95_ms:>9.1f}{timing.max_ms:>9.1f}"
              f"{timing.cpu_p50_ms:>12.1f}")
    print(f"{args.requests} timed requests each, one at a time, after 3 untimed. Rows: table body "
          "rows of a page, data lines of a CSV. CPU: the server thread's own CPU time.")
    for timing in timings.values():
        if timing.status:
            print(f"The {timing.name} page says: {timing.status}")

    results = [
        ("dashboard p50", timings["dashboard"].p50_ms, DASHBOARD_P50_MS),
        ("progress CSV p95", timings["progress CSV"].p95_ms, CSV_P95_MS),
        ("questions CSV p95", timings["questions CSV"].p95_ms, CSV_P95_MS),
    ]
    print()
    if loads is None:
        print(f"Chromium not found at {browser.CHROMIUM}: browser timing skipped "
              "(apt install chromium)")
    else:
        load_ms = [load.load_ms for load in loads]
        paints = [load.first_paint_ms for load in loads if load.first_paint_ms is not None]
        print(f"Chromium, the dashboard loaded {len(loads)} times, ms from navigation start:")
        print("  HTML received   " + " ".join(f"{load.response_ms:>6.0f}" for load in loads))
        print("  load event      " + " ".join(f"{ms:>6.0f}" for ms in load_ms))
        print("  first content   " + " ".join(
            "     —" if load.first_paint_ms is None else f"{load.first_paint_ms:>6.0f}"
            for load in loads))
        results.append(("browser load event, slowest", max(load_ms), BROWSER_LOAD_MS))
        if paints:
            results.append(("browser first contentful paint, slowest", max(paints),
                            BROWSER_LOAD_MS))

    return results


if __name__ == "__main__":
    sys.exit(main())
