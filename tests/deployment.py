"""A release as an organisation deploys it: the wheel installed outside the checkout, migrated,
and served by gunicorn (with TLS, two workers) on a free local port. Used by test_release.py
and the browser test of HTTPS."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers import ROOT


@dataclass
class Release:
    """A virtual environment, outside the checkout, with the built wheel installed in it."""

    folder: Path
    bin: Path

    def run(self, *args: str, env: dict, input: str | None = None) -> subprocess.CompletedProcess:
        """Run one of the release's commands (flask, gunicorn...) from its own folder."""
        # As `python -m`: the libraries' own scripts live in the test environment.
        return subprocess.run(
            [str(self.bin / "python"), "-m", *args], cwd=self.folder, env=env, input=input,
            capture_output=True, text=True, timeout=120, check=False,
        )


def build_release(folder: Path) -> Release:
    """Build the wheel from the checkout and install it into a new virtual environment.

    The new environment sees the test environment's installed libraries (a .pth line: no
    network needed), but not the checkout: the app, its templates, migrations and modules
    come from the wheel alone.
    """
    wheels = folder / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps",
         "--wheel-dir", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "_test_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    [wheel] = wheels.glob("family_course-*.whl")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index",
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    home = folder / "site"
    home.mkdir()
    return Release(home, venv / "bin")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made with openssl, and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


@dataclass
class Site:
    """gunicorn serving the release; `log` is its output (access and error log)."""

    url: str
    process: subprocess.Popen
    log: Path
    env: dict = field(default_factory=dict)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def production_env(database_url: str, base_url: str, **extra: str) -> dict:
    """The settings the README's Deploying section asks for."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "COURSE_ENV": "production",
        "SECRET_KEY": "a-long-random-secret-for-the-test-deployment",
        "DATABASE_URL": database_url,
        "COURSE_BASE_URL": base_url,
        "MAIL_BACKEND": "log",
        **extra,
    }


@contextmanager
def serve(release: Release, env: dict, port: int, *, tls: tuple[Path, Path] | None = None,
          workers: int = 2) -> Iterator[Site]:
    """Start gunicorn as `make serve` does, wait until /healthz answers, stop it afterwards."""
    scheme = "https" if tls else "http"
    env = {**env, "COURSE_BIND": f"127.0.0.1:{port}", "COURSE_WORKERS": str(workers)}
    if tls:
        env["COURSE_CERTFILE"], env["COURSE_KEYFILE"] = map(str, tls)
    log = release.folder / f"gunicorn-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(release.bin / "python"), "-m", "gunicorn", "-c", "python:course.serving",
             "course:create_app()"],
            cwd=release.folder, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"{scheme}://127.0.0.1:{port}"
    site = Site(url, process, log, env)
    try:
        wait_until_serving(site)
        yield site
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_serving(site: Site, seconds: float = 60) -> None:
    import ssl

    context = ssl._create_unverified_context()  # The test's own self-signed certificate.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{site.log_text()}")
        try:
            with urllib.request.urlopen(f"{site.url}/healthz", timeout=5, context=context):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"gunicorn did not answer within {seconds} s:\n{site.log_text()}")


class Browser:
    """A person's cookies and forms over HTTP(S), as a real browser would send them: CSRF token
    from the page, Referer from the site, cookies kept between requests and across nodes."""

    TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def __init__(self):
        import http.cookiejar
        import ssl

        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
            NoRedirects(),
        )

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict | list, *, form_url: str | None = None) -> tuple[int, str]:
        """Fetch the form (for its CSRF token), then send it."""
        status, page = self.get(form_url or url)
        token = self.TOKEN.search(page)
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        if token:
            fields.append(("csrf_token", token.group(1)))
        origin = "/".join(url.split("/")[:3])
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": origin + "/", "Content-Type": "application/x-www-form-urlencoded"},
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Keep a redirect as the answer: its status is what the test checks."""

    def redirect_request(self, *args, **kwargs):
        return None


def readme_nginx_block() -> str:
    """The nginx site the README's Deploying section tells people to use."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```nginx\n(.*?)```", readme, re.DOTALL)
    assert match, "README.md lost its nginx block"
    return match.group(1)


@contextmanager
def nginx_in_front(folder: Path, app_port: int, port: int, tls: tuple[Path, Path]) -> Iterator[str]:
    """The README's nginx block, on local ports with the test's certificate; its https URL."""
    import shutil

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = readme_nginx_block()
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    site = re.sub(r"server \{ listen 80;.*\}\n?", "", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tls[0]};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tls[1]};", site)
    site = site.replace("server_name course.example.org;", "server_name 127.0.0.1;")
    site = site.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}")
    assert f"127.0.0.1:{port} ssl" in site and str(app_port) in site, site
    prefix = folder / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(f"""
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{}}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    {site}
}}
""")
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                error = process.communicate()[1].decode()
                raise AssertionError(f"nginx did not start: {error}") from None
            time.sleep(0.1)
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()
