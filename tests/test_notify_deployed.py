"""`flask notify send` as an organisation runs it: the installed release, production settings,
a real SMTP server and the site served by gunicorn over TLS. A member quiet for longer than
their group allows gets one reminder whose one-click unsubscribe works against the served site;
a mail server that is down fails the run without logging anyone's address, and the next run
delivers the same reminder once."""

from __future__ import annotations

import email
import email.policy
import re
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from deployment import Browser, Release, production_env, self_signed_certificate, serve
from helpers import free_port, fresh_database
from sqlalchemy import create_engine, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from test_mail import Inbox

from course.models import Cohort, Family, FamilyMembership, Notice, User, utcnow

PASSWORD = "a long and memorable phrase"


class MailServer:
    """A real SMTP server (aiosmtpd) on one local port, which the test stops and starts."""

    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages received for this address, as a mail program reads them."""
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.inbox.messages if envelope.rcpt_tos == [address]
        ]


@dataclass
class Deployment:
    release: Release
    env: dict
    engine: Engine  # the deployment's database, for making data and checking it
    web_port: int
    folder: Path

    def flask(self, *args: str, input: str | None = None):
        return self.release.run("flask", "--app", "course", *args, env=self.env, input=input)

    def member_in_group(self, email_address: str, remind_after_days: int, quiet_days: int) -> int:
        """A member made with `flask users create`, whose family is moved (by SQL) into a new
        group with this reminder setting, and who joined `quiet_days` ago and did nothing."""
        made = self.flask("users", "create", "--email", email_address, "--name", "Sam",
                          "--role", "member", "--password-stdin", input=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        with self.engine.begin() as connection:
            user_id = connection.scalar(select(User.id).where(User.email == email_address))
            family_id = connection.scalar(
                select(FamilyMembership.family_id).where(FamilyMembership.user_id == user_id))
            cohort_id = connection.scalar(
                insert(Cohort).values(name="Tuesday group", remind_after_days=remind_after_days)
                .returning(Cohort.id))
            connection.execute(update(Family).where(Family.id == family_id)
                               .values(cohort_id=cohort_id))
            connection.execute(update(FamilyMembership).where(FamilyMembership.user_id == user_id)
                               .values(joined_at=utcnow() - timedelta(days=quiet_days)))
        return user_id

    def wants_reminders(self, user_id: int) -> bool:
        with self.engine.connect() as connection:
            return connection.scalar(select(User.wants_reminders).where(User.id == user_id))


@pytest.fixture(scope="module")
def mail_server():
    server = MailServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def deployment(release, mail_server, tmp_path_factory):
    """The release migrated on a fresh database, with production settings that send mail
    through `mail_server` and link to https://127.0.0.1:<web_port>."""
    folder = tmp_path_factory.mktemp("notify")
    web_port = free_port()
    with fresh_database(folder) as database:
        env = production_env(
            database, f"https://127.0.0.1:{web_port}", MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1", MAIL_PORT=str(mail_server.port), MAIL_USE_TLS="false",
        )
        migrated = release.run("flask", "--app", "course", "db", "upgrade", env=env)
        assert migrated.returncode == 0, migrated.stderr
        # A connection of its own each time: a pooled SQLite connection may keep reading an
        # old snapshot while the release's processes write.
        engine = create_engine(database, poolclass=NullPool)
        try:
            yield Deployment(release, env, engine, web_port, folder)
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def reminded(deployment, mail_server):
    """Ana, quiet 5 days in a group that reminds after 3, and Ben, quiet as long in one that
    waits 10; then one run of `flask notify send`. Gives Ana's id, the run and Ana's mail."""
    ana = deployment.member_in_group("ana@example.org", remind_after_days=3, quiet_days=5)
    deployment.member_in_group("ben@example.org", remind_after_days=10, quiet_days=5)
    run = deployment.flask("notify", "send")
    return ana, run, mail_server.to("ana@example.org")


def unsubscribe_url(message) -> str:
    match = re.fullmatch(r"<(https://[^>]+)>", " ".join(message["List-Unsubscribe"].split()))
    assert match, message["List-Unsubscribe"]
    return match.group(1)


def test_a_member_quiet_longer_than_their_group_allows_gets_one_neutral_reminder(
    deployment, mail_server, reminded
):
    _, run, messages = reminded
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 reminder: sent 1, failed 0." in run.stdout
    [message] = messages
    assert mail_server.to("ben@example.org") == []  # His group waits longer.
    assert message["Subject"] == "Your Family Course update"
    assert message["From"].addresses[0].display_name == "Family Course"
    base = f"https://127.0.0.1:{deployment.web_port}/unsubscribe/"
    assert unsubscribe_url(message).startswith(base)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert f"https://127.0.0.1:{deployment.web_port}/" in message.get_content()

    again = deployment.flask("notify", "send")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing due" in again.stdout
    assert len(mail_server.to("ana@example.org")) == 1


def test_the_reminders_one_click_unsubscribe_works_on_the_served_site(deployment, reminded):
    ana, _, [message] = reminded
    url = unsubscribe_url(message)
    tls = self_signed_certificate(deployment.folder)
    with serve(deployment.release, deployment.env, deployment.web_port, tls=tls,
               workers=1) as site:
        # A mail scanner opening the link changes nothing: it sees a page with a button.
        status, page = Browser().get(url)
        assert status == 200 and "Stop these emails?" in page and 'method="post"' in page
        assert deployment.wants_reminders(ana) is True

        # The mail program's one-click POST (RFC 8058): no token, no cookies, no Referer.
        status, page = Browser()._open(urllib.request.Request(
            url, data=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"}))
        assert 200 <= status < 300, page
    assert deployment.wants_reminders(ana) is False, page
    log = site.log_text()
    assert log.count('"POST /unsubscribe/<token>" 200') == 1
    assert url.rsplit("/", 1)[1] not in log  # The token never reaches the access log.


def test_with_the_mail_server_down_the_run_fails_quietly_and_the_next_one_delivers(
    deployment, mail_server
):
    cleo = deployment.member_in_group("cleo@example.org", remind_after_days=2, quiet_days=3)
    mail_server.stop()
    try:
        failed = deployment.flask("notify", "send")
    finally:
        mail_server.start()
    assert failed.returncode != 0
    assert "failed 1" in failed.stdout
    output = failed.stdout + failed.stderr
    assert "could not be sent" in output  # The log says so, and says no more:
    assert "@example.org" not in output and "/unsubscribe/" not in output
    with deployment.engine.connect() as connection:
        assert connection.execute(
            select(Notice.sent_at, Notice.tries).where(Notice.user_id == cleo)).all() == [(None, 1)]

    retried = deployment.flask("notify", "send")
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert deployment.flask("notify", "send").returncode == 0
    [message] = mail_server.to("cleo@example.org")
    assert message["Subject"] == "Your Family Course update"
    with deployment.engine.connect() as connection:
        [(sent_at, tries)] = connection.execute(
            select(Notice.sent_at, Notice.tries).where(Notice.user_id == cleo)).all()
    assert sent_at is not None and tries == 2  # The same notice, tried twice.

