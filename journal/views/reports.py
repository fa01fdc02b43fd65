"""Pages for reports: ask for one, watch it build, read it, download it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import patient_zone
from journal import selectors
from journal.forms.journal import apply_service_errors
from journal.forms.reports import ReportForm
from journal.forms.shares import ShareLinkForm
from journal.reports import services
from journal.reports.content import stored_content
from journal.sharing.selectors import share_links_for
from journal.views.access import acting_user, journal_owner
from journal.views.caregiving import caregiver_audited, report_read_audit
from reports.models import Report

# kind: (content type, file name ending)
FILES = {
    "pdf": ("application/pdf", ".pdf"),
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "fhir": ("application/fhir+json", "-fhir.json"),
    "chart": ("image/svg+xml", ".svg"),
}


@login_required
@caregiver_audited("asked for a report")
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
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(
                patient=patient,
                requested_by=acting_user(request),
                today=today,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(report)
    reports = selectors.report_list(patient=patient)
    return render(request, "journal/report_list.html", {"form": form, "reports": reports})


@never_cache
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    report = selectors.report_get(patient=patient, pk=pk)
    report_read_audit(request, report=report)
    context: dict[str, object] = {"report": report, "content": stored_content(report)}
    if patient == request.user:  # a caregiver reads reports but may not share them
        context["share_form"] = ShareLinkForm()
        context["share_links"] = share_links_for(report=report)
    return render(request, "journal/report_detail.html", context)


@never_cache
@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Status and progress, for the report page's script while it builds."""
    patient = journal_owner(request)
    report = selectors.report_get(patient=patient, pk=pk)
    return JsonResponse({"status": report.status, "progress": report.progress})


@login_required
@require_POST
@caregiver_audited("asked to build a report again")
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    report = selectors.report_get(patient=patient, pk=pk)
    try:
        services.report_retry(report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(report)


def report_file_response(report: Report, kind: str) -> FileResponse:
    """A ready report's file (pdf, csv, fhir or chart); 404 while it is not built."""
    if kind not in FILES or report.status != Report.Status.READY:
        raise Http404("This report is not ready.")
    content_type, suffix = FILES[kind]
    field = getattr(report, kind)
    if not field:
        raise Http404("This report has no such file.")
    attachment = kind != "chart"
    filename = f"sidelog-report-{report.period_start:%Y-%m-%d}-to-{report.period_end:%Y-%m-%d}"
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=attachment,
        filename=f"{filename}{suffix}" if attachment else "",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    patient = journal_owner(request)
    report = selectors.report_get(patient=patient, pk=pk)
    response = report_file_response(report, kind)
    report_read_audit(request, report=report, kind=kind)
    return response
