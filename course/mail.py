"""Sending email: through SMTP when MAIL_SERVER is set, else to the log (development)."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_email(to: str, subject: str, body: str) -> None:
    """Send a plain-text message through the configured backend."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config["MAIL_BACKEND"] == "memory":
        current_app.extensions.setdefault("outbox", []).append(message)
        return
    if config["MAIL_BACKEND"] == "log":
        # The decoded text: the raw message would wrap long links with quoted-printable breaks.
        current_app.logger.warning(
            "Email not sent (no MAIL_SERVER set). To: %s\nSubject: %s\n\n%s",
            to, subject, message.get_content(),
        )
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
