"""People in Sidelog: a profile per account, with its role, time zone and country; the API
tokens their apps sign in with."""

from __future__ import annotations

import hashlib
import hmac
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django_countries.fields import CountryField

from accounts.text_limits import NAME


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"“{name}” is not a time zone Sidelog knows.")


EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def birth_date_problem(day: date, *, today: date) -> str | None:
    """Why `day` can't be a date of birth, or None."""
    if day > today:
        return "A date of birth can't be in the future."
    if day < EARLIEST_BIRTH_DATE:
        return "Check the year: a date of birth can't be before 1900."
    return None


class Profile(models.Model):
    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        PROVIDER = "provider", "Provider"
        CAREGIVER = "caregiver", "Caregiver"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    display_name = models.CharField(
        max_length=NAME, blank=True, help_text="How others see you, e.g. “Dr Jane Okafor”."
    )
    # Picks the emergency and crisis numbers in red-flag guidance (reference.helplines).
    country = CountryField(blank=True, help_text="Where you live: Sidelog shows its help numbers.")
    # Optional; shown on the patient's reports, where a provider matches them to a record.
    date_of_birth = models.DateField(null=True, blank=True)
    # The unit the patient reads and types temperatures in; Sidelog stores °C.
    temperature_unit = models.CharField(
        max_length=1, choices=[("C", "°C"), ("F", "°F")], default="C"
    )

    class Meta:
        db_table = "journal_profile"  # where it has always been

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def patient_zone(user: object) -> zoneinfo.ZoneInfo:
    """The time zone a patient's days are counted in (UTC for anyone without a profile)."""
    profile: Profile | None = getattr(user, "profile", None)
    return profile.zone if profile is not None else zoneinfo.ZoneInfo("UTC")


def api_token_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A token an app signs in to the API with, as `<key_id>.<secret>`.

    Only a hash of the secret is kept: the token is shown once, when it is made, and no
    one reads it back. It ends `API_TOKEN_IDLE_SECONDS` after its last use and
    `API_TOKEN_MAX_LIFETIME` after it was made, like a session, and when the password
    changes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=50)
    key_id = models.CharField(max_length=16, unique=True)  # public: finds the row
    secret_hash = models.CharField(max_length=64)
    # The user's session auth hash when the token was made: a new password changes it.
    password_stamp = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @property
    def ends_at(self) -> datetime:
        """When it ends unless used before; use moves this, up to its absolute end."""
        idle_end = self.last_used_at + timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS)
        return min(idle_end, self.absolute_end)

    @property
    def absolute_end(self) -> datetime:
        return self.created_at + timedelta(seconds=settings.API_TOKEN_MAX_LIFETIME)

    def has_ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    def stamp_matches(self, user: AbstractBaseUser) -> bool:
        return hmac.compare_digest(self.password_stamp, user.get_session_auth_hash())
