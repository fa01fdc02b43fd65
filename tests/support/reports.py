"""Ready reports without the real build: the real content, CSV and FHIR, and a small PDF.

Building a PDF with WeasyPrint and drawing the chart with matplotlib take about a second a
report; only the tests of the build itself need them (test_report_services, test_report_pdf,
test_report_danger_signs, test_report_worker and the browser's report test call
`reports.services.report_build`). Everywhere else `ready_report` stores what a
build would, under the same names and statuses, so pages, downloads, share links, grants
and exports behave as they do for a built report (tests/test_support_reports.py holds it
to a real build).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import patient_zone
from journal.models import MedicationCourse
from reports.content import report_content
from reports.fhir import fhir_bundle
from reports.models import Report
from reports.spreadsheet import csv_text
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_side_effect

# Points, as WeasyPrint lays the real report out.
PAGE_SIZES = {Report.PaperSize.A4: (595, 842), Report.PaperSize.LETTER: (612, 792)}
CHART_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">'
    b'<rect width="160" height="40" fill="#fff"/></svg>'
)


@cache
def small_pdf(paper_size: str = Report.PaperSize.A4) -> bytes:
    """A valid one-page PDF of a few hundred bytes, on the chosen paper."""
    width, height = PAGE_SIZES[Report.PaperSize(paper_size)]
    text = b"BT /F1 12 Tf 72 720 Td (Sidelog report, a small file for tests) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (width, height)
        + b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(pdf)


def _store(field: FieldFile, name: str, data: bytes) -> None:
    """Under the name the build uses, replacing a file an earlier test left at that path."""
    path = field.field.generate_filename(field.instance, name)
    if field.storage.exists(path):
        field.storage.delete(path)
    field.save(name, ContentFile(data), save=False)


def ready_report(
    patient: User,
    *,
    days: int = 30,
    days_ago: int = 0,
    include_notes: bool = False,
    paper_size: str = Report.PaperSize.A4,
    courses: Iterable[MedicationCourse] = (),
) -> Report:
    """A READY report of `days` days ending `days_ago` days before the patient's today.

    Its content is computed from the journal as the build computes it; the CSV and the FHIR
    bundle are the real ones; the PDF is `small_pdf()` and the chart a small SVG.
    """
    end = timezone.localdate(timezone=patient_zone(patient)) - timedelta(days=days_ago)
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=end - timedelta(days=days - 1),
        period_end=end,
        include_notes=include_notes,
        paper_size=paper_size,
    )
    if courses:
        report.courses.set(courses)
    started_at = timezone.now()
    content = report_content(report=report)
    bundle = fhir_bundle(content, base_url=settings.SITE_URL)
    _store(report.pdf, "report.pdf", small_pdf(paper_size))
    _store(report.csv, "report.csv", csv_text(content).encode())
    _store(report.fhir, "report-fhir.json", json.dumps(bundle, separators=(",", ":")).encode())
    _store(report.chart, "chart.svg", CHART_SVG)
    report.content = content.to_json()
    report.status = Report.Status.READY
    report.progress = 100
    report.attempts = 1
    report.builds_completed = 1
    report.started_at = started_at
    report.finished_at = timezone.now()
    report.built_by = f"{socket.gethostname()}:{os.getpid()}"
    report.save()
    return report


def dizzy_after_a_dose(patient: User) -> None:
    """A course, a dose two days ago, and dizziness then dissociation after it (resolved)."""
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=2))
    for slug, minutes in (("dizziness", 30), ("dissociation", 40)):
        EntryFactory.create(
            patient=patient,
            dose=dose,
            side_effect=seeded_side_effect(slug),
            onset_at=dose.taken_at + timedelta(minutes=minutes),
            resolved_at=dose.taken_at + timedelta(minutes=minutes + 60),
        )
