"""Cohort figures for facilitators: a few set-based queries, then dictionaries in Python.

Each report runs a fixed number of queries whatever the size of the cohort. Reports of members'
answers and reflections take the viewer and keep to what sharing.py lets them read.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Text, case, cast, func, select
from sqlalchemy.orm import joinedload, selectinload

from . import sharing
from .content import Module, Prompt
from .extensions import db
from .models import (
    Cohort,
    Family,
    FamilyMembership,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    QuizResponse,
    Reflection,
    Relationship,
    SectionRead,
    User,
    utcnow,
)
from .progress import Standing, standing_of


@dataclass(frozen=True)
class Cell:
    """One member's standing in one module, as the dashboard shows it."""

    state: Standing
    sections_done: int = 0
    sections_total: int = 0
    best_score: float | None = None
    last_activity_at: datetime | None = None


@dataclass
class MemberRow:
    """A member of the cohort and their figures across modules (cells are built on demand)."""

    user_id: int
    name: str
    family_id: int
    family_name: str
    relationship: Relationship
    joined_at: datetime
    modules: int
    language: str | None = None  # the member's own choice (course/i18n.py); None: not chosen
    completed: int = 0
    started: int = 0
    stuck: int = 0
    last_activity_at: datetime | None = None

    @property
    def is_stuck(self) -> bool:
        return self.stuck > 0

    @property
    def is_not_started(self) -> bool:
        return self.started == 0

    @property
    def has_completed_all(self) -> bool:
        return self.modules > 0 and self.completed == self.modules

    @property
    def in_progress(self) -> int:
        """Modules started, not completed and not stuck."""
        return max(0, self.started - self.completed - self.stuck)

    @property
    def not_started(self) -> int:
        return max(0, self.modules - self.started)


@dataclass(frozen=True)
class ModuleSummary:
    module: Module
    completed: int
    started: int
    members: int
    average_best: float | None

    @property
    def completion_rate(self) -> float:
        return self.completed / self.members if self.members else 0.0


# (status, sections_done, best_score, last_activity_at) of one member in one module.
ProgressTuple = tuple[ProgressStatus, int, float | None, datetime]


@dataclass
class Dashboard:
    cohort: Cohort
    modules: Sequence[Module]
    rows: list[MemberRow]
    summaries: list[ModuleSummary]
    completions_by_week: list[tuple[date, int]]
    inactive_since: datetime
    progress: dict[tuple[int, str], ProgressTuple]

    @property
    def family_count(self) -> int:
        return len({row.family_id for row in self.rows})

    @property
    def overall_completion(self) -> float:
        cells = len(self.rows) * len(self.modules)
        return sum(row.completed for row in self.rows) / cells if cells else 0.0

    @property
    def stuck_count(self) -> int:
        return sum(row.is_stuck for row in self.rows)

    @property
    def inactive_count(self) -> int:
        return sum(self.is_inactive(row) for row in self.rows)

    def is_inactive(self, row: MemberRow) -> bool:
        return row.last_activity_at is None or row.last_activity_at < self.inactive_since

    def showing(self, shown: str) -> list[MemberRow]:
        """The members a filter of the dashboard shows (`FILTERS`, or "inactive"); everyone
        for any other value."""
        if shown == "inactive":
            return [row for row in self.rows if self.is_inactive(row)]
        if shown in FILTERS:
            return [row for row in self.rows if FILTERS[shown](row)]
        return list(self.rows)

    def cells(self, row: MemberRow) -> list[Cell]:
        """The member's standing in each module, in course order."""
        return [
            _cell(self.progress.get((row.user_id, module.slug)), module, self.inactive_since)
            for module in self.modules
        ]


def stuck_since(cohort: Cohort, now: datetime | None = None) -> datetime:
    """Members idle since this moment are stuck: the group's own "stuck after" setting."""
    return (now or utcnow()) - timedelta(days=cohort.stuck_after_days)


