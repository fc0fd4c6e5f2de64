"""Families, the cohorts facilitators run, and the invites that let people join them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .learning import Visibility
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .people import User


class Relationship(enum.StrEnum):
    """How a member is related to their loved one."""

    PARENT = "parent"
    PARTNER = "partner"
    SIBLING = "sibling"
    ADULT_CHILD = "adult_child"
    GRANDPARENT = "grandparent"
    FRIEND = "friend"
    OTHER = "other"


class Cohort(Model):
    """A group of families run by one or more facilitators, such as an eight-week course."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date | None]
    meeting_day: Mapped[int | None] = mapped_column(
        CheckConstraint("meeting_day BETWEEN 0 AND 6", name="meeting_day_weekday")
    )
    stuck_after_days: Mapped[int] = mapped_column(default=14)
    # Members who have done nothing for this many days get a gentle reminder (if they agreed).
    remind_after_days: Mapped[int] = mapped_column(
        CheckConstraint("remind_after_days BETWEEN 1 AND 90", name="remind_after_days_range"),
        default=7, server_default="7",
    )
    # The language for members who have not chosen one ("en", "es"); None: their browser's.
    default_locale: Mapped[str | None] = mapped_column(String(8))
    # A short note from the facilitators to the whole group, shown as news to its members.
    note: Mapped[str | None] = mapped_column(String(1000))
    note_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    families: Mapped[list[Family]] = relationship(back_populates="cohort")
    schedule: Mapped[list[ModuleSchedule]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )
    facilitators: Mapped[list[CohortFacilitator]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )


class ModuleSchedule(Model):
    """The day a module opens to a cohort's members; modules without a row are open."""

    __tablename__ = "module_schedules"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    module_slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    opens_on: Mapped[date]

    cohort: Mapped[Cohort] = relationship(back_populates="schedule")


class CohortFacilitator(Model):
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


class Family(Model):
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


class FamilyMembership(Model):
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
    is_progress_hidden: Mapped[bool] = mapped_column(default=False)
    # Who may read the member's plan (their answers to plan items): themself, or the family.
    plan_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "plan_visibility"), default=Visibility.PRIVATE,
        server_default=Visibility.PRIVATE.value,
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="membership")


class Invite(Model):
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
    # Whom the link was for, in the inviter's words ("The Garcias", "Dad"); shown in the list.
    label: Mapped[str | None] = mapped_column(String(80))
    max_uses: Mapped[int | None]
    use_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort | None] = relationship()
    family: Mapped[Family | None] = relationship()
