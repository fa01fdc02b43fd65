"""Accounts: one sign-up for every role, a person's settings, and their API tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiToken, Profile, api_token_secret_hash, validate_time_zone
from reference.helplines import country_for_time_zone


@transaction.atomic
def user_sign_up(
    *,
    role: Profile.Role,
    username: str,
    email: str,
    password: str,
    time_zone: str,
    country: str = "",
    display_name: str = "",
) -> User:
    """Create an account with its role. The form has checked the password; the profile is
    checked here.

    Without a country, the one their time zone lies in picks their help numbers. A provider
    is reached only through their emailed invitation links (an address typed at sign-up is
    not proof of holding it), and a caregiver only through the patient's invitation.
    """
    validate_time_zone(time_zone)
    profile = Profile(
        role=role,
        time_zone=time_zone,
        country=country or country_for_time_zone(time_zone),
        display_name=display_name,
    )
    profile.full_clean(exclude=["user"])
    user = User.objects.create_user(username=username, email=email, password=password)
    profile.user = user
    profile.save()
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    time_zone: str,
    email: str,
    country: str | None = None,
    display_name: str | None = None,
) -> Profile:
    """Change a patient's settings; `country` "" is the country of their time zone, and
    None (for either) keeps what they had."""
    profile = Profile.objects.get(user=user)
    profile.time_zone = time_zone
    if country is not None:
        profile.country = country or country_for_time_zone(time_zone)
    if display_name is not None:
        profile.display_name = display_name.strip()
    profile.full_clean()
    profile.save(update_fields=["time_zone", "country", "display_name"])
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    return profile


UNNAMED_APP = "API token"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # `<key_id>.<secret>`: given to the app this once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> IssuedToken:
    """A new token for `user`'s app, named so they can tell their tokens apart.

    Their ended tokens go; beyond `API_TOKENS_PER_PERSON`, so does the one used longest ago.
    """
    now = timezone.now()
    stamp = user.get_session_auth_hash()
    mine = ApiToken.objects.filter(user=user)
    mine.filter(
        Q(last_used_at__lte=now - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS))
        | Q(created_at__lte=now - timedelta(seconds=settings.API_TOKEN_MAX_LIFETIME))
        | ~Q(password_stamp=stamp)
    ).delete()
    keep = settings.API_TOKENS_PER_PERSON - 1
    oldest = mine.order_by("-last_used_at", "-pk").values_list("pk", flat=True)[keep:]
    ApiToken.objects.filter(pk__in=list(oldest)).delete()
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or UNNAMED_APP,
        key_id=key_id,
        secret_hash=api_token_secret_hash(secret),
        password_stamp=stamp,
        created_at=now,
        last_used_at=now,
    )
    return IssuedToken(token=token, key=f"{key_id}.{secret}")


def api_token_end(*, token: ApiToken) -> None:
    """Sign one app out: its token stops working at once."""
    ApiToken.objects.filter(pk=token.pk).delete()


def api_tokens_end(*, user: User) -> int:
    """End every token of `user`'s (a new password, a reset, "sign out every app", the
    account deleted); how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
