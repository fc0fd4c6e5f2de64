"""The audit log of staff looking at members' data: who, when, what, which group, which member.

Never what they read: no reflection text, no answers. Admins see the log (/admin/audit); each
member's data download lists who looked at theirs. Events older than COURSE_AUDIT_DAYS are
deleted by `flask audit prune`. Plain functions: they flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, Select, and_, delete, func, or_, select
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import AuditEvent, AuditKind, Cohort, User, utcnow

PAGE_SIZE = 50


class _Words(dict):
    """Each kind's words as plain text, in the language of the page or file being made (the
    values are lazy translations; a download's JSON needs a plain string)."""

    def __getitem__(self, kind: AuditKind) -> str:
        return str(super().__getitem__(kind))


DESCRIPTIONS = _Words({
    AuditKind.MEMBER_DETAIL: _l("a member's page: progress, quiz answers, what they shared"),
    AuditKind.SHARED_REFLECTIONS: _l("the reflections a group shared with its facilitators"),
    AuditKind.QUESTION_ANSWERS: _l("a group's quiz answers, question by question"),
    AuditKind.PROGRESS_CSV: _l("a download of a group's progress"),
    AuditKind.QUESTIONS_CSV: _l("a download of a group's quiz answers"),
    AuditKind.AUDIT_CSV: _l("a download of this log"),
})


def record(
    viewer: User, kind: AuditKind, cohort: Cohort | None = None, member: User | None = None
) -> AuditEvent:
    """Note that the viewer is looking at this (a group's data, or one member's)."""
    event = AuditEvent(
        viewer_id=viewer.id, viewer_name=viewer.display_name, viewer_role=viewer.role,
        kind=kind, cohort_id=cohort.id if cohort else None,
        member_id=member.id if member else None, viewed_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def _newest_first(cohort_id: int | None) -> Select:
    query = select(AuditEvent)
    if cohort_id is not None:
        query = query.where(AuditEvent.cohort_id == cohort_id)
    return query.order_by(AuditEvent.viewed_at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class Page:
    """One page of the log."""

    events: list[AuditEvent]
    number: int
    pages: int
    total: int


def events(cohort_id: int | None = None, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """A page of events, newest first, of one group or of all; a page past the end shows the
    last one."""
    total = db.session.execute(
        select(func.count()).select_from(_newest_first(cohort_id).order_by(None).subquery())
    ).scalar_one()
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    rows = db.session.scalars(
        _newest_first(cohort_id)
        .options(joinedload(AuditEvent.cohort), joinedload(AuditEvent.member))
        .limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page(list(rows), number, pages, total)


def all_events(cohort_id: int | None = None) -> list[AuditEvent]:
    """Every event, newest first, of one group or of all (for the CSV download)."""
    return list(db.session.scalars(
        _newest_first(cohort_id)
        .options(joinedload(AuditEvent.cohort), joinedload(AuditEvent.member))
    ))


def viewers_of(member: User) -> list[AuditEvent]:
    """Who looked at the member's data, newest first: their own page, and their group's pages
    and downloads since they joined it."""
    about_them = AuditEvent.member_id == member.id
    membership = member.membership
    cohort_id = membership.family.cohort_id if membership else None
    if membership is not None and cohort_id is not None:
        about_them = or_(about_them, and_(
            AuditEvent.member_id.is_(None), AuditEvent.cohort_id == cohort_id,
            AuditEvent.kind != AuditKind.AUDIT_CSV, AuditEvent.viewed_at >= membership.joined_at,
        ))
    return list(db.session.scalars(
        select(AuditEvent).where(about_them)
        .order_by(AuditEvent.viewed_at.desc(), AuditEvent.id.desc())
    ))


def prune(older_than: datetime) -> int:
    """Delete the events from before this moment; how many went."""
    # A DELETE's result is a CursorResult, though Session.execute is typed to return Result.
    result = cast(CursorResult, db.session.execute(
        delete(AuditEvent).where(AuditEvent.viewed_at < older_than)
        .execution_options(synchronize_session=False)
    ))
    db.session.flush()
    return result.rowcount
