"""Pages for recording doses, and the post-dose check-in for ketamine and esketamine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import acting_user, journal_owner
from accounts.forms import apply_service_errors, service_result
from journal import selectors, services
from journal.forms.journal import CheckInForm, DoseForm
from journal.models import CheckInRating, usual_setting
from journal.views.pages import delete_confirmed
from reference.selectors import red_flag_urgency as urgency


@login_required
def dose_create(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    initial: dict[str, object] = {"taken_at": timezone.localtime().replace(second=0, microsecond=0)}
    course_id = request.GET.get("course", "")
    if course_id.isdigit():
        course = selectors.course_get(patient=patient, pk=int(course_id))
        initial["course"] = course
        initial["setting"] = usual_setting(course.drug.slug)
    form = DoseForm(request.POST or None, patient=patient, initial=initial)
    dose = service_result(
        form,
        lambda data: services.dose_create(logged_by=acting_user(request), request=request, **data),
    )
    if dose is not None:
        messages.success(request, f"{dose.course.drug.name} dose recorded.")
        return redirect("journal:dashboard")
    return render(request, "journal/dose_form.html", {"form": form, "dose": None})


@login_required
@require_POST
def dose_taken_now(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: record a dose of this course at this moment."""
    patient = journal_owner(request)
    course = selectors.course_get(patient=patient, pk=pk)
    try:
        dose = services.dose_taken_now(
            course=course, logged_by=acting_user(request), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("journal:dashboard")
    messages.success(
        request, f"{course.drug.name} dose recorded at {timezone.localtime(dose.taken_at):%H:%M}."
    )
    if dose.offers_checkin:
        return redirect("journal:checkin", pk=dose.pk)
    return redirect("journal:dashboard")


@login_required
def dose_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    dose = selectors.dose_get(patient=patient, pk=pk)
    initial = {
        "course": dose.course,
        "taken_at": timezone.localtime(dose.taken_at),
        "setting": dose.setting,
        "amount": dose.amount,
        "note": dose.note,
    }
    form = DoseForm(request.POST or None, patient=patient, initial=initial)
    updated = service_result(
        form,
        lambda data: services.dose_update(
            dose=dose, acted_by=acting_user(request), request=request, **data
        ),
    )
    if updated is not None:
        messages.success(request, "Dose updated.")
        return redirect("journal:timeline")
    return render(request, "journal/dose_form.html", {"form": form, "dose": dose})


@login_required
def dose_delete(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    dose = selectors.dose_get(patient=patient, pk=pk)
    return delete_confirmed(
        request,
        dose,
        kind="dose",
        delete=lambda: services.dose_delete(
            dose=dose, acted_by=acting_user(request), request=request
        ),
        done="Dose deleted.",
    )


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    dose = selectors.dose_get(patient=patient, pk=pk)
    if not dose.offers_checkin:
        raise Http404("The check-in is for ketamine and esketamine sessions.")
    rows = selectors.checkin_rows(dose=dose)
    initial: dict[str, object] = {}
    for row in rows:
        for point, severity in row.ratings.items():
            initial[f"{row.side_effect.slug}-{point}"] = severity
        if row.entry is not None:
            initial[f"{row.side_effect.slug}-interference"] = row.entry.interference
            if row.entry.resolved_at:
                initial[f"{row.side_effect.slug}-resolved_at"] = timezone.localtime(
                    row.entry.resolved_at
                )
    side_effects = [row.side_effect for row in rows]
    form = CheckInForm(request.POST or None, side_effects=side_effects, initial=initial)
    if request.method == "POST" and form.is_valid():
        symptoms = [
            services.CheckInSymptom(
                side_effect=side_effect,
                ratings={
                    point: form.cleaned_data[f"{side_effect.slug}-{point}"]
                    for point in CheckInRating.Point.values
                },
                interference=form.cleaned_data[f"{side_effect.slug}-interference"],
                resolved_at=form.cleaned_data[f"{side_effect.slug}-resolved_at"],
            )
            for side_effect in side_effects
        ]
        try:
            entries = services.checkin_record(
                dose=dose, logged_by=acting_user(request), symptoms=symptoms, request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Check-in saved.")
            red_flags = selectors.red_flags_for(patient=patient, entries=entries)
            flagged = [entry for entry in entries if red_flags[entry.pk]]
            if flagged:
                most_urgent = min(flagged, key=lambda entry: urgency(red_flags[entry.pk][0]))
                return redirect("journal:entry-detail", pk=most_urgent.pk)
            return redirect("journal:dashboard")
    return render(request, "journal/checkin.html", {"form": form, "dose": dose})
