"""`ready_report` (tests/support/reports.py) stores what the real build stores, but the PDF
and the chart: the tests that read a ready report see what a patient would."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from reports.models import Report
from reports.services import report_build
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory
from tests.support.reports import ready_report, small_pdf

pytestmark = pytest.mark.django_db


def stored(report: Report) -> dict[str, object]:
    files = {kind: getattr(report, kind) for kind in ("pdf", "csv", "fhir", "chart")}
    return {
        "names": {kind: file.name for kind, file in files.items()},
        "csv": files["csv"].read(),
        "fhir": files["fhir"].read(),
        "content": report.content,
        "status": report.status,
        "progress": report.progress,
        "error": report.error,
        "finished": report.finished_at is not None and report.started_at is not None,
    }


@time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False)
def test_a_real_build_of_a_ready_report_changes_only_the_pdf_and_the_chart(patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=3))
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=40))
    report = ready_report(patient, include_notes=True, courses=[course], days_ago=1)
    quick = stored(report)
    small = (report.pdf.read(), report.chart.read())

    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED)
    report_build(report_id=report.pk)
    report.refresh_from_db()

    assert stored(report) == quick
    assert (report.pdf.read(), report.chart.read()) != small
    assert report.period_end == timezone.localdate() - timedelta(days=1)
    assert report.period_days == 30


@pytest.mark.parametrize(
    ("paper_size", "points"), [(Report.PaperSize.A4, 595), (Report.PaperSize.LETTER, 612)]
)
def test_the_small_pdf_is_a_valid_page_of_the_chosen_paper(paper_size: str, points: int) -> None:
    pdf = small_pdf(paper_size)
    [page] = PdfReader(io.BytesIO(pdf), strict=True).pages

    assert len(pdf) < 1000
    assert round(page.mediabox.width) == points
    assert "Sidelog report" in page.extract_text()