def build_dashboard(
    cohort: Cohort, modules: Sequence[Module], now: datetime | None = None
) -> Dashboard:
    """The cohort's members with their figures, per-module and whole-cohort figures.

    Grouped queries do the counting, so the cost stays low for a large cohort; the cells of
    the member-by-module matrix are fetched for the rows shown (see `with_cells`).
    """
    stuck_before = stuck_since(cohort, now)
    rows = _member_rows(cohort, len(modules))
    in_cohort = (
        select(ModuleProgress)
        .join(FamilyMembership, FamilyMembership.user_id == ModuleProgress.user_id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id == cohort.id,
               ModuleProgress.module_slug.in_([module.slug for module in modules]))
        .subquery()
    )
    _add_member_counts(rows, in_cohort, stuck_before)
    summaries = _module_summaries(in_cohort, modules, len(rows))
    weeks = _completions_by_week(in_cohort)
    return Dashboard(
        cohort=cohort, modules=modules, rows=rows, summaries=summaries,
        completions_by_week=weeks, inactive_since=stuck_before, progress={},
    )


def _count_where(condition) -> Any:
    """An aggregate counting the rows where `condition` holds (None over no rows)."""
    return func.sum(case((condition, 1), else_=0))


def _member_rows(cohort: Cohort, module_count: int) -> list[MemberRow]:
    """The cohort's members by family, last active when they joined until their progress
    says otherwise (one query)."""
    return [
        MemberRow(user_id, name, family_id, family_name, relationship, joined_at,
                  modules=module_count, last_activity_at=joined_at, language=locale)
        for user_id, name, family_id, family_name, relationship, joined_at, locale
        in db.session.execute(
            select(User.id, User.display_name, Family.id, Family.name,
                   FamilyMembership.relationship_to_loved_one, FamilyMembership.joined_at,
                   User.locale)
            .join(FamilyMembership, FamilyMembership.user_id == User.id)
            .join(Family, Family.id == FamilyMembership.family_id)
            .where(Family.cohort_id == cohort.id)
            .order_by(Family.name, Family.id, FamilyMembership.joined_at, User.id)
        )
    ]


def _add_member_counts(rows: list[MemberRow], in_cohort, stuck_before: datetime) -> None:
    """Fill in each member's modules started, completed and stuck, and their last activity
    (one query)."""
    by_id = {row.user_id: row for row in rows}
    done = in_cohort.c.status == ProgressStatus.COMPLETED
    stuck = ~done & (in_cohort.c.last_activity_at < stuck_before)
    for user_id, started, completed, stuck_count, last in db.session.execute(
        select(in_cohort.c.user_id, func.count(), _count_where(done), _count_where(stuck),
               func.max(in_cohort.c.last_activity_at))
        .group_by(in_cohort.c.user_id)
    ):
        row = by_id.get(user_id)
        if row is None:
            continue
        row.started, row.completed, row.stuck = started, completed or 0, stuck_count or 0
        # max() keeps the column's type, so this is an aware UTC datetime on both databases.
        if last is not None and last > row.last_activity_at:
            row.last_activity_at = last


def _module_summaries(
    in_cohort, modules: Sequence[Module], members: int
) -> list[ModuleSummary]:
    """Each module's members started and completed, and their average best score (one query)."""
    per_module = {
        slug: (started, completed or 0, average)
        for slug, started, completed, average in db.session.execute(
            select(in_cohort.c.module_slug, func.count(),
                   _count_where(in_cohort.c.status == ProgressStatus.COMPLETED),
                   func.avg(in_cohort.c.best_score))
            .group_by(in_cohort.c.module_slug)
        )
    }
    summaries = []
    for module in modules:
        started, completed, average = per_module.get(module.slug, (0, 0, None))
        summaries.append(ModuleSummary(
            module=module, started=started, completed=completed, members=members,
            average_best=average,
        ))
    return summaries


