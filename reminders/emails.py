"""A reminder's email: plain text from `templates/reminders/emails/<kind>.txt`."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import patient_zone
from accounts.selectors import person_name
from reminders.models import CHECKIN_LINK_LIFETIME, Reminder
from reminders.selectors import checkin_point_label

# What comes between "your check-in" and "your <drug> session", where a step's label
# ("In the evening") would not read as a sentence there.
_CHECKIN_PHRASES = {
    "evening": "for the evening after",
    "morning": "for the morning after",
}


def checkin_phrase(point: str) -> str:
    """ "about 40 minutes after", "for the evening after": the step, as the email says it."""
    return _CHECKIN_PHRASES.get(point, checkin_point_label(point).lower())


def reminder_email_texts(*, reminder: Reminder, link: str) -> tuple[str, str]:
    """(subject, body) of the reminder's email; `link` is a check-in link's token."""
    zone = patient_zone(reminder.patient)
    dose = reminder.dose
    context = {
        "name": person_name(reminder.patient),
        "point": checkin_phrase(reminder.point),
        "drug": dose.course.drug.name if dose is not None else "",
        "taken_at": dose.taken_at.astimezone(zone) if dose is not None else None,
        "link": f"{settings.SITE_URL}{reverse('reminders:checkin-link', args=[link])}"
        if link
        else "",
        "hours": int(CHECKIN_LINK_LIFETIME.total_seconds() // 3600),
        "journal_url": f"{settings.SITE_URL}{reverse('journal:dashboard')}",
        "settings_url": f"{settings.SITE_URL}{reverse('reminders:settings')}",
    }
    # The date filter shows times in the active zone: beat's is UTC, not the patient's.
    with timezone.override(zone):
        subject = render_to_string(f"reminders/emails/{reminder.kind}_subject.txt", context)
        body = render_to_string(f"reminders/emails/{reminder.kind}.txt", context)
    return " ".join(subject.split()), body


def reminder_email(*, reminder: Reminder, link: str) -> EmailMessage:
    subject, body = reminder_email_texts(reminder=reminder, link=link)
    # The header names the reminder, so that a mail log (or the fault drill) can tell that
    # each was sent once.
    return EmailMessage(
        subject=subject,
        body=body,
        to=[reminder.patient.email],
        headers={"X-Sidelog-Reminder": str(reminder.pk)},
    )
