"""Quiz submissions under load: members send their quiz at the same time, as real forms over
HTTP to the app served by gunicorn as in production, and every attempt sent must be stored.

Each client is a different member: it logs in through the login form, reads the quiz page's
form once (its questions and options), then sends it again and again, each time with new
answers and a fresh submission key (as a reloaded page would have), waiting for each reply
before sending the next.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .measure import Client, percentile

TIMEOUT = 60  # seconds for one request: a stuck server fails the run rather than hanging it
CPU_HEADER = "X-Bench-CPU-Seconds"
RESULT = "sent to their result"  # the reply to a quiz stored: a redirect to its result page


@dataclass(frozen=True)
class Member:
    email: str
    password: str
    slug: str  # the module whose quiz this member sends


@dataclass
class QuizLoad:
    """What clients sent and got back: every key sent, the wall-clock and server CPU times of
    the timed sends, and the replies by kind (a redirect to the attempt's result, or another)."""

    keys: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    replies: Counter = field(default_factory=Counter)
    wall_seconds: float = 0.0

    @property
    def sent(self) -> int:
        return len(self.keys)

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall_seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.seconds, 99) * 1000

    @property
    def cpu_p50_ms(self) -> float:
        return statistics.median(self.cpu_seconds) * 1000

    def add(self, other: QuizLoad) -> None:
        self.keys += other.keys
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds
        self.replies += other.replies


class QuizFields(HTMLParser):
    """The quiz form's options by question, read from the page as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and name.startswith("q-") and found.get("type") in ("radio", "checkbox"):
            self.options.setdefault(name, []).append(found.get("value") or "")


class QuizClient:
    """One member's browser sending their quiz, one request at a time."""

    def __init__(self, base_url: str, member: Member, seed: int) -> None:
        client = Client(base_url)
        client.log_in(member.email, member.password)
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
        self.path = f"/modules/{member.slug}/quiz"
        page = client.get(self.path)
        if not page.url.endswith(self.path):
            raise RuntimeError(f"{member.email} was sent to {page.url}, not to the quiz")
        parser = QuizFields()
        parser.feed(page.body.decode())
        if not parser.options:
            raise RuntimeError(f"the quiz page of {member.slug} has no questions")
        self.options = parser.options
        self.rng = random.Random(seed)
        address = urlsplit(base_url)
        self.host, self.port = address.hostname, address.port
        self.load = QuizLoad()  # this client's own, so threads never share one

    def send(self, *, timed: bool) -> None:
        """Choose an answer to every question and send the form; note what came back."""
        key = uuid.uuid4().hex
        fields = {name: self.rng.choice(values) for name, values in self.options.items()}
        body = urlencode({**fields, "submission_key": key})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request("POST", self.path, body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
            })
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        shown = response.status == 302 and (
            response.getheader("Location") or ""
        ).startswith(f"{self.path}/")
        self.load.keys.append(key)
        self.load.replies[RESULT if shown else f"HTTP {response.status}"] += 1
        if timed:
            self.load.seconds.append(elapsed)
            self.load.cpu_seconds.append(float(response.getheader(CPU_HEADER) or "nan"))


def submit_quizzes(base_url: str, members: list[Member], *, submissions: int,
                   warm_up: int = 2) -> QuizLoad:
    """Each member sends their quiz `warm_up` times untimed, then `submissions` times timed,
    all members at once; what they all sent and got back."""
    clients = [QuizClient(base_url, member, seed) for seed, member in enumerate(members)]
    start = threading.Barrier(len(clients) + 1)
    failures: list[BaseException] = []

    def run(client: QuizClient) -> None:
        try:
            for _ in range(warm_up):
                client.send(timed=False)
            start.wait(TIMEOUT)
            for _ in range(submissions):
                client.send(timed=True)
        except BaseException as error:  # noqa: BLE001  Raised again in the main thread, below.
            start.abort()
            failures.append(error)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):  # A client failed: its error is raised below.
        start.wait(TIMEOUT)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise next((f for f in failures if not isinstance(f, threading.BrokenBarrierError)),
                   failures[0])
    total = QuizLoad(wall_seconds=time.perf_counter() - started)
    for client in clients:
        total.add(client.load)
    return total


class CpuHeader:
    """WSGI middleware telling the client, in a header, the CPU time its request cost the
    worker (up to the start of the response): the app's own cost, whatever it waited for. A
    sync worker serves one request at a time, so its process's time is the request's."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        started = time.process_time()

        def start(status, headers, exc_info=None):
            headers.append((CPU_HEADER, f"{time.process_time() - started:.6f}"))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def app_for():
    """The app on the database COURSE_BENCH_DATABASE_URL names: gunicorn's `bench.quiz:app_for()`
    (from the environment, so no password shows in the process list)."""
    import config
    from course import create_app

    app = create_app(config.TestConfig, {
        "SQLALCHEMY_DATABASE_URI": os.environ["COURSE_BENCH_DATABASE_URL"],
        "WTF_CSRF_ENABLED": False,
    })
    app.wsgi_app = CpuHeader(app.wsgi_app)
    return app


def workers() -> int:
    """gunicorn's sync workers: one a core, which keeps every core busy on this CPU-bound app."""
    return os.cpu_count() or 1


@contextmanager
def gunicorn(url: str, app: str = "bench.quiz:app_for()") -> Iterator[str]:
    """Serve the app with gunicorn on a free local port; yield its base URL. The server runs in
    processes of its own, so the clients here never slow it by holding its GIL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers()), "--log-level", "warning",
               app]
    server = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent,
                              env={**os.environ, "COURSE_BENCH_DATABASE_URL": url})
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start, with code {server.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within a minute") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
