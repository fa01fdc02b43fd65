"""The post-dose check-in for ketamine and esketamine, one short step at a time.

`checkin_steps_page` and `checkin_step_page` take the dose and the person acting, so a view
that reaches a dose another way (a reminder's link) can show the same pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import acting_user, journal_owner
from accounts.forms import apply_service_errors
from journal import selectors, services
from journal.forms.checkin import CheckInStepForm
from journal.models import CheckInRating, DoseEvent, SymptomEntry
from journal.views.measurements import clinic_session_context
from reference.selectors import red_flag_urgency as urgency


def _session_dose(request: HttpRequest, pk: int) -> DoseEvent:
    dose = selectors.dose_get(patient=journal_owner(request), pk=pk)
    if not dose.offers_checkin:
        raise Http404("The check-in is for ketamine and esketamine sessions.")
    return dose


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    dose = _session_dose(request, pk)
    return checkin_steps_page(
        request,
        dose=dose,
        step_url=lambda point: reverse("journal:checkin-step", args=[dose.pk, point]),
        extra=clinic_session_context(dose),
    )


@login_required
def checkin_step(request: HttpRequest, pk: int, point: str) -> HttpResponse:
    dose = _session_dose(request, pk)
    return checkin_step_page(
        request,
        dose=dose,
        point=point,
        logged_by=acting_user(request),
        done_url=reverse("journal:checkin", args=[dose.pk]),
    )


def checkin_steps_page(
    request: HttpRequest,
    *,
    dose: DoseEvent,
    step_url: Callable[[str], str],
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    """The dose's steps with their times; those due, late or done link to their screen.
    `extra`: more for the page (the journal's own check-in shows the clinic session)."""
    steps = selectors.checkin_steps(dose=dose, now=timezone.now())
    rows = [(step, step_url(step.point) if step.can_answer else None) for step in steps]
    context = {"dose": dose, "rows": rows, **(extra or {})}
    return render(request, "journal/checkin.html", context)


def checkin_step_page(
    request: HttpRequest,
    *,
    dose: DoseEvent,
    point: str,
    logged_by: User,
    done_url: str,
    entry_url: Callable[[SymptomEntry], str] | None = None,
) -> HttpResponse:
    """One step's screen: rate each symptom, save, then go to `done_url` (or, if a rating
    raises a red flag, to `entry_url` of the most urgent entry: its page by default)."""
    if point not in CheckInRating.Point.values:
        raise Http404("Not a step of the check-in.")
    patient = dose.course.patient
    steps = selectors.checkin_steps(dose=dose, now=timezone.now())
    step = next(step for step in steps if step.point == point)
    side_effects = selectors.checkin_side_effects(patient=patient)
    given = {rating.side_effect.pk: rating for rating in step.ratings}
    side_effects += [r.side_effect for r in step.ratings if r.side_effect not in side_effects]
    session = {s.pk for s in selectors.checkin_side_effects()}
    form = CheckInStepForm(
        request.POST if request.method == "POST" else None,
        side_effects=side_effects,
        required=session,
        initial={
            f"{rating.side_effect.slug}-{name}": value
            for rating in given.values()
            for name, value in (
                ("severity", rating.severity),
                ("interference", rating.interference),
                ("gone", rating.gone),
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        ratings = form.ratings()
        try:
            entries = services.checkin_step_record(
                dose=dose, point=point, ratings=ratings, logged_by=logged_by, request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # A red flag goes to the front while the symptom is still felt at this step; one
            # rated "None" now keeps its flag on the entry, without raising it again.
            felt_now = {rating.side_effect.pk for rating in ratings if rating.severity}
            red_flags = selectors.red_flags_for(patient=patient, entries=entries)
            flagged = [e for e in entries if red_flags[e.pk] and e.side_effect_id in felt_now]
            if flagged:
                most_urgent = min(flagged, key=lambda entry: urgency(red_flags[entry.pk][0]))
                return redirect((entry_url or SymptomEntry.get_absolute_url)(most_urgent))
            messages.success(request, f"Check-in saved: {step.label.lower()}.")
            return redirect(done_url)
    context = {"dose": dose, "step": step, "form": form, "done_url": done_url}
    return render(request, "journal/checkin_step.html", context)
