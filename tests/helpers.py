"""Plain helpers for tests: imported by test files and by conftest."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

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
