"""People in Sidelog: a profile per account, with its role, time zone and country."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_countries.fields import CountryField


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"“{name}” is not a time zone Sidelog knows.")


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
        max_length=150, blank=True, help_text="How others see you, e.g. “Dr Jane Okafor”."
    )
    # Picks the emergency and crisis numbers in red-flag guidance (reference.helplines).
    country = CountryField(blank=True, help_text="Where you live: Sidelog shows its help numbers.")

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
