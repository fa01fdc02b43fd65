"""The journal's overview pages: the dashboard and the timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import acting_user, journal_owner
from journal import quick_log, selectors
from journal.forms.journal import TimelineFilterForm


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    today = timezone.localdate()
    today_start = timezone.make_aware(datetime.combine(today, time.min))
    context = {
        "board": selectors.dashboard(patient=patient, today_start=today_start),
        "just_logged": quick_log.just_logged(
            patient=patient, logged_by=acting_user(request), pk=request.GET.get("logged")
        ),
    }
    return render(request, "journal/dashboard.html", context)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    courses = list(selectors.course_list(patient=patient))
    form = TimelineFilterForm(request.GET or None, courses=courses)
    side_effect_slug = None
    course_id = None
    if form.is_valid():
        side_effect_slug = form.cleaned_data["side_effect"] or None
        course_id = form.cleaned_data["course"]
    page = selectors.timeline(
        patient=patient,
        side_effect_slug=side_effect_slug,
        course_id=course_id,
        page_number=request.GET.get("page"),
        courses=courses,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "timeline": page, "query": query.urlencode()}
    return render(request, "journal/timeline.html", context)


def delete_confirmed(
    request: HttpRequest, thing: Model, *, kind: str, delete: Callable[[], object], done: str
) -> HttpResponse:
    """Ask before deleting a record of the timeline; on the POST, delete it and go back there."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect("journal:timeline")
    return render(request, "journal/confirm_delete.html", {"thing": thing, "kind": kind})
