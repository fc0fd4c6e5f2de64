"""Plain helpers for tests: imported by test files and by conftest."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import database_url

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_MODULES = ROOT / "content" / "modules"


def require(condition: bool, reason: str) -> None:
    """Skip a test whose tool is missing on a laptop; fail it under CI, which installs them all."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must install it (see .ci/run)", pytrace=False)
    pytest.skip(reason)


def guide_example() -> str:
    """The whole example module of the authors' guide, so the guide is tested as it stands."""
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## A whole example.*?````markdown\n(.*?)````", guide, re.S)
    assert match, "content/README.md lost its whole example"
    return match.group(1)


def write_module(folder: Path, name: str, text: str | bytes) -> Path:
    """Write a module file into a content folder."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def postgres_server_url() -> str | None:
    """A PostgreSQL server the tests may create databases on, if one is configured."""
    for name in ("COURSE_TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql")):
            return database_url(url)
    return None


@contextmanager
def scratch_postgres_database(server_url: str) -> Iterator[str]:
    """Create a database for one test run, and drop it afterwards whatever happened."""
    url = make_url(server_url)
    name = f"course_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
