from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from reports import services
from reports.chart import chart_svg
from reports.content import report_content, stored_content
from reports.fhir import fhir_bundle
from reports.models import Report
from reports.spreadsheet import csv_text
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def ask(patient: User, **changes: object) -> Report:
    values: dict[str, object] = {
        "patient": patient,
        "requested_by": patient,
        "period_start": TODAY - timedelta(days=29),
        "period_end": TODAY,
        "today": TODAY,
    }
    values.update(changes)
    return services.report_request(**values)  # type: ignore[arg-type]


def test_the_row_is_written_first_and_the_build_waits_for_the_commit(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = ask(patient)

    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.progress == 100


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": TODAY - timedelta(days=40)}, "period_end"),
        ({"period_start": TODAY - timedelta(days=400)}, "period_end"),
        (
            {"period_start": TODAY + timedelta(days=1), "period_end": TODAY + timedelta(days=2)},
            "period_start",
        ),
        ({"paper_size": "A3"}, "paper_size"),
    ],
)
def test_a_bad_request_is_refused_and_writes_nothing(
    patient: User, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        ask(patient, **changes)

    assert field in error.value.message_dict
    assert Report.objects.count() == 0


def test_another_patients_course_cannot_be_chosen(patient: User, other_patient: User) -> None:
    theirs = CourseFactory.create(patient=other_patient)

    with pytest.raises(ValidationError):
        ask(patient, courses=[theirs])

    assert Report.objects.count() == 0


@time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))  # noon on TODAY, in London too
def test_building_twice_gives_one_report(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    EntryFactory.create(patient=patient, onset_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(patient)
    report.refresh_from_db()
    pdf_name, finished = report.pdf.name, report.finished_at

    services.report_build(report_id=report.pk)

    report.refresh_from_db()
    assert report.builds_completed == 1
    assert (report.pdf.name, report.finished_at) == (pdf_name, finished)


def test_the_files_written_say_what_each_format_makes_of_the_stored_content(
    patient: User,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    dose = DoseFactory.create(
        course=CourseFactory.create(patient=patient), taken_at=datetime(2026, 11, 20, 9, tzinfo=UTC)
    )
    for hours, notes in ((1, "=1+1, and a comma"), (30, "Felt it in the evening.\nThen slept.")):
        EntryFactory.create(
            patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(hours=hours), notes=notes
        )
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(patient, include_notes=True)
    report.refresh_from_db()
    stored = stored_content(report)
    assert stored is not None
    # The content the build made: made again, at the moment the stored one says.
    content = replace(report_content(report=report), generated_at=stored.generated_at)
    assert replace(content, entries=[]) == stored

    assert len(content.entries) == 2
    with report.csv.open("rb") as written:
        assert written.read() == csv_text(content).encode()
    bundle = fhir_bundle(content, base_url=settings.SITE_URL)
    with report.fhir.open("rb") as written:
        assert written.read() == json.dumps(bundle, separators=(",", ":")).encode()
    with report.chart.open("rb") as written:
        assert written.read() == chart_svg(content).encode()
    with report.pdf.open("rb") as written:
        assert written.read().startswith(b"%PDF-")


def test_a_failed_build_says_so_and_can_be_tried_again(
    patient: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    def broken_chart(content: object) -> str:
        raise ValueError("a bug in the chart")

    monkeypatch.setattr(services, "chart_svg", broken_chart)
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(patient)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "Something went wrong while building this report" in report.error
    assert not report.pdf

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report)

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.error == ""


def test_only_a_failed_report_can_be_retried(patient: User) -> None:
    report = Report.objects.create(patient=patient, period_start=TODAY, period_end=TODAY)

    with pytest.raises(ValidationError):
        services.report_retry(report=report)


def test_stale_reports_are_sent_again_and_fresh_ones_are_left_alone(
    settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    settings.REPORT_QUEUED_GRACE = 120
    settings.REPORT_BUILDING_GRACE = 360
    patient = PatientFactory.create()
    now = timezone.now()

    def report(status: str, age: timedelta, attempts: int = 0) -> Report:
        row = Report.objects.create(
            patient=patient, period_start=TODAY, period_end=TODAY, status=status, attempts=attempts
        )
        Report.objects.filter(pk=row.pk).update(updated_at=now - age)
        return row

    left_queued = report(Report.Status.QUEUED, timedelta(minutes=5))
    fresh_queued = report(Report.Status.QUEUED, timedelta(seconds=30))
    lost_building = report(Report.Status.BUILDING, timedelta(minutes=10), attempts=1)
    busy_building = report(Report.Status.BUILDING, timedelta(minutes=2), attempts=1)
    hopeless = report(Report.Status.BUILDING, timedelta(minutes=10), attempts=5)

    resent = services.report_requeue_stale(now=now)

    assert sorted(resent) == sorted([left_queued.pk, lost_building.pk])
    for row in (left_queued, lost_building):
        row.refresh_from_db()
        assert row.status == Report.Status.READY
    fresh_queued.refresh_from_db()
    busy_building.refresh_from_db()
    hopeless.refresh_from_db()
    assert fresh_queued.status == Report.Status.QUEUED
    assert busy_building.status == Report.Status.BUILDING
    assert hopeless.status == Report.Status.FAILED
