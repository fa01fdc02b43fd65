"""Writing reminders: the patient's settings, scheduling them, and sending the due ones.

Sending is at most once. Each reminder is claimed by one conditional UPDATE (pending →
claimed) before anything else, so two workers never both take it; it is marked "sending"
just before the email goes to the mail server and "sent" after. A claim a dead worker left
goes back to pending after REMINDER_CLAIM_STALE seconds (no email had started; the original
worker, if only slow, finds its claim gone and stops). A reminder left "sending" (the
worker died while talking to the mail server) may have gone out, so it is never sent
again: after SENDING_STALE it is marked "unknown". A worker killed or Redis down makes
reminders late; one too late to help (a check-in after CHECKIN_SEND_LIMIT, a daily one
after DAILY_SEND_LIMIT) is cancelled rather than sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import patient_zone
from journal.models import CheckInRating, DoseEvent
from reminders.emails import reminder_email
from reminders.models import (
    CHECKIN_LINK_LIFETIME,
    CheckinLink,
    Reminder,
    ReminderSettings,
    link_token_hash,
    link_token_new,
)
from reminders.selectors import checkin_due_times
from reminders.timing import (
    CHECKIN_QUIET_DELAY_LIMIT,
    due_outside_quiet_hours,
    next_daily,
)

logger = logging.getLogger(__name__)

SENDING_STALE = timedelta(minutes=15)
CHECKIN_SEND_LIMIT = timedelta(hours=3)
DAILY_SEND_LIMIT = timedelta(hours=12)
# A check-in point already this far past when its dose is logged gets no reminder.
SCHEDULE_GRACE = timedelta(minutes=10)
BATCH = 200
LIVE = (Reminder.Status.PENDING, Reminder.Status.CLAIMED, Reminder.Status.SENDING)

# Settings


@transaction.atomic
def reminder_settings_update(
    *,
    patient: User,
    checkin_reminders: bool,
    daily_reminder: bool,
    daily_at: time,
    quiet_start: time | None,
    quiet_end: time | None,
) -> ReminderSettings:
    """Save what the patient asked for and schedule (or cancel) their reminders to match."""
    found, _ = ReminderSettings.objects.select_for_update().get_or_create(patient=patient)
    found.checkin_reminders = checkin_reminders
    found.daily_reminder = daily_reminder
    found.daily_at = daily_at
    found.quiet_start = quiet_start if quiet_end is not None else None
    found.quiet_end = quiet_end if quiet_start is not None else None
    found.full_clean()
    found.save()
    reminders_reschedule(patient=patient)
    return found


def reminder_settings_at_sign_up(*, patient: User, checkin_reminders: bool) -> None:
    if checkin_reminders:
        ReminderSettings.objects.update_or_create(
            patient=patient, defaults={"checkin_reminders": True}
        )


# Scheduling


def _settings_for(patient_id: int) -> ReminderSettings | None:
    return (
        ReminderSettings.objects.select_related("patient__profile")
        .filter(patient_id=patient_id)
        .first()
    )


def _checkin_times(
    *, dose: DoseEvent, found: ReminderSettings | None, now: datetime
) -> dict[str, datetime]:
    if found is None or not found.checkin_reminders or not dose.offers_checkin:
        return {}
    zone = patient_zone(found.patient)
    wanted = {}
    for point, due_at in checkin_due_times(dose).items():
        when = due_outside_quiet_hours(
            due_at,
            start=found.quiet_start,
            end=found.quiet_end,
            zone=zone,
            delay_limit=CHECKIN_QUIET_DELAY_LIMIT,
        )
        if when is not None and when > now - SCHEDULE_GRACE:
            wanted[point] = when
    return wanted


@transaction.atomic
def reminders_schedule_dose(*, dose: DoseEvent, now: datetime | None = None) -> None:
    """Make the dose's check-in reminders match its time and the patient's settings: new
    ones created, pending ones moved or cancelled; one claimed or sent is left alone."""
    now = now or timezone.now()
    patient_id = dose.course.patient_id
    found = _settings_for(patient_id)
    live = {r.point: r for r in Reminder.objects.filter(dose=dose).exclude(status="cancelled")}
    if found is None and not live:
        return
    wanted = _checkin_times(dose=dose, found=found, now=now)
    for point, reminder in live.items():
        # Conditional: a reminder a worker claims meanwhile is left to the worker.
        still_pending = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING)
        if point not in wanted:
            still_pending.update(status=Reminder.Status.CANCELLED)
        elif reminder.due_at != wanted[point]:
            still_pending.update(due_at=wanted[point])
    for point, due_at in wanted.items():
        if point not in live:
            Reminder.objects.create(
                patient_id=patient_id,
                kind=Reminder.Kind.CHECKIN,
                dose=dose,
                point=point,
                due_at=due_at,
            )


def _daily_schedule(*, found: ReminderSettings, now: datetime) -> None:
    Reminder.objects.filter(
        patient_id=found.patient_id, kind=Reminder.Kind.DAILY, status=Reminder.Status.PENDING
    ).update(status=Reminder.Status.CANCELLED)
    if not found.daily_reminder:
        return
    zone = patient_zone(found.patient)
    daily_at = next_daily(now, at=found.daily_at, zone=zone)
    # Without a delay limit a reminder is never skipped, only delayed.
    due_at = (
        due_outside_quiet_hours(daily_at, start=found.quiet_start, end=found.quiet_end, zone=zone)
        or daily_at
    )
    Reminder.objects.create(patient_id=found.patient_id, kind=Reminder.Kind.DAILY, due_at=due_at)


@transaction.atomic
def reminders_reschedule(*, patient: User, now: datetime | None = None) -> None:
    """After a change of settings or time zone: the last day's doses and the daily one."""
    now = now or timezone.now()
    found = _settings_for(patient.pk)
    if found is None:
        return
    pending_doses = Reminder.objects.filter(
        patient=patient, kind=Reminder.Kind.CHECKIN, status=Reminder.Status.PENDING
    ).values("dose_id")
    doses = DoseEvent.objects.select_related("course__drug").filter(course__patient=patient)
    recent = doses.filter(taken_at__gte=now - timedelta(days=1)) | doses.filter(
        pk__in=pending_doses
    )
    for dose in recent.distinct():
        reminders_schedule_dose(dose=dose, now=now)
    _daily_schedule(found=found, now=now)


