"""Two app processes on different ports, sharing one database and one Redis, behave as one site:
a session made on one works on the other, concurrent work spread across both is stored once,
the login limit holds exactly across them, and logins go on when Redis goes down."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from contextlib import ExitStack

import pytest
import redis
from deployment import Browser, production_env, self_signed_certificate, serve
from helpers import SHIPPED_MODULES, free_port, fresh_database, require
from sqlalchemy import create_engine, text

from course.content.catalog import Catalog

REDIS = shutil.which("redis-server")
PASSWORD = "a long and memorable phrase"
MEMBERS = 6
SUBMISSION_KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def redis_url():
    """A throwaway Redis on a free local port, stopped afterwards."""
    require(REDIS is not None, "redis-server not found: apt install redis-server")
    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    client.close()
    yield f"redis://127.0.0.1:{port}/0", process
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def two_nodes(release, redis_url, tmp_path_factory):
    """The release on two ports, one database, one Redis; with MEMBERS members made.

    Shared by this file's tests, in order: the last one stops Redis.
    """
    url, redis_process = redis_url
    tmp_path = tmp_path_factory.mktemp("nodes")
    with fresh_database(tmp_path) as database:
        yield from _serve_two(release, database, url, redis_process, tmp_path)


def _serve_two(release, deployment_database, url, redis_process, tmp_path):
    ports = [free_port(), free_port()]
    env = production_env(
        deployment_database, f"https://127.0.0.1:{ports[0]}",
        RATELIMIT_STORAGE_URI=url, LOGIN_LIMIT="10 per 15 minutes",
    )
    assert release.run("flask", "--app", "course", "db", "upgrade", env=env).returncode == 0
    for n in range(MEMBERS):
        made = release.run(
            "flask", "--app", "course", "users", "create", "--email", f"m{n}@example.org",
            "--name", f"M{n}", "--role", "member", "--password-stdin",
            env=env, input=PASSWORD + "\n",
        )
        assert made.returncode == 0, made.stderr
    tls = self_signed_certificate(tmp_path)
    with ExitStack() as stack:
        sites = [stack.enter_context(serve(release, env, port, tls=tls, workers=1))
                 for port in ports]
        yield sites, deployment_database, redis_process


def log_in(browser: Browser, site_url: str, email: str, password: str = PASSWORD) -> int:
    return browser.post(f"{site_url}/login", {"email": email, "password": password})[0]


def test_a_session_made_on_one_node_works_on_the_other(two_nodes):
    (a, b), _, _ = two_nodes
    browser = Browser()
    assert log_in(browser, a.url, "m0@example.org") == 302
    status, page = browser.get(f"{b.url}/")
    assert status == 200 and "My course" in page


def test_work_spread_across_both_nodes_is_stored_once_each(two_nodes):
    (a, b), database, _ = two_nodes
    module = Catalog(SHIPPED_MODULES).get("start-here")
    barrier = threading.Barrier(MEMBERS)
    statuses: Counter[int] = Counter()

    def member(n: int) -> None:
        browser = Browser()
        nodes = (a.url, b.url) if n % 2 else (b.url, a.url)
        assert log_in(browser, nodes[0], f"m{n}@example.org") == 302
        barrier.wait()
        for i, section in enumerate(module.sections):
            url = f"{nodes[i % 2]}/modules/{module.slug}/{section.id}"
            fields = {"action": "next"}
            for prompt in section.prompts:
                fields[f"reflection-{prompt.id}"] = f"Reflection of m{n}"
                fields[f"visibility-{prompt.id}"] = "private"
            statuses[browser.post(url, fields)[0]] += 1
        answers = [(f"q-{q.id}", q.options[0].id) for q in module.questions]
        for i in range(2):
            quiz = f"{nodes[i % 2]}/modules/{module.slug}/quiz"
            # Each attempt sends its own form's key, as two real submissions would.
            key = SUBMISSION_KEY.search(browser.get(quiz)[1]).group(1)
            statuses[browser.post(quiz, [*answers, ("submission_key", key)])[0]] += 1

    threads = [threading.Thread(target=member, args=(n,)) for n in range(MEMBERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert set(statuses) == {302}, statuses
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            reads = connection.execute(text(
                "SELECT count(*) FROM section_reads WHERE module_slug = 'start-here'")).scalar()
            attempts = connection.execute(text(
                "SELECT user_id, count(*), max(attempt_number) FROM quiz_attempts "
                "GROUP BY user_id")).all()
            progress = connection.execute(text(
                "SELECT sections_done, attempts FROM module_progress "
                "WHERE module_slug = 'start-here'")).all()
    finally:
        engine.dispose()
    assert reads == MEMBERS * len(module.sections)
    assert sorted((count, top) for _, count, top in attempts) == [(2, 2)] * MEMBERS
    assert progress == [(len(module.sections), 2)] * MEMBERS


def test_the_login_limit_holds_exactly_across_both_nodes(two_nodes):
    (a, b), _, _ = two_nodes
    tries = 24
    barrier = threading.Barrier(tries)
    statuses: list[int] = []

    def guess(n: int) -> None:
        browser = Browser()
        url = (a.url, b.url)[n % 2]
        browser.get(f"{url}/login")
        barrier.wait()
        statuses.append(log_in(browser, url, "m1@example.org", "guessing wrong"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(statuses) == {401: 10, 429: tries - 10}


def test_with_redis_down_logins_keep_working_and_the_log_says_so(two_nodes):
    (a, b), _, redis_process = two_nodes
    redis_process.terminate()
    redis_process.wait(timeout=10)
    for site in (a, b):
        status = log_in(Browser(), site.url, "m2@example.org")
        if status == 503 and "Database unavailable" in site.log_text():
            # Two nodes on one SQLite file (the SQLite pass) under a loaded CI machine: the
            # database was busy, and the page asked her to try again. That is not the Redis
            # failure this test is about; the second try must log her in.
            status = log_in(Browser(), site.url, "m2@example.org")
        assert status == 302, site.log_text()[-3000:]
    assert "Login limits not applied: the limit store failed" in a.log_text() + b.log_text()
