"""Who may see what. Every view, report and template asks here; nothing else decides.

A member sees everything of their own. Family members see each other's progress (unless a
member hides it) and the reflections shared with the family. The facilitators who run a group
(the one who started it and any co-facilitators) see its members' progress, hidden or not, their
quiz answers, the reflections shared with the facilitator, and the plans shared with them. A
member's plan (My plan) shows to their family, or to their family and facilitators, only once
they choose so. Being an admin adds nothing here: admins manage accounts and content, and read
a member's data only in a group they run themselves.
Nobody else sees anything, and views answer 404 for what a person may not know exists.

Each rule comes as a yes/no check for one object and, where pages list many, as a where-clause
for their queries, side by side; tests/test_sharing_matrix.py checks that the two agree.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import (
    Cohort,
    CohortFacilitator,
    Encouragement,
    Family,
    FamilyMembership,
    QuizAttempt,
    Reflection,
    Role,
    User,
    Visibility,
)

SHARED_WITH_FAMILY = (Visibility.FAMILY, Visibility.FACILITATOR)
# The roles that may run groups; an account demoted from them stops seeing its groups at once.
FACILITATOR_ROLES = (Role.FACILITATOR, Role.ADMIN)


# Families ------------------------------------------------------------------------------------


def family_of(user: User) -> Family | None:
    """The member's family, if they have one."""
    return user.membership.family if user.membership else None


def in_same_family(a: User, b: User) -> bool:
    """Whether two people belong to one family."""
    return (
        a.membership is not None and b.membership is not None
        and a.membership.family_id == b.membership.family_id
    )


def family_members(viewer: User) -> list[User]:
    """Everyone in the viewer's family, the viewer first, then by when they joined."""
    family = family_of(viewer)
    if family is None:
        return []
    members = db.session.scalars(
        select(User).join(FamilyMembership).where(FamilyMembership.family_id == family.id)
        .options(selectinload(User.membership).selectinload(FamilyMembership.family))
        .order_by(FamilyMembership.joined_at, User.id)
    ).all()
    return sorted(members, key=lambda member: member.id != viewer.id)


# Groups --------------------------------------------------------------------------------------


def may_run_groups(user: User) -> bool:
    """Whether the account may start a group or be added to one as a co-facilitator."""
    return user.role in FACILITATOR_ROLES


def cohort_ids_run_by(viewer: User) -> Select:
    """The ids of the groups the viewer runs, as a subquery."""
    query = select(CohortFacilitator.cohort_id).where(CohortFacilitator.user_id == viewer.id)
    return query if may_run_groups(viewer) else query.where(false())


def members_run_by(viewer: User) -> Select:
    """The ids of the members of the groups the viewer runs, as a subquery."""
    return (
        select(FamilyMembership.user_id)
        .join(Family, Family.id == FamilyMembership.family_id)
        .where(Family.cohort_id.in_(cohort_ids_run_by(viewer)))
    )


def runs(viewer: User, cohort_id: int | None) -> bool:
    """Whether the viewer runs this group."""
    return cohort_id is not None and may_run_groups(viewer) and (
        db.session.get(CohortFacilitator, (cohort_id, viewer.id)) is not None
    )


def facilitates(viewer: User, member: User) -> bool:
    """Whether the viewer runs the group the member's family belongs to."""
    family = family_of(member)
    return family is not None and runs(viewer, family.cohort_id)


def cohorts_run_by(viewer: User) -> list[Cohort]:
    """The groups the viewer runs: current ones first, newest first."""
    return list(db.session.scalars(
        select(Cohort).where(Cohort.id.in_(cohort_ids_run_by(viewer)))
        .order_by(Cohort.archived_at.is_not(None), Cohort.created_at.desc(), Cohort.id.desc())
    ))


def cohort_for(viewer: User, cohort_id: int) -> Cohort:
    """A group the viewer runs, else 404: the same answer as for a group that doesn't exist."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not runs(viewer, cohort.id):
        abort(404)
    return cohort


def member_of(cohort: Cohort, user_id: int) -> User:
    """A member of one of the group's families, else 404."""
    user = db.session.get(User, user_id)
    family = family_of(user) if user is not None else None
    if user is None or family is None or family.cohort_id != cohort.id:
        abort(404)
    return user


def add_facilitator(cohort: Cohort, user: User, *, is_owner: bool = False) -> None:
    """Let the user run the group too (nothing changes if they already do)."""
    if not may_run_groups(user):
        raise ValueError("only facilitators and admins run groups")
    if all(row.user_id != user.id for row in cohort.facilitators):
        cohort.facilitators.append(CohortFacilitator(user_id=user.id, is_owner=is_owner))
        db.session.flush()


# Progress ------------------------------------------------------------------------------------


def progress_is_visible(viewer: User, member: User) -> bool:
    """A member's progress shows to their family unless they hid it, and always to the
    facilitators of their group."""
    if viewer.id == member.id:
        return True
    if in_same_family(viewer, member):
        hidden = member.membership is not None and member.membership.is_progress_hidden
        return not hidden or facilitates(viewer, member)
    return facilitates(viewer, member)


# Reflections ---------------------------------------------------------------------------------


def visibility_choices(member: User) -> list[Visibility]:
    """Who the member may share a reflection with: their facilitator only if they are in a
    group."""
    family = family_of(member)
    if family is not None and family.cohort_id is not None:
        return list(Visibility)
    return [Visibility.PRIVATE, Visibility.FAMILY]


def can_read_reflection(viewer: User, reflection: Reflection) -> bool:
    """Author: always. Family: if shared with the family. Facilitator: if shared with them."""
    if reflection.user_id == viewer.id:
        return True
    author = db.session.get(User, reflection.user_id)
    if author is None:
        return False
    if reflection.visibility in SHARED_WITH_FAMILY and in_same_family(viewer, author):
        return True
    return reflection.visibility is Visibility.FACILITATOR and facilitates(viewer, author)