def _completions_by_week(in_cohort) -> list[tuple[date, int]]:
    """Modules completed each week, by the Monday that starts it (one query)."""
    weeks: Counter = Counter()
    completion_day = func.date(in_cohort.c.completed_at, type_=Date)
    for day, count in db.session.execute(
        select(completion_day, func.count())
        .where(in_cohort.c.completed_at.is_not(None))
        .group_by(completion_day)
    ):
        weeks[day - timedelta(days=day.weekday())] += count
    return sorted(weeks.items())


def with_cells(board: Dashboard, rows: Sequence[MemberRow]) -> Dashboard:
    """Fetch the matrix cells of these rows (one query), for a page or an export."""
    ids = [row.user_id for row in rows]
    if ids:
        for user_id, slug, status, done, best, active in db.session.execute(
            select(ModuleProgress.user_id, ModuleProgress.module_slug, ModuleProgress.status,
                   ModuleProgress.sections_done, ModuleProgress.best_score,
                   ModuleProgress.last_activity_at)
            .where(ModuleProgress.user_id.in_(ids))
        ):
            board.progress[user_id, slug] = (status, done, best, active)
    return board


def _cell(found: ProgressTuple | None, module: Module, stuck_before: datetime) -> Cell:
    total = len(module.sections)
    if found is None:
        return Cell(Standing.NOT_STARTED, 0, total)
    status, done, best, active = found
    state = standing_of(completed=status is ProgressStatus.COMPLETED, started=True,
                        last_activity_at=active, stuck_before=stuck_before)
    return Cell(state, min(done, total), total, best, active)


SORTS = {
    "family": lambda row: (row.family_name.lower(), row.family_id, row.name.lower()),
    "progress": lambda row: (-row.completed, row.family_name.lower()),
    "last_active": lambda row: row.last_activity_at,
}
FILTERS = {
    "not_started": lambda row: row.is_not_started,
    "stuck": lambda row: row.is_stuck,
    "completed": lambda row: row.has_completed_all,
}


@dataclass(frozen=True)
class QuestionFigures:
    """How a cohort did on one quiz question."""

    module: Module
    question_id: str
    title: str
    first_attempts: int
    first_right: int
    attempts: int
    wrong_choice: str | None
    wrong_choice_count: int

    @property
    def share_right_first(self) -> float | None:
        return self.first_right / self.first_attempts if self.first_attempts else None


def question_analytics(
    viewer: User, cohort: Cohort, modules: Sequence[Module]
) -> list[QuestionFigures]:
    """Every question of these modules, hardest first: right on the first try, the most
    chosen wrong option and the number of answers. Anonymous attempts count too; a group the
    viewer doesn't run counts nothing.

    Two queries: counts grouped in SQL, then the options chosen in wrong answers only.
    """
    scope = (
        select()
        .select_from(QuizAttempt)
        .join(QuizResponse, QuizResponse.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.cohort_id == cohort.id,
               QuizAttempt.module_slug.in_([module.slug for module in modules]))
        .where(sharing.group_answers_visible_to(viewer))
    )
    counts = _answer_counts(scope)
    wrong = _wrong_choices(scope, modules)
    figures = [
        _question_figures(module, question, counts.get((module.slug, question.id), (0, 0, 0)),
                          wrong[module.slug, question.id])
        for module in modules for question in module.questions
    ]
    return sorted(figures, key=_hardest_first)


