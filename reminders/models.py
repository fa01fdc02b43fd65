"""Reminders a patient asked for: check-ins after a ketamine or esketamine dose and a daily
journal reminder, each sent once by email and shown on the dashboard.

A reminder's status moves one way: pending → claimed (a worker took it; no email started)
→ sending (the email is being handed to the mail server) → sent. A claim left behind by a
worker that died goes back to pending, since no email had started; a reminder left in
"sending" is never sent again (it may have gone out): Sidelog sends late, never twice.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from journal.models import DoseEvent


class ReminderSettings(models.Model):
    """What a patient asked to be reminded of. Times are wall-clock times in their zone."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    checkin_reminders = models.BooleanField(
        "Remind me to check in after ketamine or esketamine sessions", default=False
    )
    daily_reminder = models.BooleanField("Remind me to write in my journal daily", default=False)
    daily_at = models.TimeField("at", default=time(20, 0))
    quiet_start = models.TimeField("Quiet hours from", null=True, blank=True)
    quiet_end = models.TimeField("until", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="quiet_hours_have_a_start_and_an_end",
            )
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.patient}"

    @property
    def has_quiet_hours(self) -> bool:
        return (
            self.quiet_start is not None
            and self.quiet_end is not None
            and self.quiet_start != self.quiet_end
        )


class ShownStatus(models.TextChoices):
    """A reminder's status as the patient is told it."""

    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"


class Reminder(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", "Check-in"
        DAILY = "daily", "Daily journal"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed by a worker"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        UNKNOWN = "unknown", "Not known to be sent"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A deleted dose takes its reminders with it.
    dose = models.ForeignKey(
        DoseEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    point = models.CharField("check-in point", max_length=20, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            # One live reminder per dose and point, and one daily reminder waiting.
            models.UniqueConstraint(
                fields=["dose", "point"],
                condition=~Q(status="cancelled") & Q(dose__isnull=False),
                name="one_reminder_per_dose_and_point",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(kind="daily", status="pending"),
                name="one_pending_daily_reminder",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} reminder for {self.patient} at {self.due_at:%Y-%m-%d %H:%M}"
        )

    @property
    def shown_status(self) -> str:
        """What the patient is told: pending until it is sent."""
        if self.status in (self.Status.CLAIMED, self.Status.SENDING):
            return self.Status.PENDING
        return self.status


def link_token_new() -> str:
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CheckinLink(models.Model):
    """The link a check-in reminder carries: it opens one dose's check-in, for a few hours.
    Only the token's hash is stored."""

    dose = models.ForeignKey(DoseEvent, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    point = models.CharField(max_length=20)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Check-in link for dose {self.dose_id} ({self.point})"

    def is_active(self, now: datetime) -> bool:
        return now < self.expires_at


CHECKIN_LINK_LIFETIME = timedelta(hours=6)
