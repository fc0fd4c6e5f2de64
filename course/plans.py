"""A member's plan gathered from the modules, and who they let read it. Plain functions that
flush and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from .content import PLAN_PARTS, Module, Prompt, Section
from .extensions import db
from .models import FamilyMembership, Reflection, User, Visibility


@dataclass(frozen=True)
class PlanItem:
    """One prompt of the plan, where it stands in the course, and the member's answer (None
    until they write one)."""

    module: Module
    section: Section
    prompt: Prompt
    answer: Reflection | None


@dataclass(frozen=True)
class PlanPart:
    """One heading of the plan ("Staying safe") with its prompts, in course order."""

    name: str
    items: tuple[PlanItem, ...]


def plan_of(owner: User, modules: Sequence[Module]) -> list[PlanPart]:
    """The member's plan: each part of PLAN_PARTS that the modules ask about, its prompts in
    course order, each with the member's answer. One statement, whatever the number of modules
    and answers."""
    slugs = [module.slug for module in modules if module.plan_prompts]
    answers = {
        (row.module_slug, row.prompt_id): row
        for row in db.session.scalars(
            select(Reflection).where(
                Reflection.user_id == owner.id, Reflection.module_slug.in_(slugs)
            )
        )
    } if slugs else {}
    items = [
        PlanItem(module, section, prompt, answers.get((module.slug, prompt.id)))
        for module in modules
        for section in module.sections
        for prompt in section.prompts
        if prompt.plan
    ]
    parts = [
        PlanPart(name, tuple(item for item in items if item.prompt.plan == name))
        for name in PLAN_PARTS
    ]
    return [part for part in parts if part.items]


def choose_plan_readers(membership: FamilyMembership, visibility: Visibility) -> None:
    """Let the member's family (and their facilitators) read their plan, or nobody else."""
    membership.plan_visibility = visibility
    db.session.flush()
