"""Accounts: everyone who logs in."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Model
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .groups import FamilyMembership


class Role(enum.StrEnum):
    """What an account may do: take the course, run cohorts, or administer the site."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    AUTHOR = "author"
    ADMIN = "admin"


class User(UserMixin, Model):
    """Anyone who logs in: a family member, a facilitator or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.MEMBER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Set when the member opens the link we emailed; until then they can't log in.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What email a person has agreed to (issue 13): each is switched off on the account page or
    # by the one-click link in any such mail. Confirmations and resets are always sent.
    wants_reminders: Mapped[bool] = mapped_column(default=True, server_default=true())
    wants_module_notes: Mapped[bool] = mapped_column(default=True, server_default=true())
    wants_family_notes: Mapped[bool] = mapped_column(default=True, server_default=true())
    wants_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The language the person chose for the site and the modules ("en", "es"); None: their
    # group's default, else what their browser asks for (course/i18n.py).
    locale: Mapped[str | None] = mapped_column(String(8))
    # The last time the "Since your last visit" list was shown; what is newer is new.
    news_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[FamilyMembership | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )

    @validates("email")
    def normalise_email(self, _key: str, email: str) -> str:
        """Store addresses trimmed and lower-case: they are compared without regard to case."""
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password, never the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    # The login this request runs under ("<user id>.<key>"), set by course/sessions.py. Not a
    # column: SQLAlchemy would map an annotation it saw, so only the type checker sees this one.
    if TYPE_CHECKING:
        login_id: str | None
    login_id = None

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the session and remember cookies: the login, not the user."""
        return self.login_id

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


# Unique whatever the case, even for rows written around the model (imports, SQL by hand).
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class LoginSession(Model):
    """One login on one device. Session and remember cookies name it (with a key of which only
    a hash is stored), so deleting the row ends that login wherever its cookies went."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeKind(enum.StrEnum):
    """The kinds of email `flask notify send` writes (course/notify.py)."""

    REMINDER = "reminder"  # no activity for the group's number of days
    MODULE_OPENS = "module_opens"  # a held-back module opened
    FAMILY = "family"  # someone in the family encouraged or shared
    DIGEST = "digest"  # a facilitator's weekly summary of one group


class Notice(Model):
    """One email `flask notify send` decided to send, recorded before it goes, so a second run
    sends nothing twice and a failed one is tried again on the next run."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "notice_kind"))
    # What the notice is about, so the same news is never sent twice: a date, a module, a week.
    key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    tries: Mapped[int] = mapped_column(default=0)
