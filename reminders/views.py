"""Reminder pages: the patient's settings, and the check-in link a reminder email carries.

A check-in link opens one dose's check-in at one point, for CHECKIN_LINK_LIFETIME, to
whoever holds it, signed in or not, and nothing else of the journal. Every open and every
refusal of a known link is audited; an unknown token is a plain 404 (128 random bits are
not found by trying).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.access import journal_owner_only
from accounts.models import patient_zone
from accounts.selectors import patient_profile
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_record
from journal.models import SymptomEntry
from journal.selectors import red_flags_for
from journal.views.checkin import checkin_step_page, checkin_steps_page
from reference.helplines import helplines_for
from reminders.forms import ReminderSettingsForm
from reminders.models import CheckinLink, link_token_hash
from reminders.selectors import (
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


def _link_opened(request: HttpRequest, token: str, *, point: str | None = None) -> CheckinLink:
    """The live link `token` opens, its use audited; 404 (an expired one audited) if none."""
    link = checkin_link_by_token(token, now=timezone.now())
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
    audit_record(
        action=AuditAction.CHECKIN_LINK_OPENED,
        patient_id=link.patient_id,
        actor=request.user,
        target=f"check-in link, {checkin_point_label(point or link.point).lower()}",
        request=request,
    )
    return link


def _in_patient_zone(link: CheckinLink, page: Callable[[], HttpResponse]) -> HttpResponse:
    """The page in the patient's time zone, whoever holds the link. Its address (the token)
    goes to no other site as a referrer; Sidelog itself still gets the page's origin, which
    Django's CSRF check asks of the step's form ("no-referrer" would send `Origin: null`)."""
    with timezone.override(patient_zone(link.patient)):
        response = page()
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def checkin_link(request: HttpRequest, token: str, point: str | None = None) -> HttpResponse:
    """A check-in reminder's link: the step it reminded of (or `point`), rated as the patient;
    "All steps" stays within the link."""
    link = _link_opened(request, token, point=point)
    step = point or link.point

    def page() -> HttpResponse:
        return checkin_step_page(
            request,
            dose=link.dose,
            point=step,
            logged_by=link.patient,
            done_url=reverse("reminders:checkin-link-steps", args=[token]),
            entry_url=lambda entry: reverse("reminders:checkin-link-flag", args=[token, entry.pk]),
        )

    return _in_patient_zone(link, page)


@never_cache
def checkin_link_steps(request: HttpRequest, token: str) -> HttpResponse:
    """Every step of the link's dose, each opening within the link."""
    link = _link_opened(request, token)
    return _in_patient_zone(
        link,
        lambda: checkin_steps_page(
            request,
            dose=link.dose,
            step_url=lambda point: reverse("reminders:checkin-link-step", args=[token, point]),
        ),
    )


@never_cache
def checkin_link_flag(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """Who to contact about a rating the link's check-in just saved: the red flag, shown
    here because the journal's own entry page needs a sign-in."""
    link = _link_opened(request, token)
    entry = get_object_or_404(SymptomEntry, pk=pk, dose=link.dose, from_checkin=True)
    red_flags = red_flags_for(patient=link.patient, entries=[entry])[entry.pk]
    profile = patient_profile(link.patient)
    country = str(profile.country) if profile else ""
    context = {
        "entry": entry,
        "red_flags": red_flags,
        "steps_url": reverse("reminders:checkin-link-steps", args=[token]),
        # The patient's country's emergency and crisis numbers, whoever holds the link.
        "help_country": country,
        "help_lines": helplines_for(country),
    }
    return _in_patient_zone(
        link, lambda: render(request, "reminders/checkin_link_flag.html", context)
    )
