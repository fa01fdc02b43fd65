"""How reminders hear of what happens below them, without those apps importing reminders:
a dose saved (created, its time or medicine changed) reschedules its check-in reminders, a
profile saved (its time zone) reschedules the patient's, and a sign-up may ask for them.
A deleted dose takes its reminders with it (a cascade)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_save

from accounts.models import Profile
from accounts.signals import sign_up_started
from journal.models import DoseEvent
from reminders import services


def _dose_saved(sender: type[DoseEvent], instance: DoseEvent, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    services.reminders_schedule_dose(dose=instance)


def _profile_saved(sender: type[Profile], instance: Profile, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    services.reminders_reschedule(patient=instance.user)


def _signed_up(sender: object, user: User, checkin_reminders: bool, **kwargs: Any) -> None:
    services.reminder_settings_at_sign_up(patient=user, checkin_reminders=checkin_reminders)


def connect() -> None:
    post_save.connect(_dose_saved, sender=DoseEvent, dispatch_uid="reminders-dose-saved")
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="reminders-profile-saved")
    sign_up_started.connect(_signed_up, dispatch_uid="reminders-signed-up")
