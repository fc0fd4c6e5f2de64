"""The audit log: each time staff looked at a member's data or downloaded a group's figures."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import Role
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .groups import Cohort
    from .people import User


class AuditKind(enum.StrEnum):
    """What was looked at."""

    MEMBER_DETAIL = "member_detail"  # one member's page: progress, answers, what they shared
    SHARED_REFLECTIONS = "shared_reflections"  # a group's reflections shared with facilitators
    QUESTION_ANSWERS = "question_answers"  # a group's quiz answers, question by question
    PROGRESS_CSV = "progress_csv"
    QUESTIONS_CSV = "questions_csv"
    AUDIT_CSV = "audit_csv"  # this log itself


class AuditEvent(Model):
    """One look: who, when, what, in which group and at which member. Never what was read.

    The viewer's name and role are kept as they were, so the record stays true after the
    account changes or goes. A deleted member's or group's events lose their link to it.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    viewer_name: Mapped[str] = mapped_column(String(80))
    viewer_role: Mapped[Role] = mapped_column(str_enum(Role, "viewer_role"))
    kind: Mapped[AuditKind] = mapped_column(str_enum(AuditKind, "audit_kind"))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    cohort: Mapped[Cohort | None] = relationship()
    member: Mapped[User | None] = relationship(foreign_keys=[member_id])
