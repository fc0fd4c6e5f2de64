"""Recording what members do in modules, grading quizzes, and saying where each one stands.

Plain functions that views call; they change the session and flush, and never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row

from .content import Module, Section
from .extensions import db
from .models import (
    Family,
    FamilyMembership,
    ModuleProgress,
    ModuleSchedule,
    ProgressStatus,
    QuizAttempt,
    QuizResponse,
    Reflection,
    SectionRead,
    User,
    Visibility,
    local_today,
    utcnow,
)

MAX_REFLECTION_LENGTH = 5000


class Standing(StrEnum):
    """Where a member stands in a module: one word for learners' pages and facilitators' alike."""

    LOCKED = "locked"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    STUCK = "stuck"
    COMPLETED = "completed"


# The words people read for each standing, on screen and in the CSV downloads.
STANDING_LABELS = {
    Standing.LOCKED: _l("Not open yet"),
    Standing.NOT_STARTED: _l("Not started"),
    Standing.IN_PROGRESS: _l("In progress"),
    Standing.STUCK: _l("Stuck"),
    Standing.COMPLETED: _l("Completed"),
}


def standing_of(
    *, completed: bool, started: bool, locked: bool = False,
    last_activity_at: datetime | None = None, stuck_before: datetime | None = None,
) -> Standing:
    """The one rule: completed beats locked beats stuck (idle since `stuck_before`, for
    facilitators) beats in progress."""
    if completed:
        return Standing.COMPLETED
    if locked:
        return Standing.LOCKED
    if not started:
        return Standing.NOT_STARTED
    if stuck_before and last_activity_at and last_activity_at < stuck_before:
        return Standing.STUCK
    return Standing.IN_PROGRESS


@dataclass(frozen=True)
class ModuleStatus:
    """Where one member stands in one module."""

    module: Module
    sections_read: frozenset[str] = frozenset()
    best_score: float | None = None
    attempts: int = 0
    is_completed: bool = False
    opens_on: date | None = None
    last_activity_at: datetime | None = field(default=None, compare=False)

    @property
    def is_locked(self) -> bool:
        """Whether the group's schedule still holds the module back (never one always open)."""
        return (
            not self.module.is_always_open
            and self.opens_on is not None
            and self.opens_on > local_today()
        )

    @property
    def sections_done(self) -> int:
        return sum(section.id in self.sections_read for section in self.module.sections)

    @property
    def is_started(self) -> bool:
        return bool(self.sections_read) or self.attempts > 0

    @property
    def state(self) -> Standing:
        return standing_of(
            completed=self.is_completed, started=self.is_started, locked=self.is_locked
        )

    def standing(self, stuck_before: datetime) -> Standing:
        """Where the member stands as their facilitator sees it: stuck when idle since
        `stuck_before`, the day the group counts from (its "stuck after" setting)."""
        return standing_of(
            completed=self.is_completed, started=self.is_started, locked=self.is_locked,
            last_activity_at=self.last_activity_at, stuck_before=stuck_before,
        )

    @property
    def next_section(self) -> Section | None:
        """The first section not yet read; None when all are (the quiz is next)."""
        return next((s for s in self.module.sections if s.id not in self.sections_read), None)

    @property
    def fraction_done(self) -> float:
        """Share of the module's steps done: its sections, and the quiz as one more step."""
        steps = len(self.module.sections) + 1
        passed = self.is_completed or (
            self.best_score is not None and self.best_score >= self.module.pass_score
        )
        return (self.sections_done + passed) / steps


def cohort_of(user_id: int):
    """The member's cohort id, as a subquery: it costs no statement of its own."""
    return (
        select(Family.cohort_id)
        .join(FamilyMembership, FamilyMembership.family_id == Family.id)
        .where(FamilyMembership.user_id == user_id)
        .scalar_subquery()
    )


