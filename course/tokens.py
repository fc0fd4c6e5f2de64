"""Signed tokens for emailed links: confirming an address, resetting a password, and turning
off one kind of email.

Nothing is stored: a token is signed with SECRET_KEY and expires. The confirm and reset tokens
name the account's current password hash, so a new password ends every token made before it;
an unsubscribe link keeps working whatever the password, for as long as mail may sit unread.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .extensions import db
from .models import NoticeKind, User, utcnow

CONFIRM_DAYS = 7
UNSUBSCRIBE_DAYS = 400  # Over a year: an old email's link still works.


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # The token names the current password hash, so it stops working once the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _load(salt: str, token: str, max_age: int) -> dict | None:
    """The data a genuine, unexpired token carries, else None."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) else None


# Password reset ------------------------------------------------------------------------------


def make_reset_token(user: User) -> str:
    """A signed token for one password reset."""
    return _serializer("password-reset").dumps({"id": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a reset token is for, if it is genuine, unexpired and unused."""
    data = _load("password-reset", token, current_app.config["PASSWORD_RESET_MINUTES"] * 60)
    if data is None:
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data.get("id"), int) else None
    if user is None or not user.is_active or data.get("pw") != _password_fingerprint(user):
        return None
    return user


# Confirming an email address -----------------------------------------------------------------


def make_confirm_token(user: User) -> str:
    """A signed token that confirms the user's current address."""
    return _serializer("confirm-email").dumps(
        {"id": user.id, "email": user.email, "pw": _password_fingerprint(user)}
    )


def confirm_email(token: str) -> tuple[User | None, bool]:
    """Confirm the address of a confirmation token: its user, and whether this confirmed it.

    A token works once: a second use finds the address already confirmed, and a new password
    (the owner taking back an account someone else registered) ends it.
    """
    data = _load("confirm-email", token, CONFIRM_DAYS * 86400)
    if data is None or not isinstance(data.get("id"), int):
        return None, False
    user = db.session.get(User, data["id"])
    if (user is None or not user.is_active or user.email != data.get("email")
            or data.get("pw") != _password_fingerprint(user)):
        return None, False
    if user.email_confirmed_at is not None:
        return user, False
    user.email_confirmed_at = utcnow()
    return user, True


# Turning off one kind of email -----------------------------------------------------------------


def make_unsubscribe_token(user_id: int, kind: NoticeKind) -> str:
    """A signed token that turns off one kind of email for one account, without a login."""
    return _serializer("unsubscribe").dumps({"id": user_id, "kind": kind.value})


def unsubscribe_target(token: str) -> tuple[User, NoticeKind] | None:
    """The account and the kind of email a genuine, unexpired unsubscribe token names."""
    data = _load("unsubscribe", token, UNSUBSCRIBE_DAYS * 86400)
    if data is None or not isinstance(data.get("id"), int):
        return None
    try:
        kind = NoticeKind(str(data.get("kind")))
    except ValueError:
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active:
        return None
    return user, kind
