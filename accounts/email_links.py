"""Links Sidelog emails to prove that someone holds an address: finishing a sign-up, and
confirming a new email in settings.

A link carries what it is for, signed with SECRET_KEY (django.core.signing) and stamped with
the time it was made. It works for ACCOUNT_ACTIVATION_DAYS, and only while the account is as
it was when the link was made (its password hash, state and email), so it works once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

SIGN_UP = "sidelog.accounts.sign-up"
EMAIL_CHANGE = "sidelog.accounts.email-change"


class LinkProblem(enum.Enum):
    EXPIRED = "expired"
    USED = "used"  # or made void by what happened since: a newer sign-up, a deletion
    BROKEN = "broken"


class LinkRefused(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def link_lifetime() -> timedelta:
    return timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS)


def local_path(path: str) -> str:
    """`path` if it is a page of this site given as a path, else ""."""
    is_local = path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    return path if is_local else ""


def _state(purpose: str, user: User) -> str:
    """What the account looks like now: once any of it changes, a link made before is used.

    Logging in changes `last_login`, which finishes a sign-up; a new email is confirmed in a
    session that may be newer than the one that asked for it, so only the address and the
    password count for it.
    """
    now = f"{user.pk}|{user.password}|{user.email}"
    if purpose == SIGN_UP:
        now += f"|{user.is_active}|{user.last_login}"
    return salted_hmac(purpose, now).hexdigest()


def _read(token: str, purpose: str) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=purpose, max_age=link_lifetime())
    except signing.SignatureExpired:
        raise LinkRefused(LinkProblem.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(LinkProblem.BROKEN) from None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise LinkRefused(LinkProblem.BROKEN)
    return data


def _matches(data: dict[str, Any], purpose: str, user: User | None) -> bool:
    state = data.get("state")
    return (
        user is not None
        and isinstance(state, str)
        and constant_time_compare(state, _state(purpose, user))
    )


# Finishing a sign-up


@dataclass(frozen=True)
class SignUpClaim:
    user_id: int
    next_path: str
    _data: dict[str, Any]

    def holds_for(self, user: User | None) -> bool:
        """Whether the link still finishes this account: it is not finished, and is the one
        the link was made for."""
        return (
            user is not None
            and not user.is_active
            and user.last_login is None
            and _matches(self._data, SIGN_UP, user)
        )


def sign_up_token(user: User, *, next_path: str = "") -> str:
    data = {"user": user.pk, "state": _state(SIGN_UP, user), "next": local_path(next_path)}
    return signing.dumps(data, salt=SIGN_UP, compress=True)


def sign_up_claim(token: str) -> SignUpClaim:
    """What a sign-up link asks for; LinkRefused when it expired or was tampered with."""
    data = _read(token, SIGN_UP)
    next_path = data.get("next")
    return SignUpClaim(
        user_id=data["user"],
        next_path=local_path(next_path) if isinstance(next_path, str) else "",
        _data=data,
    )


# Confirming a new email


def email_change_token(user: User, *, email: str) -> str:
    data = {"user": user.pk, "state": _state(EMAIL_CHANGE, user), "email": email}
    return signing.dumps(data, salt=EMAIL_CHANGE, compress=True)


def email_change_read(token: str, *, user: User) -> str:
    """The new address a link confirms for `user`; LinkRefused when it expired, is someone
    else's, or the account changed since (the address was changed already)."""
    data = _read(token, EMAIL_CHANGE)
    email = data.get("email")
    if data["user"] != user.pk or not isinstance(email, str):
        raise LinkRefused(LinkProblem.BROKEN)
    if not _matches(data, EMAIL_CHANGE, user):
        raise LinkRefused(LinkProblem.USED)
    return email