def reminders_daily_top_up(*, now: datetime) -> None:
    """A daily reminder waiting for everyone who asked for one (after one was sent,
    cancelled as too late, or lost to a worker that died)."""
    waiting = Reminder.objects.filter(kind=Reminder.Kind.DAILY, status__in=LIVE).values(
        "patient_id"
    )
    missing = (
        ReminderSettings.objects.filter(daily_reminder=True)
        .exclude(patient_id__in=waiting)
        .select_related("patient__profile")
    )
    for found in missing:
        _daily_schedule(found=found, now=now)


# Sending


def reminders_release_stale(*, now: datetime) -> None:
    """Claims no email was started for go back to pending; "sending" ones are not sent
    again."""
    claim_stale = timedelta(seconds=settings.REMINDER_CLAIM_STALE)
    Reminder.objects.filter(
        status=Reminder.Status.CLAIMED, claimed_at__lt=now - claim_stale
    ).update(status=Reminder.Status.PENDING, claimed_at=None)
    stuck = Reminder.objects.filter(
        status=Reminder.Status.SENDING, claimed_at__lt=now - SENDING_STALE
    ).update(status=Reminder.Status.UNKNOWN)
    if stuck:
        logger.warning("%d reminders may or may not have been sent; not sending them again", stuck)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Send every reminder due by now, each at most once; how many were sent."""
    now = now or timezone.now()
    reminders_release_stale(now=now)
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
    sent = 0
    for pk in list(due.order_by("due_at").values_list("pk", flat=True)[:BATCH]):
        sent += reminder_send(reminder_id=pk, now=now)
    reminders_daily_top_up(now=now)
    return sent


def _too_late(reminder: Reminder, now: datetime) -> bool:
    limit = CHECKIN_SEND_LIMIT if reminder.kind == Reminder.Kind.CHECKIN else DAILY_SEND_LIMIT
    return now - reminder.due_at > limit


def _claimed_reminder(pk: int, now: datetime) -> Reminder | None:
    claimed_at = timezone.now()
    taken = Reminder.objects.filter(pk=pk, status=Reminder.Status.PENDING, due_at__lte=now).update(
        status=Reminder.Status.CLAIMED, claimed_at=claimed_at
    )
    if not taken:
        return None
    return Reminder.objects.select_related("patient__profile", "dose__course__drug").get(pk=pk)


def _step_done(reminder: Reminder) -> bool:
    """A check-in step rated while its reminder waited (quiet hours, beat late) needs none."""
    return (
        reminder.kind == Reminder.Kind.CHECKIN
        and CheckInRating.objects.filter(dose_id=reminder.dose_id, point=reminder.point).exists()
    )


def _cancel(reminder: Reminder) -> None:
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.CLAIMED).update(
        status=Reminder.Status.CANCELLED
    )


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Claim one due reminder and email it; False when it was not ours to send, was
    cancelled, or could not be sent."""
    now = now or timezone.now()
    reminder = _claimed_reminder(reminder_id, now)
    if reminder is None:
        return False
    if (
        _too_late(reminder, now)
        or _step_done(reminder)
        or not reminder.patient.is_active
        or not reminder.patient.email
    ):
        _cancel(reminder)
        return False
    message = reminder_email(reminder=reminder, link=_link_for(reminder, now=now))
    return _deliver(reminder, message)


def _link_for(reminder: Reminder, *, now: datetime) -> str:
    """A new check-in link for a check-in reminder (the token is only in the email)."""
    if reminder.dose is None:
        return ""
    token = link_token_new()
    CheckinLink.objects.create(
        dose=reminder.dose,
        patient=reminder.patient,
        point=reminder.point,
        token_hash=link_token_hash(token),
        expires_at=max(now, reminder.due_at) + CHECKIN_LINK_LIFETIME,
    )
    return token


def _deliver(reminder: Reminder, message: EmailMessage) -> bool:
    connection = get_connection()
    try:
        connection.open()
    except (OSError, SMTPException):
        # Nothing was sent: the reminder waits for the next run.
        logger.exception("Mail server unreachable; reminder %s waits", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.CLAIMED).update(
            status=Reminder.Status.PENDING, claimed_at=None
        )
        return False
    try:
        # Our claim still holds only if no one released it as stale meanwhile.
        if not Reminder.objects.filter(
            pk=reminder.pk, status=Reminder.Status.CLAIMED, claimed_at=reminder.claimed_at
        ).update(status=Reminder.Status.SENDING):
            return False
        try:
            connection.send_messages([message])
        except (OSError, SMTPException):
            logger.exception("Reminder %s may not have been sent; not trying again", reminder.pk)
            Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.UNKNOWN)
            return False
    finally:
        connection.close()
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.SENT, sent_at=timezone.now()
    )
    return True
