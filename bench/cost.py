"""What a member's page costs, against the least a Flask app can cost: the section page and a
one-route app, each served by the same gunicorn workers and asked by the same clients for the
same few seconds. The ratio of their throughputs is the figure held against the target.

The clients run in processes of their own (no GIL shared with each other or the server), each
opening a connection a request, as gunicorn's sync workers close them.
"""

from __future__ import annotations

import http.client
import multiprocessing
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask

from .measure import Client
from .quiz import CPU_HEADER, TIMEOUT, CpuHeader, gunicorn

CLIENTS = 4  # processes asking at once: enough to keep both workers busy
SECONDS = 4.0


def hello_app() -> Flask:
    """The least a Flask app can do: gunicorn's `bench.cost:hello_app()`."""
    app = Flask("hello")

    @app.get("/")
    def hello():
        return "Hello"

    app.wsgi_app = CpuHeader(app.wsgi_app)
    return app


@dataclass(frozen=True)
class Throughput:
    requests: int
    seconds: float
    cpu_ms: float  # median worker CPU a request

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _ask(args: tuple[str, str, str, float]) -> tuple[int, list[float]]:
    """One client: GET the path again and again until the time is up."""
    base_url, path, cookie, seconds = args
    address = urlsplit(base_url)
    count, cpu = 0, []
    ends = time.perf_counter() + seconds
    while time.perf_counter() < ends:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        count += 1
        cpu.append(float(response.getheader(CPU_HEADER) or "nan"))
    return count, cpu


def throughput(base_url: str, path: str, cookie: str = "") -> Throughput:
    """Requests a second from CLIENTS processes for SECONDS, after a short warm-up."""
    with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
        pool.map(_ask, [(base_url, path, cookie, 0.5)] * CLIENTS)
        started = time.perf_counter()
        results = pool.map(_ask, [(base_url, path, cookie, SECONDS)] * CLIENTS)
        seconds = time.perf_counter() - started
    cpu = sorted(ms for _, times in results for ms in times)
    return Throughput(sum(count for count, _ in results), seconds,
                      cpu[len(cpu) // 2] * 1000 if cpu else float("nan"))


def section_against_hello(
    url: str, email: str, password: str, path: str
) -> tuple[Throughput, Throughput]:
    """The section page, as this member logged in through the form, and the one-route app."""
    with gunicorn(url) as base_url:
        client = Client(base_url)
        client.log_in(email, password)
        section = throughput(base_url, path, "; ".join(f"{c.name}={c.value}"
                                                       for c in client.cookies))
    with gunicorn(url, "bench.cost:hello_app()") as base_url:
        hello = throughput(base_url, "/")
    return section, hello