def _answer_counts(scope) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(answers, first attempts, right on the first attempt) by (module slug, question id)."""
    is_first = QuizAttempt.attempt_number == 1
    return {
        (slug, question_id): (answers, first or 0, first_right or 0)
        for slug, question_id, answers, first, first_right in db.session.execute(
            scope.add_columns(
                QuizAttempt.module_slug, QuizResponse.question_id, func.count(),
                _count_where(is_first), _count_where(is_first & QuizResponse.is_correct),
            ).group_by(QuizAttempt.module_slug, QuizResponse.question_id)
        )
    }


def _wrong_choices(scope, modules: Sequence[Module]) -> dict[tuple[str, str], Counter]:
    """How often each wrong option was chosen, by (module slug, question id)."""
    correct = {
        (module.slug, question.id): question.correct_ids
        for module in modules for question in module.questions
    }
    wrong: dict[tuple[str, str], Counter] = defaultdict(Counter)
    # Read as text: decoding only these rows, in one place, is far cheaper than per-row JSON.
    for slug, question_id, chosen in db.session.execute(
        scope.add_columns(
            QuizAttempt.module_slug, QuizResponse.question_id,
            cast(QuizResponse.chosen_option_ids, Text),
        ).where(QuizResponse.is_correct.is_(False))
    ):
        right = correct.get((slug, question_id))
        if right is None or not chosen:
            continue
        wrong[slug, question_id].update(o for o in json.loads(chosen) if o not in right)
    return wrong


def _question_figures(
    module: Module, question, counts: tuple[int, int, int], wrong: Counter
) -> QuestionFigures:
    """One question's figures from its counts and its wrong choices."""
    answers, first, first_right = counts
    option_id, times = (wrong.most_common(1) or [(None, 0)])[0]
    option = next((o for o in question.options if o.id == option_id), None)
    return QuestionFigures(
        module=module, question_id=question.id, title=question.title,
        first_attempts=first, first_right=first_right, attempts=answers,
        wrong_choice=_plain(option.html) if option else None, wrong_choice_count=times,
    )


def _hardest_first(figures: QuestionFigures) -> tuple[bool, float, int]:
    """Least often right on the first try first, unanswered questions last, then most answered."""
    share = figures.share_right_first
    return (share is None, share or 0, -figures.attempts)


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def facilitator_reflections(
    viewer: User, cohort: Cohort, modules: Sequence[Module]
) -> list[tuple[Module, Prompt, list[Reflection]]]:
    """Reflections the cohort's members shared with the viewer as their facilitator, by module
    and prompt in course order, newest first within each (one query)."""
    by_prompt: dict[tuple[str, str], list[Reflection]] = defaultdict(list)
    for reflection in db.session.scalars(
        select(Reflection)
        .join(FamilyMembership, FamilyMembership.user_id == Reflection.user_id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id == cohort.id, sharing.shared_with_facilitator(viewer))
        # Each reflection has one author, in one family: joined in, so one query at any size.
        .options(joinedload(Reflection.user).joinedload(User.membership)
                 .joinedload(FamilyMembership.family))
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
    ):
        by_prompt[reflection.module_slug, reflection.prompt_id].append(reflection)
    return [
        (module, prompt, by_prompt[module.slug, prompt.id])
        for module in modules for prompt in module.prompts
        if by_prompt.get((module.slug, prompt.id))
    ]


@dataclass(frozen=True)
class MemberDetail:
    """What a facilitator sees of one member beyond the dashboard."""

    attempts: dict[str, list[QuizAttempt]]  # by module slug, oldest first
    shared: list[Reflection]  # shared with the facilitator, newest first
    read_at: dict[tuple[str, str], datetime]  # (module slug, section id) -> when read


def member_detail(viewer: User, user: User) -> MemberDetail:
    """One member's quiz attempts with answers, sections read, and what they shared with the
    viewer as their facilitator (three queries)."""
    attempts: dict[str, list[QuizAttempt]] = defaultdict(list)
    for attempt in db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, sharing.answers_visible_to(viewer))
        .options(selectinload(QuizAttempt.responses))
        .order_by(QuizAttempt.module_slug, QuizAttempt.attempt_number)
    ):
        attempts[attempt.module_slug].append(attempt)
    shared = db.session.scalars(
        select(Reflection)
        .where(Reflection.user_id == user.id, sharing.shared_with_facilitator(viewer))
        .order_by(Reflection.updated_at.desc())
    ).all()
    read_at = {
        (slug, section_id): at
        for slug, section_id, at in db.session.execute(
            select(SectionRead.module_slug, SectionRead.section_id, SectionRead.read_at)
            .where(SectionRead.user_id == user.id)
        )
    }
    return MemberDetail(dict(attempts), list(shared), read_at)
