"""Cohort figures for facilitators: a few set-based queries, then dictionaries in Python.

Each report runs a fixed number of queries whatever the size of the cohort.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .content import Module
from .extensions import db
from .models import (
    Cohort, Family, FamilyMembership, ModuleProgress, ProgressStatus, QuizAttempt, QuizResponse,
    Reflection, User, Visibility, utcnow,
)


@dataclass(frozen=True)
class Cell:
    """One member's standing in one module, as the dashboard shows it."""

    state: str  # not_started, in_progress, stuck, completed
    sections_done: int = 0
    sections_total: int = 0
    best_score: float | None = None
    last_activity_at: datetime | None = None


@dataclass
class MemberRow:
    """A member of the cohort with a cell per module."""

    user: User
    family: Family
    cells: list[Cell] = field(default_factory=list)
    last_activity_at: datetime | None = None

    @property
    def completed(self) -> int:
        return sum(cell.state == "completed" for cell in self.cells)

    @property
    def is_stuck(self) -> bool:
        return any(cell.state == "stuck" for cell in self.cells)

    @property
    def is_not_started(self) -> bool:
        return all(cell.state == "not_started" for cell in self.cells)

    @property
    def has_completed_all(self) -> bool:
        return bool(self.cells) and all(cell.state == "completed" for cell in self.cells)


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


@dataclass
class Dashboard:
    cohort: Cohort
    modules: Sequence[Module]
    rows: list[MemberRow]
    summaries: list[ModuleSummary]
    completions_by_week: list[tuple[date, int]]
    inactive_since: datetime

    @property
    def overall_completion(self) -> float:
        cells = [cell for row in self.rows for cell in row.cells]
        return sum(c.state == "completed" for c in cells) / len(cells) if cells else 0.0

    @property
    def inactive_count(self) -> int:
        return sum(self.is_inactive(row) for row in self.rows)

    def is_inactive(self, row: MemberRow) -> bool:
        return row.last_activity_at is None or row.last_activity_at < self.inactive_since


def cohort_members(cohort: Cohort) -> list[tuple[User, FamilyMembership]]:
    """Everyone in the cohort's families, by family then joining order (one query)."""
    rows = db.session.execute(
        select(User, FamilyMembership)
        .join(FamilyMembership, FamilyMembership.user_id == User.id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id == cohort.id)
        .options(selectinload(User.membership).selectinload(FamilyMembership.family))
        .order_by(Family.name, Family.id, FamilyMembership.joined_at, User.id)
    )
    return [(user, membership) for user, membership in rows]


def build_dashboard(cohort: Cohort, modules: Sequence[Module], now: datetime | None = None):
    """The cohort's matrix of members by modules, with per-module and whole-cohort figures."""
    now = now or utcnow()
    members = cohort_members(cohort)
    ids = [user.id for user, _ in members]
    progress: dict[tuple[int, str], ModuleProgress] = {}
    if ids:
        for row in db.session.scalars(
            select(ModuleProgress).where(ModuleProgress.user_id.in_(ids))
        ):
            progress[row.user_id, row.module_slug] = row
    stuck_before = now - timedelta(days=cohort.stuck_after_days)
    rows = []
    for user, membership in members:
        member = MemberRow(user=user, family=membership.family)
        activity = [membership.joined_at]
        for module in modules:
            found = progress.get((user.id, module.slug))
            member.cells.append(_cell(found, module, stuck_before))
            if found is not None:
                activity.append(found.last_activity_at)
        member.last_activity_at = max(activity)
        rows.append(member)
    summaries = []
    for index, module in enumerate(modules):
        cells = [row.cells[index] for row in rows]
        scores = [c.best_score for c in cells if c.best_score is not None]
        summaries.append(ModuleSummary(
            module=module,
            completed=sum(c.state == "completed" for c in cells),
            started=sum(c.state != "not_started" for c in cells),
            members=len(cells),
            average_best=sum(scores) / len(scores) if scores else None,
        ))
    weeks = Counter(
        (row.completed_at.date() - timedelta(days=row.completed_at.weekday()))
        for row in progress.values() if row.completed_at is not None
    )
    return Dashboard(
        cohort=cohort, modules=modules, rows=rows, summaries=summaries,
        completions_by_week=sorted(weeks.items()), inactive_since=stuck_before,
    )


def _cell(row: ModuleProgress | None, module: Module, stuck_before: datetime) -> Cell:
    total = len(module.sections)
    if row is None:
        return Cell("not_started", 0, total)
    if row.status is ProgressStatus.COMPLETED:
        state = "completed"
    elif row.last_activity_at < stuck_before:
        state = "stuck"
    else:
        state = "in_progress"
    return Cell(state, min(row.sections_done, total), total, row.best_score, row.last_activity_at)


SORTS = {
    "family": lambda row: (row.family.name.lower(), row.family.id, row.user.display_name.lower()),
    "progress": lambda row: (-row.completed, row.family.name.lower()),
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


def question_analytics(cohort: Cohort, modules: Sequence[Module]) -> list[QuestionFigures]:
    """Every question of these modules, hardest first: right on the first try, the most
    chosen wrong option and the number of answers (one query; anonymous attempts count)."""
    by_slug = {module.slug: module for module in modules}
    rows = db.session.execute(
        select(QuizAttempt.module_slug, QuizAttempt.attempt_number, QuizResponse.question_id,
               QuizResponse.chosen_option_ids, QuizResponse.is_correct)
        .join(QuizResponse, QuizResponse.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.cohort_id == cohort.id, QuizAttempt.module_slug.in_(list(by_slug)))
    )
    first = Counter()
    first_right = Counter()
    answers = Counter()
    wrong = defaultdict(Counter)
    for slug, number, question_id, chosen, is_correct in rows:
        key = (slug, question_id)
        answers[key] += 1
        if number == 1:
            first[key] += 1
            first_right[key] += bool(is_correct)
        question = by_slug[slug].question(question_id)
        if question is not None:
            for option_id in chosen or ():
                if option_id not in question.correct_ids:
                    wrong[key][option_id] += 1
    figures = []
    for module in modules:
        for question in module.questions:
            key = (module.slug, question.id)
            top = wrong[key].most_common(1)
            option = next((o for o in question.options if top and o.id == top[0][0]), None)
            figures.append(QuestionFigures(
                module=module, question_id=question.id, title=question.title,
                first_attempts=first[key], first_right=first_right[key], attempts=answers[key],
                wrong_choice=_plain(option.html) if option else None,
                wrong_choice_count=top[0][1] if top else 0,
            ))
    return sorted(
        figures,
        key=lambda f: (f.share_right_first is None, f.share_right_first or 0, -f.attempts),
    )


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def facilitator_reflections(cohort: Cohort) -> list[Reflection]:
    """Reflections members of the cohort shared with their facilitator, newest first."""
    return list(db.session.scalars(
        select(Reflection)
        .join(FamilyMembership, FamilyMembership.user_id == Reflection.user_id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id == cohort.id, Reflection.visibility == Visibility.FACILITATOR)
        .options(selectinload(Reflection.user).selectinload(User.membership)
                 .selectinload(FamilyMembership.family))
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
    ))
