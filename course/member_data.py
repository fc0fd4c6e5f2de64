"""A member's own data: all of it as a download, or all of it deleted.

Plain functions that views call; they change the session and flush, and never commit.
"""

from __future__ import annotations

from sqlalchemy import select

from . import audit
from .extensions import db
from .models import (
    Encouragement,
    ModuleProgress,
    Notice,
    QuizAttempt,
    Reflection,
    SectionRead,
    User,
)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_data(user: User) -> dict:
    """Everything stored about a member, and who on the staff looked at it, as JSON-ready
    data."""
    membership = user.membership
    mine = db.session.scalars(select(Reflection).where(Reflection.user_id == user.id)).all()
    return {
        "account": {
            "email": user.email, "display_name": user.display_name, "role": user.role.value,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "emails_wanted": {
                "reminders": user.wants_reminders, "module_notes": user.wants_module_notes,
                "family_notes": user.wants_family_notes, "digest": user.wants_digest,
            },
            "news_seen_at": _iso(user.news_seen_at),
        },
        "family": membership and {
            "name": membership.family.name,
            "relationship_to_loved_one": membership.relationship_to_loved_one.value,
            "loved_one_nickname": membership.loved_one_nickname,
            "is_progress_hidden": membership.is_progress_hidden,
            "plan_visibility": membership.plan_visibility.value,
            "joined_at": _iso(membership.joined_at),
        },
        "progress": [
            {"module": row.module_slug, "status": row.status.value,
             "sections_done": row.sections_done, "best_score": row.best_score,
             "quiz_attempts": row.attempts, "started_at": _iso(row.started_at),
             "completed_at": _iso(row.completed_at)}
            for row in db.session.scalars(
                select(ModuleProgress).where(ModuleProgress.user_id == user.id)
                .order_by(ModuleProgress.id))
        ],
        "sections_read": [
            {"module": row.module_slug, "section": row.section_id, "read_at": _iso(row.read_at)}
            for row in db.session.scalars(
                select(SectionRead).where(SectionRead.user_id == user.id).order_by(SectionRead.id))
        ],
        "quiz_attempts": [
            {"module": a.module_slug, "attempt": a.attempt_number, "score": a.score,
             "passed": a.is_passed, "submitted_at": _iso(a.submitted_at),
             "answers": {r.question_id: r.chosen_option_ids for r in a.responses}}
            for a in db.session.scalars(
                select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                .order_by(QuizAttempt.id))
        ],
        "reflections": [
            {"module": r.module_slug, "prompt": r.prompt_id, "text": r.body,
             "visibility": r.visibility.value, "created_at": _iso(r.created_at),
             "updated_at": _iso(r.updated_at),
             "encouragements": [
                 {"from": e.author.display_name, "text": e.body, "at": _iso(e.created_at)}
                 for e in r.encouragements
             ]}
            for r in mine
        ],
        "encouragements_written": [
            {"text": e.body, "at": _iso(e.created_at)}
            for e in db.session.scalars(
                select(Encouragement).where(Encouragement.author_id == user.id)
                .order_by(Encouragement.id))
        ],
        "emails_sent": [
            {"kind": n.kind.value, "about": n.key, "sent_at": _iso(n.sent_at)}
            for n in db.session.scalars(
                select(Notice).where(Notice.user_id == user.id).order_by(Notice.id))
        ],
        # Staff who looked at this member's data, or at their group's, while they were in it.
        "viewed_by": [
            {"who": event.viewer_name, "role": event.viewer_role.value,
             "what": audit.DESCRIPTIONS[event.kind], "kind": event.kind.value,
             "when": _iso(event.viewed_at)}
            for event in audit.viewers_of(user)
        ],
    }


def delete_account(user: User) -> None:
    """Delete a member and everything personal; quiz attempts stay as anonymous counts.

    Reflections, encouragements, progress and sections read go with the account (the
    database cascades); quiz attempts lose their owner but keep their cohort, so a group's
    question statistics still add up. A family left with nobody in it goes too.
    """
    family = user.membership.family if user.membership else None
    named_after = f"{user.display_name}'s family"
    db.session.delete(user)
    db.session.flush()
    if family is not None:
        db.session.refresh(family)
        if not family.memberships:
            db.session.delete(family)
        elif family.name == named_after:
            # The name we made for them is a personal detail too.
            family.name = f"{family.memberships[0].user.display_name}'s family"
        db.session.flush()
