"""Who may see what. Every view asks here; nothing else decides.

A member sees everything of their own. Family members see each other's progress (unless a
member hides it) and the reflections shared with the family. A facilitator sees the reflections
shared with them by members of the cohorts they run. Nobody else sees anything, and views answer
404 for what a person may not know exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import (
    CohortFacilitator, Encouragement, Family, FamilyMembership, Reflection, User, Visibility,
)

SHARED_WITH_FAMILY = (Visibility.FAMILY, Visibility.FACILITATOR)


def family_of(user: User) -> Family | None:
    """The member's family, if they have one."""
    return user.membership.family if user.membership else None


def in_same_family(a: User, b: User) -> bool:
    """Whether two people belong to one family."""
    return (
        a.membership is not None and b.membership is not None
        and a.membership.family_id == b.membership.family_id
    )


def facilitates(viewer: User, member: User) -> bool:
    """Whether the viewer runs the cohort the member's family belongs to."""
    family = family_of(member)
    if family is None or family.cohort_id is None:
        return False
    return db.session.get(CohortFacilitator, (family.cohort_id, viewer.id)) is not None


def can_read_reflection(viewer: User, reflection: Reflection) -> bool:
    """Author: always. Family: if shared with the family. Facilitator: if shared with them."""
    if reflection.user_id == viewer.id:
        return True
    author = db.session.get(User, reflection.user_id)
    if reflection.visibility in SHARED_WITH_FAMILY and in_same_family(viewer, author):
        return True
    return reflection.visibility is Visibility.FACILITATOR and facilitates(viewer, author)


def can_encourage(viewer: User, reflection: Reflection) -> bool:
    """Family members other than the author may encourage a reflection shared with them."""
    return reflection.user_id != viewer.id and can_read_reflection(viewer, reflection) and (
        in_same_family(viewer, db.session.get(User, reflection.user_id))
    )


def can_remove_encouragement(viewer: User, encouragement: Encouragement) -> bool:
    """Its writer, and the author of the reflection it was left on."""
    return viewer.id in (encouragement.author_id, encouragement.reflection.user_id)


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


def progress_is_visible(viewer: User, member: User) -> bool:
    """A member's progress shows to their family unless they chose to hide it."""
    if viewer.id == member.id:
        return True
    return in_same_family(viewer, member) and not member.membership.is_progress_hidden


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
