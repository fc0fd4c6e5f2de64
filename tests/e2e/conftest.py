"""Real-browser fixtures: the app served on a free local port, and Debian's Chromium."""

import threading
from pathlib import Path

import pytest
from helpers import require
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Drive Debian's Chromium; Playwright's own browser download does not work offline."""
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt install chromium")
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_server(session_app):
    """The session's app, served over HTTP in a background thread."""
    server = make_server("127.0.0.1", 0, session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Let page.goto take paths: pytest-playwright resolves them against this."""
    return live_server


@pytest.fixture
def site(live_server, app):
    """The base URL of the live app; the database is emptied after each test."""
    return live_server
