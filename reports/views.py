"""Pages for reports: ask for one, watch it build, read it, download it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import acting_user, journal_owner, journal_owner_only
from accounts.forms import apply_service_errors
from accounts.models import patient_zone
from reports import changes, downloads, services
from reports import selectors as report_selectors
from reports.content import stored_content
from reports.forms import ReportForm, ReportNameForm
from reports.models import Report
from reports.requests import report_ask, report_ask_again

# kind: (content type, file name ending)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    today = timezone.localdate()
    paper = Report.PaperSize.LETTER if str(patient_zone(patient)).startswith("America/") else "A4"
    form = ReportForm(
        request.POST or None,
        patient=patient,
        initial={
            "period_start": today - timedelta(days=29),
            "period_end": today,
            "paper_size": paper,
        },
    )
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            report = report_ask(
                patient=patient,
                asked_by=acting_user(request),
                today=today,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            if isinstance(error, services.ReportLimitReached):
                retry_after = error.retry_after
        else:
            return redirect(report)
    reports = report_selectors.report_list(patient=patient)
    context = {"form": form, "reports": reports}
    if retry_after is None:
        return render(request, "reports/report_list.html", context)
    response = render(request, "reports/report_list.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    services.report_read_audit(report=report, reader=acting_user(request), request=request)
    context = {
        "report": report,
        "content": stored_content(report),
        "name_form": ReportNameForm(initial={"name": report.name}),
    }
    return render(request, "reports/report_detail.html", context)


@never_cache
@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Status and progress, for the report page's script while it builds."""
    patient = journal_owner(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    return JsonResponse({"status": report.status, "progress": report.progress})


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    try:
        report_ask_again(report=report, asked_by=acting_user(request), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(report)


@login_required
@require_POST
def report_rename(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    form = ReportNameForm(request.POST)
    if form.is_valid():
        try:
            changes.report_rename(
                report=report,
                name=form.cleaned_data["name"],
                renamed_by=acting_user(request),
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Report name saved.")
            return redirect(report)
    context = {"report": report, "content": stored_content(report), "name_form": form}
    return render(request, "reports/report_detail.html", context, status=400)


@login_required
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first; on the POST, delete the report, its files and its shares. The patient's
    alone: it ends sharing, which a caregiver may not do."""
    patient = journal_owner_only(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    if request.method == "POST":
        changes.report_delete(report=report, deleted_by=acting_user(request), request=request)
        messages.success(request, f"{report} deleted.")
        return redirect("reports:report-list")
    return render(request, "reports/report_delete.html", {"report": report})


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    patient = journal_owner(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    response = downloads.report_file_response(report, kind)
    services.report_read_audit(
        report=report, reader=acting_user(request), kind=kind, request=request
    )
    return response
