"""Mail is sent from templates, off the request; a mail server that is down changes nothing a
person sees and tells nobody whether an address has an account."""

from __future__ import annotations

import logging

import pytest
from aiosmtpd.controller import Controller
from helpers import SHIPPED_MODULES, free_port

from config import TestConfig
from course import create_app


class Inbox:
    """An SMTP server's handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_app(make_app, tmp_path):
    """The app sending through an SMTP server on a local port that nobody listens on yet."""
    port = free_port()
    app = make_app(
        SHIPPED_MODULES, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
        MAIL_USE_TLS=False, MAIL_TRIES=3, MAIL_RETRY_PAUSE=0.3,
        COURSE_BASE_URL="https://course.example.org", COURSE_ALLOWED_HOSTS="localhost",
    )
    app.config["test_smtp_port"] = port
    return app


def wait_for_mail(app) -> None:
    app.extensions["course_mail_sender"].queue.join()


def test_with_the_mail_server_down_forgot_password_answers_the_same_for_any_address(
    smtp_app, make_member, caplog
):
    make_member(email="sam@example.org")
    client = smtp_app.test_client()
    with caplog.at_level(logging.INFO):
        known = client.post("/forgot-password", data={"email": "sam@example.org"})
        unknown = client.post("/forgot-password", data={"email": "nobody@example.org"})
        wait_for_mail(smtp_app)

    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("sam@example.org", "X") == unknown.text.replace(
        "nobody@example.org", "X"
    )
    failures = [r for r in caplog.records if r.name == "course.mail"]
    assert [r.levelname for r in failures] == ["WARNING", "WARNING", "ERROR"]
    assert failures[-1].getMessage().endswith("; it is dropped")
    logged = caplog.text
    assert "sam@example.org" not in logged
    assert "/reset-password/" not in logged


def test_a_message_its_sender_keeps_is_not_logged_as_dropped(smtp_app, caplog):
    from flask_mailman import EmailMessage

    from course import mail

    with smtp_app.app_context(), caplog.at_level(logging.INFO):
        message = EmailMessage(subject="Your Family Course update", body="Hello",
                               to=["a@example.org"])
        assert mail.deliver(message, tries=1) is False  # As `flask notify send` asks.

    [failure] = [r for r in caplog.records if r.name == "course.mail"]
    assert failure.getMessage().endswith("; it will be tried on the next run")


def test_a_message_that_fails_is_tried_again_and_arrives_once_the_server_is_back(
    smtp_app, make_member
):
    make_member(email="sam@example.org")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_app.config["test_smtp_port"])
    client = smtp_app.test_client()
    client.post("/forgot-password", data={"email": "sam@example.org"})
    # The first try finds nobody listening; the server starts before the second.
    controller.start()
    try:
        wait_for_mail(smtp_app)
    finally:
        controller.stop()

    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["sam@example.org"]
    body = envelope.content.decode()
    assert "Subject: Reset your Family Course password" in body
    # Built from the configured address, whatever Host the request came with.
    assert "https://course.example.org/reset-password/" in body


def test_links_in_mail_ignore_the_host_the_request_named(app, make_member, outbox):
    make_member(email="sam@example.org")
    app.config["COURSE_BASE_URL"] = "https://course.example.org"
    try:
        app.test_client().post(
            "/forgot-password", data={"email": "sam@example.org"},
            headers={"Host": "evil.example"},
        )
    finally:
        app.config["COURSE_BASE_URL"] = None
    [message] = outbox
    assert "https://course.example.org/reset-password/" in message.get_content()
    assert "evil.example" not in message.get_content()


def test_the_log_backend_notes_a_message_without_its_address_or_link(tmp_path, caplog):
    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'log.db'}", "MAIL_BACKEND": "log",
    })
    from course.mail import send_email

    with app.test_request_context(), caplog.at_level(logging.INFO):
        send_email("sam@example.org", "Reset your Family Course password", "reset_password",
                   name="Sam", link="https://course.example.org/reset-password/SECRET",
                   minutes=60)
    assert "Reset your Family Course password" in caplog.text
    assert "sam@example.org" not in caplog.text
    assert "SECRET" not in caplog.text


def test_sending_now_carries_extra_headers_and_says_whether_it_went(smtp_app, caplog):
    from course.mail import send_now

    context = {"name": "Sam", "course_link": "https://course.example.org/",
               "settings_link": "https://course.example.org/account",
               "unsubscribe_link": "https://course.example.org/unsubscribe/TOKEN"}
    headers = {"List-Unsubscribe": "<https://course.example.org/unsubscribe/TOKEN>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    with smtp_app.app_context(), caplog.at_level(logging.INFO):
        # Nobody listens yet: one try, no waiting, and the caller hears it failed.
        assert send_now("sam@example.org", "Your Family Course update", "reminder",
                        headers, **context) is False
        assert [r.levelname for r in caplog.records if r.name == "course.mail"] == ["ERROR"]
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1",
                                port=smtp_app.config["test_smtp_port"])
        controller.start()
        try:
            assert send_now("sam@example.org", "Your Family Course update", "reminder",
                            headers, **context) is True
        finally:
            controller.stop()

    [envelope] = inbox.messages
    body = envelope.content.decode()
    assert "List-Unsubscribe: <https://course.example.org/unsubscribe/TOKEN>" in body
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in body
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("course")]
    assert ours and not any("sam@example.org" in line for line in ours)
