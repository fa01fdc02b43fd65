"""Pages for a patient's medication courses."""

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
from journal.forms.journal import CourseForm


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    courses = selectors.course_list(patient=patient)
    return render(request, "journal/course_list.html", {"courses": courses})


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    form = CourseForm(request.POST or None, initial={"started_on": timezone.localdate()})
    course = service_result(
        form,
        lambda data: services.course_create(
            patient=patient,
            data=services.CourseInput(**data),
            acted_by=acting_user(request),
            request=request,
        ),
    )
    if course is not None:
        messages.success(request, f"{course.drug.name} added to your medicines.")
        return redirect("journal:course-list")
    return render(request, "journal/course_form.html", {"form": form, "course": None})


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    course = selectors.course_get(patient=patient, pk=pk)
    initial = {
        "drug": course.drug,
        "started_on": course.started_on,
        "stopped_on": course.stopped_on,
        "route": course.route,
        "regimen": course.regimen,
    }
    form = CourseForm(request.POST or None, initial=initial)
    updated = service_result(
        form,
        lambda data: services.course_update(
            course=course,
            data=services.CourseInput(**data),
            acted_by=acting_user(request),
            request=request,
        ),
    )
    if updated is not None:
        messages.success(request, f"{course.drug.name} updated.")
        return redirect("journal:course-list")
    return render(request, "journal/course_form.html", {"form": form, "course": course})


@login_required
@require_POST
def course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    course = selectors.course_get(patient=patient, pk=pk)
    try:
        services.course_delete(course=course, acted_by=acting_user(request), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{course.drug.name} removed.")
    return redirect("journal:course-list")
