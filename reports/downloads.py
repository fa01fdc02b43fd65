"""A ready report's files as downloads: the one place that names them and their types."""

from __future__ import annotations

from django.http import FileResponse, Http404

from reports.models import Report

FILES = {
    "pdf": ("application/pdf", ".pdf"),
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "fhir": ("application/fhir+json", "-fhir.json"),
    "chart": ("image/svg+xml", ".svg"),
}


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
