"""Accounts: making one (a member's with their place in a family), finding one by email or,
at login, by email and password, and changing its role.

Plain functions that views call; they change the session and flush, and never commit.
Signing up is in signup.py, invites in invitations.py, emailed links in tokens.py and
account_mail.py, and a member's own data in member_data.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from .extensions import db
from .models import Cohort, Family, FamilyMembership, Relationship, Role, User, utcnow

# Compared against when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = "scrypt:32768:8:1$dummy$" + "0" * 128


@dataclass(frozen=True)
class Profile:
    """What a member tells us about themselves when they sign up."""

    email: str
    password: str
    display_name: str
    relationship: Relationship
    loved_one_nickname: str | None = None
    family_name: str | None = None
    locale: str | None = None  # the language they chose on the sign-up page, if any


class AccountError(ValueError):
    """A change to an account that can't be made; the message says why, for a person."""


def create_account(email: str, display_name: str, role: Role, password: str) -> User:
    """An account that can log in at once: a member gets a self-paced family, staff none."""
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account already uses %(email)s.", email=email.strip().lower()))
    if role is Role.MEMBER:
        user = create_member(Profile(
            email=email, password=password, display_name=display_name,
            relationship=Relationship.OTHER,
        ))
    else:
        user = User(email=email, display_name=display_name.strip(), role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        retire_demo_for(user)
    user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


def change_role(user: User, role: Role) -> None:
    """Give an account a new role; only an account with a family can be a member."""
    # Members' pages assume a family, and staff accounts have none.
    if role is Role.MEMBER and user.membership is None:
        raise AccountError(_(
            "%(email)s has no family, so can't be a member. Make a member account instead.",
            email=user.email,
        ))
    user.role = role


def find_user_by_email(email: str) -> User | None:
    """The account with this email, whatever its case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active account matching this email and password, or None."""
    user = find_user_by_email(email)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def create_member(profile: Profile, family: Family | None = None, cohort: Cohort | None = None):
    """Create a member and their place in a family: `family`, or a new one (in `cohort`)."""
    user = User(email=profile.email, display_name=profile.display_name.strip(),
                locale=profile.locale)
    user.set_password(profile.password)
    if family is None:
        name = (profile.family_name or "").strip() or _("%(name)s's family", name=user.display_name)
        family = Family(name=name, cohort=cohort)
    user.membership = FamilyMembership(
        family=family,
        relationship_to_loved_one=profile.relationship,
        loved_one_nickname=(profile.loved_one_nickname or "").strip() or None,
    )
    db.session.add(user)
    db.session.flush()
    retire_demo_for(user)
    return user


def retire_demo_for(user: User) -> None:
    """A real account now exists: the demo's, whose password the README publishes, stop."""
    from . import demo  # The demo builds its families with this module's functions.

    if not user.email.endswith("@" + demo.DEMO_DOMAIN):
        demo.retire_demo_accounts()


def choose_language(user: User, code: str) -> None:
    """The person's language for the site and the modules, one of course.i18n.LANGUAGES."""
    user.locale = code
    db.session.flush()
