"""Logins that can be ended: on logout, on a password change or reset, on deactivation, and
from "Log out everywhere".

Each login gets a row in login_sessions and a random key; the session and remember cookies
carry "<user id>.<key>" (Flask-Login's alternative id), and a request is logged in only while
that row exists. Plain functions: they flush and never commit.
"""

from __future__ import annotations

import hashlib
import secrets

from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from .extensions import db, login_manager
from .models import Family, FamilyMembership, LoginSession, User


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def log_in(user: User, *, remember: bool = False) -> None:
    """Start a new login for the user on this device."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    db.session.flush()
    user.login_id = f"{user.id}.{key}"
    login_user(user, remember=remember)


def _split(login_id: str | None) -> tuple[int, str] | None:
    user_id, dot, key = (login_id or "").partition(".")
    if not dot or not user_id.isdigit() or not key or len(user_id) > 12:
        return None
    return int(user_id), key


# Built once: every page asks it. The member's family and group come in the same statement, as
# the menu (and who a reflection may be shared with) needs the family on most pages, and the
# page's language may be the group's (course/i18n.py).
LOGGED_IN_USER = (
    select(User).join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), LoginSession.key_hash == bindparam("key_hash"))
    .options(
        joinedload(User.membership).joinedload(FamilyMembership.family)
        .joinedload(Family.cohort)
    )
)


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """The user of a login that still exists, if the account is active, with their family."""
    parts = _split(login_id)
    if parts is None:
        return None
    user = db.session.scalar(
        LOGGED_IN_USER, {"user_id": parts[0], "key_hash": _hash(parts[1])}
    )
    if user is None or not user.is_active:
        return None
    user.login_id = login_id
    return user


def log_out() -> None:
    """End this login: its cookies stop working, wherever copies of them are."""
    parts = _split(getattr(current_user, "login_id", None))
    if parts is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.key_hash == _hash(parts[1])))
    logout_user()


def end_other_logins(user: User) -> None:
    """End every login of the user but the one of this request (after a password change)."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    parts = _split(user.login_id)
    if parts is not None:
        query = query.where(LoginSession.key_hash != _hash(parts[1]))
    db.session.execute(query)


def end_all_logins(user: User) -> None:
    """End every login of the user, this one included (log out everywhere, deactivation)."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
