"""What reminder tests share: a patient who asked for reminders, and the clock they run at."""

from __future__ import annotations

from datetime import time

from django.contrib.auth.models import User

from reminders.models import Reminder
from reminders.services import reminder_settings_update


def reminders_on(
    patient: User,
    *,
    checkin: bool = True,
    daily: bool = False,
    daily_at: time = time(20, 0),
    quiet: tuple[time, time] | None = None,
) -> None:
    reminder_settings_update(
        patient=patient,
        checkin_reminders=checkin,
        daily_reminder=daily,
        daily_at=daily_at,
        quiet_start=quiet[0] if quiet else None,
        quiet_end=quiet[1] if quiet else None,
    )


def live_checkins(patient: User) -> list[tuple[str, str]]:
    """(point, due time in UTC as HH:MM) of the patient's pending check-in reminders."""
    pending = Reminder.objects.filter(
        patient=patient, kind=Reminder.Kind.CHECKIN, status=Reminder.Status.PENDING
    ).order_by("due_at")
    return [(r.point, f"{r.due_at:%H:%M}") for r in pending]
