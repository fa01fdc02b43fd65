"""Accounts: one sign-up for every role, and a person's settings."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import Profile, validate_time_zone
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