def statuses_for(
    users: Iterable[User], modules: Collection[Module]
) -> dict[int, list[ModuleStatus]]:
    """Every module's status for each user, in three queries whatever their count."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    slugs = [module.slug for module in modules]
    reads = _sections_read(ids, slugs)
    progress = _progress_rows(ids, slugs)
    opens = _opening_days(ids, slugs)
    return {
        user_id: [
            _status(module, reads.get((user_id, module.slug), ()),
                    progress.get((user_id, module.slug)), opens.get((user_id, module.slug)))
            for module in modules
        ]
        for user_id in ids
    }


def _sections_read(ids: list[int], slugs: list[str]) -> dict[tuple[int, str], set[str]]:
    """The ids of the sections each user read, by (user id, module slug) (one query)."""
    reads: dict[tuple[int, str], set[str]] = defaultdict(set)
    for user_id, slug, section_id in db.session.execute(
        select(SectionRead.user_id, SectionRead.module_slug, SectionRead.section_id)
        .where(SectionRead.user_id.in_(ids), SectionRead.module_slug.in_(slugs))
    ):
        reads[user_id, slug].add(section_id)
    return reads


def _progress_rows(ids: list[int], slugs: list[str]) -> dict[tuple[int, str], Row]:
    """Each user's progress row, by (user id, module slug) (one query)."""
    return {
        (row.user_id, row.module_slug): row
        for row in db.session.execute(
            select(ModuleProgress.user_id, ModuleProgress.module_slug, ModuleProgress.status,
                   ModuleProgress.best_score, ModuleProgress.attempts,
                   ModuleProgress.last_activity_at)
            .where(ModuleProgress.user_id.in_(ids), ModuleProgress.module_slug.in_(slugs))
        )
    }


def _opening_days(ids: list[int], slugs: list[str]) -> dict[tuple[int, str], date]:
    """The day each module opens to each user's cohort, where it holds one back (one query)."""
    return {
        (user_id, slug): opens_on
        for user_id, slug, opens_on in db.session.execute(
            select(FamilyMembership.user_id, ModuleSchedule.module_slug, ModuleSchedule.opens_on)
            .join(Family, Family.id == FamilyMembership.family_id)
            .join(ModuleSchedule, ModuleSchedule.cohort_id == Family.cohort_id)
            .where(FamilyMembership.user_id.in_(ids), ModuleSchedule.module_slug.in_(slugs))
        )
    }


def _status(
    module: Module, sections_read: Iterable[str], row: Row | None, opens_on: date | None
) -> ModuleStatus:
    """A member's status in a module from what the three queries found (row: their progress)."""
    return ModuleStatus(
        module=module,
        sections_read=frozenset(sections_read),
        best_score=row.best_score if row else None,
        attempts=row.attempts if row else 0,
        is_completed=bool(row and row.status is ProgressStatus.COMPLETED),
        opens_on=opens_on,
        last_activity_at=row.last_activity_at if row else None,
    )


# One member in one module, in one statement built once (every page of a module asks it): a row
# for each section read (one if none), each with the progress row's figures (None without one)
# and the day the member's group opens the module.
MEMBER_STATUS = (
    select(ModuleProgress.id.label("progress_id"), ModuleProgress.status,
           ModuleProgress.best_score, ModuleProgress.attempts, ModuleProgress.last_activity_at,
           SectionRead.section_id,
           select(ModuleSchedule.opens_on)
           .join(Family, Family.cohort_id == ModuleSchedule.cohort_id)
           .join(FamilyMembership, FamilyMembership.family_id == Family.id)
           .where(FamilyMembership.user_id == bindparam("user_id"),
                  ModuleSchedule.module_slug == bindparam("slug"))
           .scalar_subquery().label("opens_on"))
    .select_from(User)
    .outerjoin(ModuleProgress, (ModuleProgress.user_id == User.id)
               & (ModuleProgress.module_slug == bindparam("slug")))
    .outerjoin(SectionRead, (SectionRead.user_id == User.id)
               & (SectionRead.module_slug == bindparam("slug")))
    .where(User.id == bindparam("user_id"))
)


