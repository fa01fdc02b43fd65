"""Who someone is in Sidelog: their role, and the name others see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Profile


def _profile(user: object) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile: Profile | None = getattr(user, "profile", None)
    return profile


def patient_profile(user: User | Any) -> Profile | None:
    """The patient profile of a signed-in user, or None for anyone without a journal."""
    profile = _profile(user)
    return profile if profile is not None and profile.role == Profile.Role.PATIENT else None


def is_provider(user: object) -> bool:
    profile = _profile(user)
    return profile is not None and profile.role == Profile.Role.PROVIDER


def is_caregiver(user: object) -> bool:
    profile = _profile(user)
    return profile is not None and profile.role == Profile.Role.CAREGIVER


def person_name(user: AbstractBaseUser) -> str:
    """How one person is named to another: their display name, else their username."""
    profile: Profile | None = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or user.get_username()


def api_tokens_live(*, user: User, now: datetime | None = None) -> QuerySet[ApiToken]:
    """The person's tokens that still work, the most recently used first."""
    now = now or timezone.now()
    return ApiToken.objects.filter(
        user=user,
        last_used_at__gt=now - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS),
        created_at__gt=now - timedelta(seconds=settings.API_TOKEN_MAX_LIFETIME),
        password_stamp=user.get_session_auth_hash(),
    ).order_by("-last_used_at", "-pk")


def api_token_of(*, user: User, pk: int) -> ApiToken | None:
    """One of the person's own tokens; None for anyone else's, as for one that isn't."""
    return ApiToken.objects.filter(user=user, pk=pk).first()


def sign_ups_unfinished() -> QuerySet[User]:
    """Accounts made by a sign-up whose emailed link was never followed: inactive, never
    logged in. (Following the link activates the account and logs it in.)"""
    return User.objects.filter(is_active=False, last_login__isnull=True, profile__isnull=False)


def account_with_email(email: str, *, except_user: User | None = None) -> User | None:
    """The account that holds this address, sign-ups not finished aside."""
    holders = User.objects.filter(email__iexact=email).exclude(pk__in=sign_ups_unfinished())
    if except_user is not None:
        holders = holders.exclude(pk=except_user.pk)
    return holders.order_by("pk").first()