def reflections_visible_to(viewer: User) -> ColumnElement[bool]:
    """A where-clause on Reflection: what `can_read_reflection` lets the viewer read."""
    family = family_of(viewer)
    in_family = false() if family is None else (
        Reflection.visibility.in_(SHARED_WITH_FAMILY)
        & Reflection.user_id.in_(
            select(FamilyMembership.user_id).where(FamilyMembership.family_id == family.id)
        )
    )
    return or_(Reflection.user_id == viewer.id, in_family, shared_with_facilitator(viewer))


def shared_with_facilitator(viewer: User) -> ColumnElement[bool]:
    """A where-clause on Reflection: what members of the viewer's groups shared with their
    facilitator."""
    return (Reflection.visibility == Visibility.FACILITATOR) & Reflection.user_id.in_(
        members_run_by(viewer)
    )


def family_reflections(viewer: User) -> list[Reflection]:
    """Reflections shared with the viewer's family (their own included), newest first."""
    family = family_of(viewer)
    if family is None:
        return []
    return list(db.session.scalars(
        select(Reflection)
        .join(FamilyMembership, FamilyMembership.user_id == Reflection.user_id)
        .where(FamilyMembership.family_id == family.id)
        .where(Reflection.visibility.in_(SHARED_WITH_FAMILY))
        .options(
            selectinload(Reflection.user).selectinload(User.membership),
            selectinload(Reflection.encouragements).selectinload(Encouragement.author),
        )
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
    ))


def shared_by_family(viewer: User) -> ColumnElement[bool]:
    """A where-clause on Reflection: what the others in the viewer's family shared with the
    family (the part of `reflections_visible_to` that is news to a family member)."""
    family = family_of(viewer)
    if family is None:
        return false()
    return (
        Reflection.visibility.in_(SHARED_WITH_FAMILY)
        & (Reflection.user_id != viewer.id)
        & Reflection.user_id.in_(
            select(FamilyMembership.user_id).where(FamilyMembership.family_id == family.id)
        )
    )


def encouragements_received(viewer: User) -> ColumnElement[bool]:
    """A where-clause on Encouragement: the kind words others left on the viewer's own
    reflections, which the viewer, as their author, may always read."""
    return (Encouragement.author_id != viewer.id) & Encouragement.reflection_id.in_(
        select(Reflection.id).where(Reflection.user_id == viewer.id)
    )


def can_encourage(viewer: User, reflection: Reflection) -> bool:
    """Family members other than the author may encourage a reflection shared with them."""
    if reflection.user_id == viewer.id or not can_read_reflection(viewer, reflection):
        return False
    author = db.session.get(User, reflection.user_id)
    return author is not None and in_same_family(viewer, author)


def can_remove_encouragement(viewer: User, encouragement: Encouragement) -> bool:
    """Its writer, and the author of the reflection it was left on."""
    return viewer.id in (encouragement.author_id, encouragement.reflection.user_id)


# Plans ---------------------------------------------------------------------------------------


def can_see_plan(viewer: User, owner: FamilyMembership) -> bool:
    """A member's plan (their answers to the plan's prompts, whatever each one's own choice of
    readers): always the member; the family once they share it; the facilitators of their group
    when they share it with them too."""
    if owner.user_id == viewer.id:
        return True
    if owner.plan_visibility in SHARED_WITH_FAMILY and viewer.membership is not None and (
        viewer.membership.family_id == owner.family_id
    ):
        return True
    return owner.plan_visibility is Visibility.FACILITATOR and runs(viewer, owner.family.cohort_id)


def plans_visible_to(viewer: User) -> ColumnElement[bool]:
    """A where-clause on FamilyMembership: the members whose plan `can_see_plan` lets the viewer
    read."""
    family = family_of(viewer)
    in_family = false() if family is None else (
        FamilyMembership.plan_visibility.in_(SHARED_WITH_FAMILY)
        & (FamilyMembership.family_id == family.id)
    )
    with_facilitator = (FamilyMembership.plan_visibility == Visibility.FACILITATOR) & (
        FamilyMembership.user_id.in_(members_run_by(viewer))
    )
    return or_(FamilyMembership.user_id == viewer.id, in_family, with_facilitator)


def plan_owner_for(viewer: User, user_id: int) -> FamilyMembership:
    """The membership of a member whose plan the viewer may read, else 404: the same answer as
    for a member who doesn't exist."""
    owner = db.session.scalar(
        select(FamilyMembership)
        .where(FamilyMembership.user_id == user_id, plans_visible_to(viewer))
        .options(
            selectinload(FamilyMembership.user),
            selectinload(FamilyMembership.family).selectinload(Family.cohort),
        )
    )
    if owner is None:
        abort(404)
    return owner


# Quiz answers --------------------------------------------------------------------------------


def can_read_answers(viewer: User, member: User) -> bool:
    """A member's quiz answers: the member, and the facilitators of their group."""
    return viewer.id == member.id or facilitates(viewer, member)


def answers_visible_to(viewer: User) -> ColumnElement[bool]:
    """A where-clause on QuizAttempt: the attempts `can_read_answers` lets the viewer read."""
    return or_(QuizAttempt.user_id == viewer.id, QuizAttempt.user_id.in_(members_run_by(viewer)))


def group_answers_visible_to(viewer: User) -> ColumnElement[bool]:
    """A where-clause on QuizAttempt: attempts counted for the groups the viewer runs, those
    of members who have since left or deleted their account included (for figures only)."""
    return QuizAttempt.cohort_id.in_(cohort_ids_run_by(viewer))
