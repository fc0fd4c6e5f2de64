"""The database tables.

Modules live in files, not in the database: rows refer to them by slug and to their sections,
questions and prompts by id (see course/content), so editing a file never breaks stored work.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (
    JSON, CheckConstraint, DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, login_manager


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A UTC timestamp that reads back timezone-aware on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("store timezone-aware datetimes only")
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum_class, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Role(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


class Relationship(enum.StrEnum):
    """How a member is related to their loved one."""

    PARENT = "parent"
    PARTNER = "partner"
    SIBLING = "sibling"
    ADULT_CHILD = "adult_child"
    GRANDPARENT = "grandparent"
    FRIEND = "friend"
    OTHER = "other"


class Visibility(enum.StrEnum):
    """Who may read a reflection besides its author."""

    PRIVATE = "private"
    FAMILY = "family"
    FACILITATOR = "facilitator"  # the family and the cohort's facilitators


class ProgressStatus(enum.StrEnum):
    STARTED = "started"
    COMPLETED = "completed"


class User(UserMixin, db.Model):
    """Anyone who logs in: a family member, a facilitator or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.MEMBER)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[FamilyMembership | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )

    @validates("email")
    def normalise_email(self, _key: str, email: str) -> str:
        # Addresses are compared without regard to case; store them one way.
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password, never the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


# Unique whatever the case, even for rows written around the model (imports, SQL by hand).
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class Cohort(db.Model):
    """A group of families run by one or more facilitators, such as an eight-week course."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date | None]
    meeting_day: Mapped[int | None] = mapped_column(
        CheckConstraint("meeting_day BETWEEN 0 AND 6", name="meeting_day_weekday")
    )
    stuck_after_days: Mapped[int] = mapped_column(default=14)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    families: Mapped[list[Family]] = relationship(back_populates="cohort")
    facilitators: Mapped[list[CohortFacilitator]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )


class CohortFacilitator(db.Model):
    """A facilitator who runs (or co-runs) a cohort."""

    __tablename__ = "cohort_facilitators"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    is_owner: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="facilitators")
    user: Mapped[User] = relationship()


class Family(db.Model):
    """The people supporting one loved one; in a cohort, or self-paced with none."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort | None] = relationship(back_populates="families")
    memberships: Mapped[list[FamilyMembership]] = relationship(
        back_populates="family", cascade="all, delete-orphan"
    )


class FamilyMembership(db.Model):
    """A member's place in their family: one family per member."""

    __tablename__ = "family_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    relationship_to_loved_one: Mapped[Relationship] = mapped_column(
        str_enum(Relationship, "relationship_to_loved_one"), default=Relationship.OTHER
    )
    loved_one_nickname: Mapped[str | None] = mapped_column(String(40))
    hides_progress: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="membership")


class Invite(db.Model):
    """A link that lets someone join: a new family in a cohort, or an existing family."""

    __tablename__ = "invites"
    __table_args__ = (
        CheckConstraint(
            "cohort_id IS NOT NULL OR family_id IS NOT NULL", name="joins_cohort_or_family"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash of the token is stored, so a database leak gives no working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[int | None] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    max_uses: Mapped[int | None]
    use_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModuleProgress(db.Model):
    """One member's standing in one module: the summary row dashboards read."""

    __tablename__ = "module_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug"),
        Index("ix_module_progress_module_status", "module_slug", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    status: Mapped[ProgressStatus] = mapped_column(
        str_enum(ProgressStatus, "progress_status"), default=ProgressStatus.STARTED
    )
    sections_done: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[float | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SectionRead(db.Model):
    """A section a member has finished reading."""

    __tablename__ = "section_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    section_id: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAttempt(db.Model):
    """One submitted quiz, never changed afterwards."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "attempt_number"),
        Index("ix_quiz_attempts_module_first", "module_slug", "attempt_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    attempt_number: Mapped[int]
    content_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[float]
    is_passed: Mapped[bool]
    # Set from a hidden field of the quiz form, so a double submission records one attempt.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    responses: Mapped[list[QuizResponse]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class QuizResponse(db.Model):
    """The answer to one question within an attempt."""

    __tablename__ = "quiz_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(80))
    chosen_option_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_correct: Mapped[bool]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="responses")


class Reflection(db.Model):
    """What a member wrote for a prompt, and who they let read it."""

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "prompt_id"),
        Index("ix_reflections_module_visibility", "module_slug", "visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    prompt_id: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "visibility"), default=Visibility.PRIVATE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user for a session, if the account still exists and is active."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None
