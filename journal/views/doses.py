"""Pages for recording doses; the post-dose check-in is in journal.views.checkin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import acting_user, journal_owner
from accounts.forms import service_result
from journal import selectors, services
from journal.forms.journal import DoseForm
from journal.models import usual_setting
from journal.views.measurements import clinic_session_context
from journal.views.pages import delete_confirmed


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
    context = {"form": form, "dose": dose, **clinic_session_context(dose)}
    return render(request, "journal/dose_form.html", context)


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
