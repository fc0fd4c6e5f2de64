"""Groups: starting one, sharing it with co-facilitators, archiving it, and when its modules open.

Plain functions that views call; they change the session and flush, and never commit. Who may
see a group is sharing.py's to say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import sharing
from .accounts import find_user_by_email
from .content import Module
from .extensions import db
from .models import Cohort, ModuleSchedule, User, local_today, utcnow


@dataclass(frozen=True)
class Details:
    """What a facilitator says about a group: its name, when it meets, when a member is stuck,
    when members who asked for reminders get one, and a note to the whole group."""

    name: str
    start_date: date | None
    meeting_day: int | None
    stuck_after_days: int
    remind_after_days: int = 7
    note: str | None = None
    default_locale: str | None = None  # for members who haven't chosen a language


def create_cohort(owner: User, details: Details, now: datetime | None = None) -> Cohort:
    """Start a group that the owner runs."""
    cohort = Cohort()
    update_cohort(cohort, details, now=now)
    db.session.add(cohort)
    sharing.add_facilitator(cohort, owner, is_owner=True)
    return cohort


def update_cohort(cohort: Cohort, details: Details, now: datetime | None = None) -> None:
    """Change a group's name, meeting days, when a member counts as stuck, when reminders go
    out, and its note; a changed note is stamped with `now`, so members see it as news."""
    cohort.name = details.name
    cohort.start_date = details.start_date
    cohort.meeting_day = details.meeting_day
    cohort.stuck_after_days = details.stuck_after_days
    cohort.remind_after_days = details.remind_after_days
    cohort.default_locale = details.default_locale
    note = (details.note or "").replace("\r\n", "\n").strip() or None
    if note != cohort.note:
        cohort.note = note
        cohort.note_updated_at = now or utcnow()
    db.session.flush()


def next_meeting(cohort: Cohort, today: date | None = None) -> date | None:
    """The group's next meeting, today counting: the first meeting while it is to come, then
    the next day it meets on (today included). None without a set meeting day once the first
    meeting has passed, or without either."""
    today = today or local_today()
    start = cohort.start_date
    if start is not None and start >= today:
        return start
    if cohort.meeting_day is None:
        return None
    return today + timedelta(days=(cohort.meeting_day - today.weekday()) % 7)


def add_co_facilitator(cohort: Cohort, email: str) -> User | None:
    """Let the facilitator with this email run the group too; None if no facilitator has it."""
    other = find_user_by_email(email)
    if other is None or not sharing.may_run_groups(other):
        return None
    sharing.add_facilitator(cohort, other)
    return other


def archive(cohort: Cohort) -> None:
    """Mark a finished group archived: its data stays, and it goes last in its lists."""
    cohort.archived_at = cohort.archived_at or utcnow()
    db.session.flush()


def unarchive(cohort: Cohort) -> None:
    """Bring an archived group back."""
    cohort.archived_at = None
    db.session.flush()


def weekly_dates(cohort: Cohort, modules: Iterable[Module]) -> dict[str, date]:
    """Module n opens n-1 weeks after the first meeting; a module always open keeps its week
    in the count but is never held back. No dates for a group without a first meeting."""
    start = cohort.start_date
    if start is None:
        return {}
    return {
        m.slug: start + timedelta(weeks=n)
        for n, m in enumerate(modules) if not m.is_always_open
    }


def set_schedule(cohort: Cohort, opens_on: Mapping[str, date]) -> None:
    """Open each module named on its day, and every other module at once."""
    cohort.schedule = [
        ModuleSchedule(module_slug=slug, opens_on=day) for slug, day in opens_on.items()
    ]
    db.session.flush()
