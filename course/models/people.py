"""Accounts: everyone who logs in."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, login_manager
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .groups import FamilyMembership


class Role(enum.StrEnum):
    """What an account may do: take the course, run cohorts, or administer the site."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    AUTHOR = "author"
    ADMIN = "admin"


class User(UserMixin, db.Model):
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
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


# Unique whatever the case, even for rows written around the model (imports, SQL by hand).
Index("uq_users_email_lower", func.lower(User.email), unique=True)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user for a session, if the account still exists and is active."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None
