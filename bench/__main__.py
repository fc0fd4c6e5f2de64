"""`python -m bench`: seed a 1,000-member cohort in a scratch database, time the facilitator's
pages, print the figures against the targets, and exit 1 when a target is missed."""

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

import config
from course import create_app
from course.content.ext import current_catalog
from course.extensions import db
from course.testing import scratch_postgres_database

from . import browser
from .measure import Client, CpuClock, serve, time_endpoint
from .seed import seed_cohort

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


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new, empty database: on the PostgreSQL server DATABASE_URL names, else SQLite in a temp
    folder. It is dropped afterwards, whatever happened."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql")):
        with tempfile.TemporaryDirectory(prefix="course-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    with scratch_postgres_database(config.database_url(server)) as uri:
        yield uri


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, where the system reports them."""
    try:
        return " ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--members", type=int, default=1000, help="cohort size (default 1000)")
    parser.add_argument("--requests", type=int, default=20,
                        help="timed requests per endpoint (default 20)")
    parser.add_argument("--loads", type=int, default=5,
                        help="dashboard loads in Chromium (default 5)")
    args = parser.parse_args(argv)

    with scratch_database() as url:
        app = create_app(config.TestConfig, {
            "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
        })
        try:
            return run(app, args)
        finally:
            with app.app_context():
                db.engine.dispose()


def run(app, args: argparse.Namespace) -> int:
    with app.app_context():
        upgrade()
        engine = db.engine
        database = f"{engine.dialect.name} {'.'.join(map(str, engine.dialect.server_version_info))}"
        modules = current_catalog().published
        started = time.perf_counter()
        seeded = seed_cohort(modules, members=args.members)
        db.session.commit()
        seeding = time.perf_counter() - started

    print(f"Family Course benchmark: {os.cpu_count()} CPU cores, Python "
          f"{platform.python_version()}, {database}; load average {load_average()}")
    rows = seeded.rows
    print(f"Seeded {seeded.members:,} members in {seeded.families:,} families over "
          f"{len(modules)} modules in {seeding:.1f} s: {rows['module_progress']:,} progress rows, "
          f"{rows['section_reads']:,} sections read, {rows['quiz_attempts']:,} quiz attempts "
          f"({rows['quiz_responses']:,} answers), {rows['reflections']:,} reflections")

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

    print()
    print(f"Load average at the end: {load_average()} (other programs on the machine slow the "
          "wall-clock times)")
    print("Targets")
    missed = 0
    for label, value, limit in results:
        verdict = "PASS" if value <= limit else "MISS"
        missed += verdict == "MISS"
        print(f"  {verdict}  {label}: {value:.0f} ms (at most {limit:,} ms)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
