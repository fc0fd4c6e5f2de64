"""Timing pages as a facilitator gets them: the app served over HTTP, a logged-in client, and
percentiles of the wall-clock time of whole responses."""

from __future__ import annotations

import logging
import math
import re
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

from flask import Flask
from werkzeug.serving import make_server


class CpuClock:
    """WSGI middleware noting the CPU time the app's thread spent on each request, by path.

    Wall-clock times suffer when other programs share the machine; this figure much less so.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.seconds: dict[str, list[float]] = defaultdict(list)

    def __call__(self, environ, start_response):
        started = time.thread_time()
        body = self.app(environ, start_response)
        try:
            chunks = list(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self.seconds[environ["PATH_INFO"]].append(time.thread_time() - started)
        return chunks


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve the app on a free local port in a background thread; yield its base URL."""
    # One log line per request would bury the report.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@dataclass(frozen=True)
class Response:
    url: str
    content_type: str
    body: bytes
    seconds: float


class Client:
    """A browser-like HTTP client that keeps its session cookie."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> Response:
        """GET a path and read the whole body; time it from request to last byte."""
        started = time.perf_counter()
        with self.opener.open(self.base_url + path, timeout=60) as reply:
            body = reply.read()
        return Response(reply.url, reply.headers.get_content_type(), body,
                        time.perf_counter() - started)

    def log_in(self, email: str, password: str) -> None:
        """Log in through the login form; raise if the app does not let us in."""
        data = urlencode({"email": email, "password": password}).encode()
        with self.opener.open(self.base_url + "/login", data=data, timeout=60) as reply:
            reply.read()
            landed = reply.url
        if landed.endswith("/login") or not any(c.name == "session" for c in self.cookies):
            raise RuntimeError(f"could not log in as {email} (ended on {landed})")


@dataclass(frozen=True)
class Timing:
    """Times of repeated requests for one endpoint, with what the last one returned."""

    name: str
    path: str
    seconds: list[float]
    cpu_seconds: list[float]
    rows: int
    size: int
    status: str | None  # the page's own count line, such as "1000 members, page 1 of 10."

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 95) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.seconds) * 1000

    @property
    def cpu_p50_ms(self) -> float:
        return statistics.median(self.cpu_seconds) * 1000


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with `share`% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def count_rows(response: Response) -> int:
    """Data rows: lines after the header of a CSV, table body rows of a page."""
    text = response.body.decode()
    if response.content_type == "text/csv":
        return max(0, len(text.splitlines()) - 1)
    return sum(body.count("<tr") for body in re.findall(r"<tbody>(.*?)</tbody>", text, re.DOTALL))


def status_line(response: Response) -> str | None:
    """The text of the page's status paragraph, if it has one."""
    if response.content_type != "text/html":
        return None
    found = re.search(r'<p role="status">(.*?)</p>', response.body.decode(), re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else None


def time_endpoint(client: Client, clock: CpuClock, name: str, path: str, *, requests: int,
                  warm_up: int = 3) -> Timing:
    """GET a path `warm_up` times untimed, then `requests` times timed, one after another."""
    for _ in range(warm_up):
        client.get(path)
    responses = [client.get(path) for _ in range(requests)]
    # Errors raise in urllib; a redirect (to the login page, say) would time the wrong page.
    for response in responses:
        if not response.url.endswith(path):
            raise RuntimeError(f"{path} was redirected to {response.url}")
    last = responses[-1]
    return Timing(name, path, [r.seconds for r in responses], clock.seconds[path][-requests:],
                  count_rows(last), len(last.body), status_line(last))
