"""The release as an organisation installs it: `pip install` of the wheel, outside the checkout,
then `flask db upgrade` and gunicorn, following the README's Deploying section."""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request

from deployment import production_env, self_signed_certificate, serve
from helpers import free_port

UNVERIFIED = ssl._create_unverified_context()  # The test's own self-signed certificate.


def fetch(url: str, **headers: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10, context=UNVERIFIED) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_the_installed_wheel_migrates_and_serves_over_https_with_two_workers(
    release, deployment_database, tmp_path
):
    port = free_port()
    env = production_env(deployment_database, f"https://127.0.0.1:{port}")
    migrated = release.run("flask", "--app", "course", "db", "upgrade", env=env)
    assert migrated.returncode == 0, migrated.stderr

    with serve(release, env, port, tls=self_signed_certificate(tmp_path)) as site:
        status, headers, body = fetch(f"{site.url}/healthz")
        assert status == 200
        health = json.loads(body)
        assert health["database"] == "ok"
        assert health["content"]["modules"] >= 12
        assert health["content"]["modules_with_errors"] == 0

        status, headers, page = fetch(f"{site.url}/")
        assert status == 200
        assert "Family Course" in page
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        [css] = re.findall(r'href="(/static/course\.[0-9a-f]{12}\.css)"', page)
        status, headers, _ = fetch(site.url + css)
        assert status == 200 and "immutable" in headers["Cache-Control"]

        assert fetch(f"{site.url}/resources")[0] == 200
        status, _, login = fetch(f"{site.url}/modules/start-here")
        assert status == 200 and 'name="password"' in login  # Sent to log in first.
        # A forged Host is refused rather than trusted.
        assert fetch(f"{site.url}/", Host="evil.example")[0] == 400
        # Tokens in paths and query strings never reach the access log.
        fetch(f"{site.url}/reset-password/SECRET-TOKEN?next=/family")
    log = site.log_text()  # Complete once gunicorn has stopped.
    workers = set(re.findall(r"Booting worker with pid: (\d+)", log))
    assert len(workers) == 2
    assert '"GET /reset-password/<token>" 404' in log
    assert "SECRET-TOKEN" not in log
    assert "next=" not in log
    assert '"GET /healthz" 200' in log


def test_the_installed_releases_commands_speak_a_spanish_terminals_language(
    release, deployment_database
):
    # The wheel carries the compiled catalog that commands, their help and click's words use.
    env = production_env(deployment_database, "https://course.example.org")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "es_MX.UTF-8"

    helped = release.run("flask", "--app", "course", "content", "check", "--help", env=env)
    checked = release.run("flask", "--app", "course", "content", "check", env=env)

    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("Uso: ") and "Revisa cada módulo" in helped.stdout
    assert "Muestra este mensaje y sale." in helped.stdout
    assert checked.returncode == 0, checked.stderr
    assert "Todo bien." in checked.stdout + checked.stderr
    assert "Español: 17 traducciones; al día: 17" in checked.stdout + checked.stderr


def test_a_release_without_mail_or_base_url_refuses_to_start_and_says_why(
    release, deployment_database
):
    env = production_env(deployment_database, "https://course.example.org")
    del env["MAIL_BACKEND"]
    result = release.run("flask", "--app", "course", "db", "upgrade", env=env)
    assert result.returncode != 0
    assert "MAIL_SERVER is not set" in result.stderr
