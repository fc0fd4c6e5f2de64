"""Limits on guessing passwords, counted where every app process sees the same numbers.

A login try is counted three ways: for the account from this address (LOGIN_LIMIT), for the
account from anywhere (LOGIN_ACCOUNT_LIMIT, higher: a stranger's guessing slows, but does not
lock out, an owner logging in from elsewhere) and for the address across accounts
(LOGIN_ADDRESS_LIMIT). Each try is counted before the password is checked, in one atomic step
of the store, so tries sent at the same moment can't slip past a limit; a successful login
gives its counts back. The store is Flask-Limiter's (RATELIMIT_STORAGE_URI: Redis for several
processes). When it is down, logins go on and a warning is logged: a missing limit for a few
minutes does less harm than nobody being able to log in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter

from .extensions import limiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counted:
    """The counts one login try added, to give back if it succeeds."""

    hits: tuple[tuple[RateLimitItem, tuple[str, ...]], ...]
    allowed: bool


def _counter() -> FixedWindowRateLimiter:
    return FixedWindowRateLimiter(limiter.storage)


def _login_limits(email: str, address: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    config = current_app.config
    account = email.strip().lower()
    return [
        (parse(config["LOGIN_LIMIT"]), ("login-pair", account, address)),
        (parse(config["LOGIN_ACCOUNT_LIMIT"]), ("login-account", account)),
        (parse(config["LOGIN_ADDRESS_LIMIT"]), ("login-address", address)),
    ]


def _count(limits: list[tuple[RateLimitItem, tuple[str, ...]]], what: str) -> Counted:
    hits = []
    allowed = True
    try:
        counter = _counter()
        for item, keys in limits:
            allowed = counter.hit(item, *keys) and allowed
            hits.append((item, keys))
    # The store is unreachable: let people in, rather than lock everyone out.
    except Exception as error:  # noqa: BLE001
        log.warning("%s limits not applied: the limit store failed (%s)", what,
                    type(error).__name__)
        return Counted(tuple(hits), True)
    return Counted(tuple(hits), allowed)


def count_login_try(email: str, address: str) -> Counted:
    """Count a login try; `allowed` is False once any of its limits is used up."""
    return _count(_login_limits(email, address), "Login")


def count_mail_request(kind: str, email: str, address: str) -> bool:
    """Count a request that mails an address (sign-up, join, reset): per address and per
    email, so nobody can fill a stranger's inbox. False once either limit is used up."""
    limit = parse(current_app.config["MAIL_REQUEST_LIMIT"])
    account = email.strip().lower()
    return _count([(limit, (kind, "address", address)), (limit, (kind, "email", account))],
                  "Mail").allowed


def count_password_check(user_id: int) -> Counted:
    """Count a check of the current password (changing it, deleting the account)."""
    limit = parse(current_app.config["PASSWORD_CHECK_LIMIT"])
    return _count([(limit, ("password-check", str(user_id)))], "Password check")


def give_back(counted: Counted) -> None:
    """A successful login: its try no longer counts against anyone."""
    try:
        counter = _counter()
        for item, keys in counted.hits:
            counter.hit(item, *keys, cost=-1)
    except Exception as error:  # noqa: BLE001  As in _count: a failing store changes nothing.
        log.warning("Login limits not given back: the limit store failed (%s)",
                    type(error).__name__)


def forget_account(email: str) -> None:
    """The owner proved who they are (a password reset): clear the account's counts."""
    account = email.strip().lower()
    try:
        counter = _counter()
        counter.clear(parse(current_app.config["LOGIN_ACCOUNT_LIMIT"]), "login-account", account)
    except Exception as error:  # noqa: BLE001  As in _count: a failing store changes nothing.
        log.warning("Login limits not cleared: the limit store failed (%s)", type(error).__name__)
