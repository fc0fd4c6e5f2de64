"""What members do in modules: progress, sections read, quiz attempts, reflections.

Modules live in files, not in the database: these rows refer to them by slug, and to their
sections, questions and prompts by id (see course/content), so editing a file never breaks them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .people import User


class Visibility(enum.StrEnum):
    """Who may read a reflection besides its author."""

    PRIVATE = "private"
    FAMILY = "family"
    FACILITATOR = "facilitator"  # the family and the cohort's facilitators


class ProgressStatus(enum.StrEnum):
    """Where a member stands in a module they have opened (no row: not started)."""

    STARTED = "started"
    COMPLETED = "completed"


class ModuleProgress(Model):
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
    attempts: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[float | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SectionRead(Model):
    """A section a member has finished reading."""

    __tablename__ = "section_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    section_id: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAttempt(Model):
    """One submitted quiz, never changed afterwards."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "attempt_number"),
        Index("ix_quiz_attempts_module_first", "module_slug", "attempt_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Emptied when the member deletes their account: the cohort keeps an anonymous count.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
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


class QuizResponse(Model):
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


class Reflection(Model):
    """What a member wrote for a prompt, and who they let read it."""

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "prompt_id"),
        Index("ix_reflections_module_visibility", "module_slug", "visibility"),
        # At most progress.MAX_REFLECTION_LENGTH characters: a CHECK, which SQLite enforces too.
        CheckConstraint("length(body) <= 5000", name="body_length"),
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

    user: Mapped[User] = relationship()
    encouragements: Mapped[list[Encouragement]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan",
        order_by="Encouragement.created_at",
    )


class Encouragement(Model):
    """A short, kind word a family member leaves on a reflection shared with them."""

    __tablename__ = "encouragements"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="encouragements")
    author: Mapped[User] = relationship()