def status_of(user: User, module: Module) -> ModuleStatus:
    """One member's status in one module, as `statuses_for` gives it, in one statement."""
    db.session.flush()  # As session.execute would; then plain rows, which the ORM only slows.
    rows = db.session.connection().execute(
        MEMBER_STATUS, {"user_id": user.id, "slug": module.slug}
    ).all()
    if not rows:  # The account was deleted meanwhile.
        return _status(module, (), None, None)
    first = rows[0]
    return _status(
        module, (row.section_id for row in rows if row.section_id is not None),
        first if first.progress_id is not None else None, first.opens_on,
    )


def continue_target(statuses: list[ModuleStatus]) -> ModuleStatus | None:
    """The module to carry on with: the first open one not completed, in course order."""
    started = [s for s in statuses if s.state is Standing.IN_PROGRESS]
    if started:
        return max(started, key=lambda s: s.last_activity_at or utcnow())
    return next((s for s in statuses if s.state is Standing.NOT_STARTED), None)


# INSERT ... ON CONFLICT, in the words of each database the app runs on.
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert(model):
    """An INSERT for the app's database that can say what to do on a conflict."""
    return INSERTS[db.engine.dialect.name](model)


def _locked_progress(user: User, module: Module, now: datetime) -> ModuleProgress:
    """The member's progress row in a module, made if missing and locked until commit.

    The upsert holds the row's lock on PostgreSQL and the write lock on SQLite, so a member's
    requests in one module take turns from here on, and each sees what the others stored.
    """
    return db.session.scalars(
        _insert(ModuleProgress)
        .values(user_id=user.id, module_slug=module.slug, started_at=now, last_activity_at=now)
        .on_conflict_do_update(
            index_elements=["user_id", "module_slug"], set_={"last_activity_at": now}
        )
        .returning(ModuleProgress),
        execution_options={"populate_existing": True},
    ).one()


def _finish_step(
    row: ModuleProgress, module: Module, now: datetime, score: float | None = None
) -> ModuleProgress:
    """One UPDATE of the locked progress row: the sections stored as read (counted by the
    database, so a concurrent request's reads count too), the activity time, and the module
    completed once every section is read and the quiz passed. With a quiz `score`, the attempt
    is counted and the best score kept; the returned row carries the new attempt number."""
    ids = [section.id for section in module.sections]
    done = (
        select(func.count())
        .where(SectionRead.user_id == row.user_id, SectionRead.module_slug == row.module_slug,
               SectionRead.section_id.in_(ids))
        .scalar_subquery()
    )
    values: dict = {"sections_done": done, "last_activity_at": now}
    best = row.best_score
    if score is not None:
        best = max(score, best or 0.0)
        values.update(attempts=ModuleProgress.attempts + 1, best_score=best)
    if best is not None and best >= module.pass_score and row.completed_at is None:
        completes = done == len(ids)
        values.update(
            status=case(
                (completes, literal(ProgressStatus.COMPLETED, ModuleProgress.status.type)),
                else_=ModuleProgress.status,
            ),
            completed_at=case(
                (completes, literal(now, ModuleProgress.completed_at.type)),
                else_=ModuleProgress.completed_at,
            ),
        )
    return db.session.scalars(
        update(ModuleProgress).where(ModuleProgress.id == row.id).values(values)
        .returning(ModuleProgress),
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).one()


def record_section_read(
    user: User, module: Module, section: Section, now: datetime | None = None
) -> None:
    """Note that a member finished reading a section (once; reading again changes nothing).

    Each service that records a step takes `now`, the time it happened (by default, now): the
    demo tells its stories weeks back with it."""
    now = now or utcnow()
    row = _locked_progress(user, module, now)
    db.session.execute(
        _insert(SectionRead)
        .values(user_id=user.id, module_slug=module.slug, section_id=section.id, read_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "module_slug", "section_id"])
    )
    _finish_step(row, module, now)


def grade(module: Module, answers: Mapping[str, Collection[str]]) -> dict[str, bool]:
    """Whether each question was answered right, by question id."""
    return {
        question.id: question.is_answered_right(set(answers.get(question.id, ())))
        for question in module.questions
    }


