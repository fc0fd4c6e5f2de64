"""Sending email through Flask-Mailman. Message bodies are templates in templates/email/.

Sending never holds up or changes the page a person sees: over SMTP each message goes to a
background thread of this process, which tries it MAIL_TRIES times and, if all fail, logs that
it failed, never the address or the text (they hold links that log people in).
"""

from __future__ import annotations

import email
import email.policy
import logging
import queue
import threading
import time
from email.utils import formataddr, parseaddr

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from flask_mailman import EmailMessage, Mail
from flask_mailman.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)
mail = Mail()

class LogBackend(BaseEmailBackend):
    """Drops messages and notes that it did, without their address or text."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.warning("Email not sent (MAIL_BACKEND=log): %s", message.subject)
        return len(email_messages)


class MemoryBackend(BaseEmailBackend):
    """Keeps messages in app.extensions["outbox"], as standard library messages, for tests."""

    def send_messages(self, email_messages) -> int:
        outbox = current_app.extensions.setdefault("outbox", [])
        for message in email_messages:
            outbox.append(email.message_from_bytes(
                message.message().as_bytes(), policy=email.policy.default
            ))
        return len(email_messages)


# Our MAIL_BACKEND names, and the Flask-Mailman backend each one uses.
BACKENDS = {"smtp": "smtp", "console": "console", "log": LogBackend, "memory": MemoryBackend}


class Sender:
    """One background thread per process that delivers queued messages, with retries."""

    def __init__(self, app: Flask):
        self.app = app
        self.queue: queue.Queue[EmailMessage] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def submit(self, message: EmailMessage) -> None:
        with self.lock:
            # Started here, not at import: a forking server must start it in each worker.
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="mail", daemon=True)
                self.thread.start()
        self.queue.put(message)

    def _run(self) -> None:
        while True:
            message = self.queue.get()
            with self.app.app_context():
                deliver(message)
            self.queue.task_done()


def deliver(message: EmailMessage, tries: int | None = None) -> bool:
    """Send one message now, retrying with a growing pause; say whether it went.

    `tries` caps the attempts (default MAIL_TRIES): a caller that tries again later on its
    own, such as `flask notify send`, asks for one.
    """
    # A caller that sets `tries` keeps the message and sends it again itself.
    fate = "it is dropped" if tries is None else "it will be tried on the next run"
    # Only a mail server is worth asking again.
    if current_app.config["MAIL_BACKEND"] != "smtp":
        tries = 1
    elif tries is None:
        tries = current_app.config["MAIL_TRIES"]
    for attempt in range(1, tries + 1):
        try:
            with mail.get_connection() as connection:
                connection.send_messages([message])
            return True
        # Any failure of the server or the network: try again.
        except Exception as error:  # noqa: BLE001
            if attempt == tries:
                # The error's text may quote the address: log only what kind of error it was.
                log.error(
                    "Email %r could not be sent after %d tries (%s); %s",
                    message.subject, attempt, type(error).__name__, fate,
                )
                return False
            log.warning(
                "Email %r failed to send (%s); trying again", message.subject,
                type(error).__name__,
            )
            time.sleep(min(current_app.config["MAIL_RETRY_PAUSE"] * 2 ** (attempt - 1), 60))
    return False


def init_mail(app: Flask) -> None:
    """Bind Flask-Mailman to the app with the backend MAIL_BACKEND names."""
    backend = app.config["MAIL_BACKEND"]
    state = mail.init_app(app)
    state.backend = BACKENDS[backend]
    state.default_sender = app.config["MAIL_FROM"]
    app.extensions["course_mail_sender"] = Sender(app) if backend == "smtp" else None


# The product's name as a sender; it is said in the reader's language ("Curso para Familias").
PRODUCT_SENDER_NAME = "Family Course"


def sender_address() -> str:
    """MAIL_FROM, with the product's name in the language the message is written in. A name an
    organisation set (such as "Hope Centre") is theirs and stays as it is."""
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    if name != PRODUCT_SENDER_NAME:
        return current_app.config["MAIL_FROM"]
    return formataddr((_("Family Course"), address))


def build_email(
    to: str, subject: str, template: str, headers: dict[str, str] | None = None, **context
) -> EmailMessage:
    """A message with the text of templates/email/<template>.txt, to one address, with any
    extra headers (such as List-Unsubscribe)."""
    return EmailMessage(
        subject=subject, body=render_template(f"email/{template}.txt", **context), to=[to],
        from_email=sender_address(), headers=headers or {}, connection=None,
    )


def send_now(
    to: str, subject: str, template: str, headers: dict[str, str] | None = None, **context
) -> bool:
    """Send one message from a template at once, in this thread, trying once; say whether it
    went. For commands that record what they sent and try again on their next run."""
    return deliver(build_email(to, subject, template, headers, **context), tries=1)


def send_email(to: str, subject: str, template: str, **context) -> None:
    """Send the text of templates/email/<template>.txt to one address, off the request."""
    message = build_email(to, subject, template, **context)
    sender: Sender | None = current_app.extensions.get("course_mail_sender")
    if sender is None:
        deliver(message)
    else:
        sender.submit(message)
