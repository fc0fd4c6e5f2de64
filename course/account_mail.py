"""The mail about an account: confirm your address, reset your password, you already have one.

Each body is a template in templates/email/; course/mail.py sends it. Links come from the
configured base URL (course/links.py). Each is written in its recipient's language
(course/i18n.py, locale_of), whatever the language of the page that sent it.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext as _

from . import tokens
from .accounts import find_user_by_email
from .i18n import locale_of
from .links import external_url
from .mail import send_email
from .models import User


def send_confirmation(user: User) -> None:
    """Email a new member the link that confirms their address."""
    with force_locale(locale_of(user)):
        send_email(
            user.email, _("Confirm your email for Family Course"), "confirm",
            name=user.display_name,
            link=external_url("auth.confirm_email", token=tokens.make_confirm_token(user)),
            days=tokens.CONFIRM_DAYS,
        )


def send_already_registered(user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    with force_locale(locale_of(user)):
        send_email(
            user.email, _("Your Family Course account"), "already_registered",
            login_link=external_url("auth.login"),
            reset_link=external_url("auth.forgot_password"),
        )


def send_password_reset(email: str) -> None:
    """Email a reset link if an account uses this email; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    with force_locale(locale_of(user)):
        send_email(
            user.email, _("Reset your Family Course password"), "reset_password",
            name=user.display_name,
            link=external_url("auth.reset_password", token=tokens.make_reset_token(user)),
            minutes=current_app.config["PASSWORD_RESET_MINUTES"],
        )
