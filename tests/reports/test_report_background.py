"""Under `make run` (no broker) a report is built in a thread of the web process: asking for
one returns at once, its page shows the progress, then the finished report.

The build is held at its start until the test has seen the page in progress, so what the
page shows does not depend on how fast the machine builds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from reports import background, services
from reports.models import Report
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def local_settings(settings: Any, tmp_path: Path) -> None:
    """What `make run` has: no REDIS_URL, so tasks are eager and builds go to a thread."""
    settings.REPORT_BUILD_IN_THREAD = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def held_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The real build, started only once the returned event is set."""
    go = threading.Event()
    real_build = services.report_build

    def build_when_let(*, report_id: int) -> Report | None:
        go.wait(timeout=30)
        return real_build(report_id=report_id)

    monkeypatch.setattr(services, "report_build", build_when_let)
    yield go
    go.set()
    background.builds_wait(timeout=60)


def test_the_request_returns_at_once_and_the_page_shows_progress_then_the_report(
    patient: User, patient_client: Client, local_settings: None, held_build: threading.Event
) -> None:
    dose = DoseFactory.create(
        course=CourseFactory.create(patient=patient), taken_at=timezone.now() - timedelta(days=1)
    )
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=30))
    today = timezone.localdate()

    started = time.monotonic()
    response = patient_client.post(
        "/journal/reports/",
        {
            "period_start": str(today - timedelta(days=6)),
            "period_end": str(today),
            "paper_size": "A4",
        },
    )
    answered_in = time.monotonic() - started
    report = Report.objects.get(patient=patient)
    building = patient_client.get(response["Location"]).text
    status = patient_client.get(f"/journal/reports/{report.pk}/status/").json()

    assert response.status_code == 302
    assert response["Location"] == f"/journal/reports/{report.pk}/"
    assert answered_in < 2  # the build alone takes longer; it has not even started
    assert "Waiting to start" in building
    assert '<progress id="report-progress" max="100" value="0">' in building
    assert "js/report-progress.js" in building
    assert status == {"status": "queued", "progress": 0}

    held_build.set()
    background.builds_wait(timeout=60)
    ready = patient_client.get(f"/journal/reports/{report.pk}/").text

    assert Report.objects.get(pk=report.pk).status == Report.Status.READY
    assert f'href="/journal/reports/{report.pk}/pdf/"' in ready
    assert "<progress" not in ready
    assert patient_client.get(f"/journal/reports/{report.pk}/pdf/").status_code == 200


def test_a_build_that_fails_in_the_thread_says_so(
    patient: User, local_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_chart(content: object) -> str:
        raise ValueError("no chart today")

    monkeypatch.setattr(services, "chart_svg", broken_chart)
    today = timezone.localdate()

    report = services.report_request(
        patient=patient,
        requested_by=patient,
        period_start=today - timedelta(days=6),
        period_end=today,
        today=today,
    )
    background.builds_wait(timeout=60)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "Try again" in report.error


def test_without_the_thread_tests_build_in_process(patient: User, settings: Any) -> None:
    assert settings.REPORT_BUILD_IN_THREAD is False
    today = timezone.localdate()

    report = services.report_request(
        patient=patient,
        requested_by=patient,
        period_start=today - timedelta(days=6),
        period_end=today,
        today=today,
    )

    report.refresh_from_db()
    assert report.status == Report.Status.READY
