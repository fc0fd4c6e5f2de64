"""Signing up: a new member, on their own or through an invite, who then confirms by email.

Plain functions that views call; they change the session and flush, and never commit.
"""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from .account_mail import send_already_registered, send_confirmation
from .accounts import Profile, create_member, find_user_by_email
from .invitations import redeem_invite
from .models import Invite


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
        send_already_registered(existing)
        return True
    if invite is not None:
        user = redeem_invite(invite, profile)
        if user is None:
            return False
    else:
        user = create_member(profile)
    send_confirmation(user)
    return True


def send_again(email: str) -> None:
    """Send the mail that signing up with this address sent, once more: the link that
    confirms it, or its owner's "you already have an account". Nothing when no account uses
    it (it was deleted since); the person asking is told the same in every case."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    if user.email_confirmed_at is None:
        send_confirmation(user)
    else:
        send_already_registered(user)
