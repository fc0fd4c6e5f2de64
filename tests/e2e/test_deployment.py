"""A member logs in and takes a quiz in Chromium on the release as deployed: the wheel served
by gunicorn over real TLS with production settings (CSRF checks on, secure cookies)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from deployment import nginx_in_front, production_env, self_signed_certificate, serve
from helpers import free_port, require
from playwright.sync_api import expect

PASSWORD = "a long and memorable phrase"


def migrate_and_add_maria(release, env) -> None:
    for command in (
        ["flask", "--app", "course", "db", "upgrade"],
        ["flask", "--app", "course", "users", "create", "--email", "maria@example.org",
         "--name", "Maria", "--role", "member", "--password-stdin"],
    ):
        done = release.run(*command, env=env, input=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr


@pytest.fixture
def https_site(release, deployment_database, tmp_path):
    """The release migrated, with one member, served over HTTPS by two gunicorn workers."""
    port = free_port()
    env = production_env(deployment_database, f"https://127.0.0.1:{port}")
    migrate_and_add_maria(release, env)
    with serve(release, env, port, tls=self_signed_certificate(tmp_path)) as site:
        yield site.url


@pytest.fixture
def proxied_site(release, deployment_database, tmp_path):
    """The release behind the README's nginx block, which holds the certificate."""
    require(shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists(),
            "nginx not found: apt install nginx")
    app_port, port = free_port(), free_port()
    env = production_env(deployment_database, f"https://127.0.0.1:{port}", COURSE_PROXY_HOPS="1")
    migrate_and_add_maria(release, env)
    with serve(release, env, app_port) as site:
        with nginx_in_front(tmp_path, app_port, port, self_signed_certificate(tmp_path)) as url:
            yield url
        assert '"POST /login" 302' in site.log_text()


@pytest.mark.parametrize("where", ["https_site", "proxied_site"])
def test_a_member_logs_in_and_takes_a_quiz_over_https(browser, request, where):
    url = request.getfixturevalue(where)
    context = browser.new_context(ignore_https_errors=True)  # The test's own certificate.
    page = context.new_page()
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill("maria@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My course")
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["session"]["secure"] and cookies["session"]["httpOnly"]

    page.goto(f"{url}/modules/start-here/quiz")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz")
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your quiz results")
    assert re.search(r"/modules/start-here/quiz/1$", page.url)

    # She switches to Spanish: the release carries the compiled catalog and the Spanish modules.
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus resultados del cuestionario")
    page.goto(f"{url}/modules/start-here")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cómo funciona el curso y, primero, la seguridad")
    context.close()
