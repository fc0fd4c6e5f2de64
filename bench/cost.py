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
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from flask import Flask

from .measure import Client
from .quiz import CPU_HEADER, TIMEOUT, CpuHeader, gunicorn

CLIENTS = 4  # processes asking at once: enough to keep both workers busy
SECONDS = 4.0  # each app is asked this long in all
ROUNDS = 4  # in turns of SECONDS / ROUNDS


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
    """One client: GET the path again and again until the time is up, keeping the cookies the
    app sets, as a browser does (else a cookie the app changed once is re-sent, and changed
    again, on every request)."""
    base_url, path, cookie, seconds = args
    address = urlsplit(base_url)
    cookies = SimpleCookie(cookie)
    count, cpu = 0, []
    ends = time.perf_counter() + seconds
    while time.perf_counter() < ends:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
        sent = "; ".join(f"{name}={morsel.coded_value}" for name, morsel in cookies.items())
        try:
            connection.request("GET", path, headers={"Cookie": sent} if sent else {})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            cookies.load(header)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        count += 1
        cpu.append(float(response.getheader(CPU_HEADER) or "nan"))
    return count, cpu


def _throughput(rounds: list[tuple[list[tuple[int, list[float]]], float]]) -> Throughput:
    """One app's figures from its rounds: each the clients' (count, CPU times) and its seconds."""
    cpu = sorted(ms for results, _ in rounds for _, times in results for ms in times)
    return Throughput(sum(count for results, _ in rounds for count, _ in results),
                      sum(seconds for _, seconds in rounds),
                      cpu[len(cpu) // 2] * 1000 if cpu else float("nan"))


def section_against_hello(
    url: str, email: str, password: str, path: str
) -> tuple[Throughput, Throughput]:
    """The section page, as this member logged in through the form, and the one-route app.

    Both are served at once and asked in turn, ROUNDS times for SECONDS / ROUNDS each, so that
    anything else the machine does while they run weighs on both alike."""
    with gunicorn(url) as section_url, gunicorn(url, "bench.cost:hello_app()") as hello_url:
        client = Client(section_url)
        client.log_in(email, password)
        cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
        asks = {"section": (section_url, path, cookie), "hello": (hello_url, "/", "")}
        rounds: dict[str, list] = {name: [] for name in asks}
        with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
            for ask in asks.values():  # A warm-up each, untimed.
                pool.map(_ask, [(*ask, 0.5)] * CLIENTS)
            for _ in range(ROUNDS):
                for name, ask in asks.items():
                    started = time.perf_counter()
                    results = pool.map(_ask, [(*ask, SECONDS / ROUNDS)] * CLIENTS)
                    rounds[name].append((results, time.perf_counter() - started))
    return _throughput(rounds["section"]), _throughput(rounds["hello"])
