"""Invite links: into a family, or as a new family into a group; making, checking, using and
withdrawing them.

Plain functions that views call; they change the session and flush, and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from .accounts import Profile, create_member
from .extensions import db
from .links import external_url
from .models import Cohort, Family, Invite, User, utcnow


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(
    *, created_by: User | None, family: Family | None = None, cohort: Cohort | None = None,
    days: int | None = None, max_uses: int | None = None, label: str | None = None,
) -> tuple[Invite, str]:
    """Make an invite to a family or (as a new family) to a cohort; return it and its token.
    `label` says whom it is for, in the inviter's words, for their list of links.

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
        label=label or None,
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
    # An UPDATE's result is a CursorResult, though Session.execute is typed to return Result.
    taken = cast(CursorResult, db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.revoked_at.is_(None))
        .where((Invite.max_uses.is_(None)) | (Invite.use_count < Invite.max_uses))
        .values(use_count=Invite.use_count + 1)
    )).rowcount
    if not taken:
        return None
    db.session.refresh(invite)
    return create_member(profile, family=invite.family, cohort=invite.cohort)


def revoke_invite(invite: Invite) -> None:
    """Stop an invite from working."""
    invite.revoked_at = invite.revoked_at or utcnow()
