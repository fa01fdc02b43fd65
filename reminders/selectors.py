"""Reading reminders: when a dose's check-ins are due, a patient's settings and reminders,
the dashboard's notices, and the dose a check-in link opens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet

from journal.checkin import CHECKIN_POINTS, OPTIONAL_POINTS, checkin_due_at
from journal.models import CheckInRating, DoseEvent
from reminders.models import CheckinLink, Reminder, ReminderSettings, link_token_hash

# How long after its due time a reminder stays on the dashboard.
NOTICE_HOURS = timedelta(hours=6)


def checkin_due_times(dose: DoseEvent) -> dict[str, datetime]:
    """The check-in steps a reminder asks for and when each is due (`journal.checkin`):
    every step after the dose but the optional next morning ("before" is rated as the dose
    is logged)."""
    return {
        str(point): checkin_due_at(dose=dose, point=point)
        for point in CHECKIN_POINTS
        if point != CheckInRating.Point.BEFORE and point not in OPTIONAL_POINTS
    }


def checkin_point_label(point: str) -> str:
    """ "About 40 minutes after", for a point's name."""
    labels = dict(CheckInRating.Point.choices)
    return str(labels.get(point, point.replace("_", " ").capitalize()))


def reminder_settings_of(patient: User) -> ReminderSettings:
    """The patient's settings; unsaved defaults (everything off) if they never chose."""
    found = ReminderSettings.objects.filter(patient=patient).first()
    return found if found is not None else ReminderSettings(patient=patient)


def reminders_listed(*, patient: User) -> QuerySet[Reminder]:
    """Pending and sent reminders, newest due first."""
    shown = [
        Reminder.Status.PENDING,
        Reminder.Status.CLAIMED,
        Reminder.Status.SENDING,
        Reminder.Status.SENT,
    ]
    return Reminder.objects.filter(patient=patient, status__in=shown).order_by("-due_at", "-pk")


def reminder_notices(*, patient: User, now: datetime) -> list[Reminder]:
    """Reminders due in the last few hours, for the dashboard; a check-in's dose with it.
    A check-in step already rated needs no reminder."""
    due = reminders_listed(patient=patient).filter(due_at__lte=now, due_at__gt=now - NOTICE_HOURS)
    # Most visits find none due: a plain look first (a third of the dashboard's query time
    # when it joined and excluded every time), the joins only when one is.
    if not due.exists():
        return []
    rated = CheckInRating.objects.filter(dose=OuterRef("dose"), point=OuterRef("point"))
    return list(due.exclude(Exists(rated)).select_related("dose__course__drug")[:3])


def checkin_link_by_token(token: str, *, now: datetime) -> CheckinLink | None:
    """The live link this token opens, with its dose; None if none or expired."""
    link = (
        CheckinLink.objects.select_related("dose__course__drug", "patient__profile")
        .filter(token_hash=link_token_hash(token))
        .first()
    )
    if link is None or not link.is_active(now):
        return None
    return link
