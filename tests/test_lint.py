"""Static checks that run with the suite: bandit finds no unjustified security smell, ruff no
lint finding, mypy no type error."""

import subprocess
import sys

from helpers import ROOT


def run_tool(*args: str) -> subprocess.CompletedProcess:
    """Run a tool of the test environment (`python -m ...`) from the top of the checkout, where
    it reads its settings from pyproject.toml."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False,
    )


def test_bandit_finds_nothing_in_the_app():
    # Each accepted finding is marked in place with `# nosec <test id>` and the reason why.
    result = run_tool("bandit", "--recursive", "--quiet", "--format", "txt", str(ROOT / "course"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing_in_the_checkout():
    # The rules, and why each family is in or out, are [tool.ruff.lint] in pyproject.toml; an
    # accepted finding is marked in place with a noqa comment naming the rule, and why.
    result = run_tool("ruff", "check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_error_in_the_app():
    # Which files, and how strictly: [tool.mypy] in pyproject.toml.
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