def _store_attempt(
    user: User, module: Module, number: int, score: float, submission_key: str | None,
    now: datetime,
) -> QuizAttempt | None:
    """Insert an attempt; None when another attempt already holds the submission key."""
    statement = _insert(QuizAttempt).values(
        user_id=user.id,
        cohort_id=cohort_of(user.id),
        module_slug=module.slug,
        attempt_number=number,
        content_version=module.version,
        score=score,
        is_passed=score >= module.pass_score,
        submission_key=submission_key,
        submitted_at=now,
    ).on_conflict_do_nothing(index_elements=["submission_key"])
    return db.session.scalars(statement.returning(QuizAttempt)).one_or_none()


def submit_quiz(
    user: User, module: Module, answers: Mapping[str, Collection[str]], submission_key: str,
    now: datetime | None = None,
) -> QuizAttempt:
    """Grade and store an attempt; the same submission sent twice is stored once."""
    now = now or utcnow()
    results = grade(module, answers)
    score = sum(results.values()) / len(results) if results else 0.0
    row = _locked_progress(user, module, now)
    # Under the lock: a double click's other request has stored its attempt, or has not begun.
    attempt = _store_attempt(user, module, row.attempts + 1, score, submission_key, now)
    if attempt is None:
        existing = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.submission_key == submission_key)
        ).one()
        if existing.user_id == user.id:
            return existing  # The same form sent twice.
        # Someone else's key, sent by hand: store the attempt, without the key.
        attempt = _store_attempt(user, module, row.attempts + 1, score, None, now)
    if attempt is None:  # Only a key conflicts, and this one has none.
        raise RuntimeError("a quiz attempt without a submission key was not stored")
    _finish_step(row, module, now, score)
    valid = {q.id: {o.id for o in q.options} for q in module.questions}
    # All the answers in one statement.
    db.session.execute(insert(QuizResponse), [
        {"attempt_id": attempt.id, "question_id": question_id, "is_correct": right,
         "chosen_option_ids": sorted(set(answers.get(question_id, ())) & valid[question_id])}
        for question_id, right in results.items()
    ])
    return attempt


def attempts_of(user: User, module: Module) -> list[QuizAttempt]:
    """A member's attempts at a module's quiz, newest first."""
    return list(db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.module_slug == module.slug)
        .order_by(QuizAttempt.attempt_number.desc())
    ))


def reflections_of(user: User, module: Module) -> dict[str, Reflection]:
    """A member's own reflections in a module, by prompt id."""
    rows = db.session.scalars(
        select(Reflection).where(
            Reflection.user_id == user.id, Reflection.module_slug == module.slug
        )
    )
    return {row.prompt_id: row for row in rows}


def clean_reflection(body: str) -> str:
    """A reflection as it is stored: the browser's line breaks made plain, no edge spaces."""
    return body.replace("\r\n", "\n").strip()


def save_reflection(
    user: User, module: Module, prompt_id: str, body: str, visibility: Visibility,
    now: datetime | None = None,
) -> Reflection | None:
    """Create, change or (when emptied) remove a member's reflection on a prompt; returns the
    row when it was written (None when emptied, or sent unchanged)."""
    body = clean_reflection(body)
    mine = (Reflection.user_id == user.id, Reflection.module_slug == module.slug,
            Reflection.prompt_id == prompt_id)
    if not body:
        db.session.execute(delete(Reflection).where(*mine))
        return None
    now = now or utcnow()
    upsert = _insert(Reflection).values(
        user_id=user.id, module_slug=module.slug, prompt_id=prompt_id, body=body,
        visibility=visibility, created_at=now, updated_at=now,
    )
    return db.session.scalars(upsert.on_conflict_do_update(
        index_elements=["user_id", "module_slug", "prompt_id"],
        set_={"body": upsert.excluded.body, "visibility": upsert.excluded.visibility,
              "updated_at": upsert.excluded.updated_at},
        # Sending the same words again keeps the time they were last changed.
        where=(Reflection.body != upsert.excluded.body)
        | (Reflection.visibility != upsert.excluded.visibility),
    ).returning(Reflection), execution_options={"populate_existing": True}).one_or_none()
