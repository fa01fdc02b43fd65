"""Who someone is in Sidelog: their role, and the name others see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User

from accounts.models import Profile


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
