"""Accounts, families and invites: signing up, joining, and resetting a password.

Plain functions that views call; they change the session and flush, and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from .extensions import db
from .links import external_url
from .mail import send_email
from .models import Cohort, Family, FamilyMembership, Invite, Relationship, Role, User, utcnow

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


class AccountError(ValueError):
    """A change to an account that can't be made; the message says why, for a person."""


def create_account(email: str, display_name: str, role: Role, password: str) -> User:
    """An account that can log in at once: a member gets a self-paced family, staff none."""
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account already uses {email.strip().lower()}.")
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
        raise AccountError(
            f"{user.email} has no family, so can't be a member. Make a member account instead."
        )
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


def sign_up(profile: Profile, *, invite: Invite | None = None) -> bool:
    """Create an unconfirmed member (through an invite, if given) and email them.

    When the address already has an account, its owner is emailed instead and nothing is
    created. Returns False only when the invite was used up in the meantime.
    """
    # Both branches end the same way for whoever filled in the form ("check your email"),
    # so sign-up never tells them whether an address has an account.
    existing = find_user_by_email(profile.email)
    if existing is not None:
        # As long as making an account takes, so the time of the answer tells nothing either.
        generate_password_hash(profile.password, method="scrypt")
        send_already_registered(existing.email)
        return True
    if invite is not None:
        user = redeem_invite(invite, profile)
        if user is None:
            return False
    else:
        user = create_member(profile)
    send_confirmation(user)
    return True


def create_member(profile: Profile, family: Family | None = None, cohort: Cohort | None = None):
    """Create a member and their place in a family: `family`, or a new one (in `cohort`)."""
    user = User(email=profile.email, display_name=profile.display_name.strip())
    user.set_password(profile.password)
    if family is None:
        name = (profile.family_name or "").strip() or f"{user.display_name}'s family"
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


# Invites -------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(
    *, created_by: User | None, family: Family | None = None, cohort: Cohort | None = None,
    days: int | None = None, max_uses: int | None = None,
) -> tuple[Invite, str]:
    """Make an invite to a family or (as a new family) to a cohort; return it and its token.

    Only a hash of the token is stored: the link can be shown once, when it is made.
    """
    token = secrets.token_urlsafe(24)
    days = days or current_app.config["COURSE_INVITE_DAYS"]
    invite = Invite(
        token_hash=_token_hash(token),
        family=family,
        cohort=cohort,
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + timedelta(days=days),
        max_uses=max_uses,
    )
    db.session.add(invite)
    db.session.flush()
    return invite, token


def invite_url(token: str) -> str:
    """The link to send: it opens the sign-up form for this invite."""
    return external_url("auth.join", token=token)


def find_invite(token: str) -> Invite | None:
    """The invite for this token if it can still be used, else None."""
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == _token_hash(token)))
    if invite is None or not invite_is_usable(invite):
        return None
    return invite


def invite_is_usable(invite: Invite, now: datetime | None = None) -> bool:
    """Not revoked, not expired, not used up, and not into a group that has ended."""
    now = now or utcnow()
    cohort = invite.cohort or (invite.family.cohort if invite.family else None)
    return (
        invite.revoked_at is None
        and (cohort is None or cohort.archived_at is None)
        and invite.expires_at > now
        and (invite.max_uses is None or invite.use_count < invite.max_uses)
    )


def usable_invites(family: Family) -> list[Invite]:
    """A family's invite links that still work, newest first."""
    invites = db.session.scalars(
        select(Invite).where(Invite.family_id == family.id, Invite.revoked_at.is_(None))
        .order_by(Invite.created_at.desc())
    )
    return [invite for invite in invites if invite_is_usable(invite)]


def redeem_invite(invite: Invite, profile: Profile) -> User | None:
    """Use an invite to create a member; None if it was used up in the meantime."""
    # One statement, so two people can't both take an invite's last use.
    taken = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.revoked_at.is_(None))
        .where((Invite.max_uses.is_(None)) | (Invite.use_count < Invite.max_uses))
        .values(use_count=Invite.use_count + 1)
    ).rowcount
    if not taken:
        return None
    db.session.refresh(invite)
    return create_member(profile, family=invite.family, cohort=invite.cohort)


def revoke_invite(invite: Invite) -> None:
    """Stop an invite from working."""
    invite.revoked_at = invite.revoked_at or utcnow()


# Password reset ------------------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # The token names the current password hash, so it stops working once the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """A signed token for one password reset."""
    return _reset_serializer().dumps({"id": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a reset token is for, if it is genuine, unexpired and unused."""
    max_age = current_app.config["PASSWORD_RESET_MINUTES"] * 60
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data.get("id"), int) else None
    if user is None or not user.is_active or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def send_password_reset(email: str) -> None:
    """Email a reset link if an account uses this email; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    send_email(
        user.email, "Reset your Family Course password", "reset_password",
        name=user.display_name,
        link=external_url("auth.reset_password", token=make_reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )


# Confirming an email address -----------------------------------------------------------------


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


CONFIRM_DAYS = 7


def send_already_registered(email: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    send_email(
        email, "Your Family Course account", "already_registered",
        login_link=external_url("auth.login"), reset_link=external_url("auth.forgot_password"),
    )


def send_confirmation(user: User) -> None:
    """Email a new member the link that confirms their address."""
    token = _confirm_serializer().dumps(
        {"id": user.id, "email": user.email, "pw": _password_fingerprint(user)}
    )
    send_email(
        user.email, "Confirm your email for Family Course", "confirm",
        name=user.display_name, link=external_url("auth.confirm_email", token=token),
        days=CONFIRM_DAYS,
    )


def confirm_email(token: str) -> tuple[User | None, bool]:
    """Confirm the address of a confirmation token: its user, and whether this confirmed it.

    A token works once: a second use finds the address already confirmed, and a new password
    (the owner taking back an account someone else registered) ends it.
    """
    try:
        data = _confirm_serializer().loads(token, max_age=CONFIRM_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        return None, False
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None, False
    user = db.session.get(User, data["id"])
    if (user is None or not user.is_active or user.email != data.get("email")
            or data.get("pw") != _password_fingerprint(user)):
        return None, False
    if user.email_confirmed_at is not None:
        return user, False
    user.email_confirmed_at = utcnow()
    return user, True


# My data ---------------------------------------------------------------------------------------


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_data(user: User) -> dict:
    """Everything stored about a member, and who on the staff looked at it, as JSON-ready
    data."""
    from . import audit
    from .models import Encouragement, ModuleProgress, QuizAttempt, Reflection, SectionRead

    membership = user.membership
    mine = db.session.scalars(select(Reflection).where(Reflection.user_id == user.id)).all()
    return {
        "account": {
            "email": user.email, "display_name": user.display_name, "role": user.role.value,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
        },
        "family": membership and {
            "name": membership.family.name,
            "relationship_to_loved_one": membership.relationship_to_loved_one.value,
            "loved_one_nickname": membership.loved_one_nickname,
            "is_progress_hidden": membership.is_progress_hidden,
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
