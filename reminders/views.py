"""Reminder pages: the patient's settings, and the check-in link a reminder email carries.

A check-in link opens one dose's check-in at one point, for CHECKIN_LINK_LIFETIME, to
whoever holds it, signed in or not, and nothing else of the journal. Every open and every
refusal of a known link is audited; an unknown token is a plain 404 (128 random bits are
not found by trying).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.access import journal_owner_only
from accounts.models import patient_zone
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_record
from reminders.forms import ReminderSettingsForm
from reminders.models import CheckinLink, link_token_hash
from reminders.selectors import (
    checkin_due_times,
    checkin_link_by_token,
    checkin_point_label,
    reminder_settings_of,
)
from reminders.services import reminder_settings_update


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    current = reminder_settings_of(patient)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "checkin_reminders": current.checkin_reminders,
            "daily_reminder": current.daily_reminder,
            "daily_at": current.daily_at,
            "quiet_start": current.quiet_start,
            "quiet_end": current.quiet_end,
        },
    )
    if form.is_bound and form.is_valid():
        reminder_settings_update(patient=patient, **form.service_arguments())
        messages.success(request, "Your reminder settings are saved.")
        return redirect("reminders:settings")
    return render(request, "reminders/settings.html", {"form": form})


@never_cache
def checkin_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a check-in reminder's link opens: that dose's check-in at that point."""
    now = timezone.now()
    link = checkin_link_by_token(token, now=now)
    if link is None:
        expired = CheckinLink.objects.filter(token_hash=link_token_hash(token)).first()
        if expired is not None:
            audit_record(
                action=AuditAction.CHECKIN_LINK_OPENED,
                patient_id=expired.patient_id,
                actor=request.user,
                target=f"check-in link, {checkin_point_label(expired.point).lower()} (expired)",
                request=request,
                outcome=AuditOutcome.REFUSED,
            )
        raise Http404("This link has expired or does not exist.")
    dose = link.dose
    audit_record(
        action=AuditAction.CHECKIN_LINK_OPENED,
        patient_id=link.patient_id,
        actor=request.user,
        target=f"check-in link, {checkin_point_label(link.point).lower()}",
        request=request,
    )
    zone = patient_zone(link.patient)
    due_at = checkin_due_times(dose).get(link.point)
    context = {
        "dose": dose,
        "drug": dose.course.drug.name,
        "taken_at": dose.taken_at.astimezone(zone),
        "point_label": checkin_point_label(link.point),
        "due_at": due_at.astimezone(zone) if due_at is not None else None,
        "expires_at": link.expires_at.astimezone(zone),
        "zone": zone,
    }
    response = render(request, "reminders/checkin_link.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
