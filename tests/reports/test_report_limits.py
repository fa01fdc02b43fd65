"""A journal gets a few reports an hour and a day, and one build at a time.

Past a limit the page shows why in its error summary and the API answers 429, both with
`Retry-After`; nothing is written. A caregiver's requests count against the patient's
journal; building a failed report again is not a new request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from audit.models import AuditEvent
from reports import services
from reports.models import Report
from tests.support.clients import acting_for, api_client_for, logged_in_client
from tests.support.factories import PatientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
ASK = {"period_start": "2026-10-30", "period_end": "2026-11-28", "paper_size": "A4"}


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def limits(settings: Settings) -> None:
    settings.REPORTS_PER_HOUR = 10
    settings.REPORTS_PER_DAY = 30
    settings.REPORT_BUILDS_AT_ONCE = 1


def asked_before(
    patient: User, *ages: timedelta, status: str = Report.Status.READY, by: User | None = None
) -> None:
    """Reports the journal asked for `ages` ago, finished by now unless `status` says."""
    for age in ages:
        report = Report.objects.create(
            patient=patient,
            requested_by=by or patient,
            period_start=TODAY - timedelta(days=29),
            period_end=TODAY,
            status=status,
        )
        Report.objects.filter(pk=report.pk).update(created_at=NOW - age)


def minutes(*values: int) -> list[timedelta]:
    return [timedelta(minutes=value) for value in values]


def summary_of(html: str) -> str:
    """The error summary at the top of the form."""
    start = html.index("There is a problem")
    return html[start : html.index("</div>", start)]


# The hour and the day


def test_the_eleventh_report_in_an_hour_is_refused_on_the_page(
    patient: User, patient_client: Client
) -> None:
    asked_before(patient, *minutes(50, 45, 40, 35, 30, 25, 20, 15, 10, 5))

    response = patient_client.post("/journal/reports/", ASK)

    assert response.status_code == 429
    assert response["Retry-After"] == "600"  # the one asked for 50 minutes ago leaves the hour
    summary = summary_of(response.text)
    assert "This journal has had 10 reports in the last hour" in summary
    assert "You can ask for another in 10 minutes." in summary
    assert Report.objects.filter(patient=patient).count() == 10


def test_the_eleventh_report_in_an_hour_is_a_429_in_the_api(patient: User) -> None:
    asked_before(patient, *minutes(59, 50, 45, 40, 35, 30, 25, 20, 15, 10))

    response = api_client_for(patient).post("/api/v1/reports/", ASK, format="json")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == (
        "This journal has had 10 reports in the last hour, the most Sidelog builds in an "
        "hour. You can ask for another in a minute."
    )
    assert Report.objects.filter(patient=patient).count() == 10


def test_the_tenth_is_built_and_once_the_hour_has_passed_another_is_too(
    patient: User, other_patient: User
) -> None:
    asked_before(patient, *minutes(50, 45, 40, 35, 30, 25, 20, 15, 10))
    asked_before(other_patient, *minutes(50, 45, 40, 35, 30, 25, 20, 15, 10, 5))  # not counted
    client = api_client_for(patient)

    assert client.post("/api/v1/reports/", ASK, format="json").status_code == 202
    Report.objects.filter(patient=patient).update(status=Report.Status.READY)
    assert client.post("/api/v1/reports/", ASK, format="json").status_code == 429
    with time_machine.travel(NOW + timedelta(minutes=10, seconds=1), tick=False):
        assert client.post("/api/v1/reports/", ASK, format="json").status_code == 202

    assert Report.objects.filter(patient=patient).count() == 11


def test_the_thirty_first_report_in_a_day_is_refused_until_the_oldest_is_a_day_old(
    patient: User, patient_client: Client
) -> None:
    # 30 over the day, every 45 minutes from 23.5 hours ago, none in the last hour.
    asked_before(patient, *minutes(*[23 * 60 + 30 - 45 * index for index in range(30)]))

    response = patient_client.post("/journal/reports/", ASK)

    assert response.status_code == 429
    assert response["Retry-After"] == str(30 * 60)
    summary = summary_of(response.text)
    assert "This journal has had 30 reports in the last 24 hours" in summary
    assert "the most Sidelog builds in a day. You can ask for another in 30 minutes." in summary
    api = api_client_for(patient).post("/api/v1/reports/", ASK, format="json")
    assert (api.status_code, api["Retry-After"]) == (429, str(30 * 60))
    assert Report.objects.filter(patient=patient).count() == 30


def test_when_both_limits_are_reached_the_later_time_is_given(patient: User) -> None:
    asked_before(
        patient, *[timedelta(hours=20)] * 20, *minutes(50, 45, 40, 35, 30, 25, 20, 15, 10, 5)
    )

    response = api_client_for(patient).post("/api/v1/reports/", ASK, format="json")

    assert response.status_code == 429
    assert response["Retry-After"] == str(4 * 60 * 60)
    assert "in 4 hours" in response.json()["detail"]


def test_the_limits_are_settings(patient: User, settings: Settings) -> None:
    settings.REPORTS_PER_HOUR = 2
    asked_before(patient, *minutes(30, 20))

    response = api_client_for(patient).post("/api/v1/reports/", ASK, format="json")

    assert response.status_code == 429
    assert "2 reports in the last hour" in response.json()["detail"]


def test_a_caregivers_requests_count_against_the_patients_journal(
    patient: User, caregiver: User, patient_client: Client
) -> None:
    asked_before(patient, *minutes(50, 45, 40, 35, 30, 25, 20, 15), by=caregiver)
    cara = acting_for(logged_in_client(caregiver), patient)
    audit_rows = AuditEvent.objects.count()

    assert cara.post("/journal/reports/", ASK).status_code == 302
    Report.objects.filter(patient=patient).update(status=Report.Status.READY)
    assert patient_client.post("/journal/reports/", ASK).status_code == 302
    Report.objects.filter(patient=patient).update(status=Report.Status.READY)
    refused = cara.post("/journal/reports/", ASK)

    assert refused.status_code == 429
    assert "This journal has had 10 reports in the last hour" in summary_of(refused.text)
    assert Report.objects.filter(patient=patient).count() == 10
    assert AuditEvent.objects.count() == audit_rows + 1  # the caregiver's first request only


# One build at a time


def test_a_report_asked_for_while_another_is_unfinished_is_refused(
    patient: User, patient_client: Client
) -> None:
    asked_before(patient, *minutes(20), status=Report.Status.FAILED)  # finished: no matter
    api = api_client_for(patient)
    first = api.post("/api/v1/reports/", ASK, format="json")
    assert first.json()["status"] == "queued"  # until a worker takes it

    page = patient_client.post("/journal/reports/", ASK)
    queued = api.post("/api/v1/reports/", ASK, format="json")
    Report.objects.filter(pk=first.json()["id"]).update(status=Report.Status.BUILDING)
    building = api.post("/api/v1/reports/", ASK, format="json")
    Report.objects.filter(pk=first.json()["id"]).update(status=Report.Status.READY)
    ready = api.post("/api/v1/reports/", ASK, format="json")

    assert (page.status_code, page["Retry-After"]) == (429, "30")
    assert "A report for this journal is still being built." in summary_of(page.text)
    for refused in (queued, building):
        assert (refused.status_code, refused["Retry-After"]) == (429, "30")
        assert refused.json()["detail"] == (
            "A report for this journal is still being built. You can ask for the next one "
            "once it is finished."
        )
    assert ready.status_code == 202
    assert Report.objects.filter(patient=patient).count() == 3


# Building a failed report again


def test_building_a_failed_report_again_is_not_a_new_request(
    patient: User, patient_client: Client
) -> None:
    asked_before(patient, *minutes(50, 45, 40, 35, 30, 25, 20, 15, 10), status=Report.Status.FAILED)
    failed = Report.objects.filter(patient=patient).first()
    assert failed is not None

    retried = patient_client.post(f"/journal/reports/{failed.pk}/retry/")
    failed.refresh_from_db()
    Report.objects.filter(pk=failed.pk).update(status=Report.Status.READY)
    tenth = patient_client.post("/journal/reports/", ASK)
    Report.objects.filter(patient=patient).update(status=Report.Status.READY)
    eleventh = patient_client.post("/journal/reports/", ASK)

    assert retried.status_code == 302
    assert failed.status == Report.Status.QUEUED
    assert tenth.status_code == 302
    assert eleventh.status_code == 429


def test_a_failed_report_is_not_built_again_while_another_is_unfinished(
    patient: User, patient_client: Client
) -> None:
    asked_before(patient, *minutes(20), status=Report.Status.FAILED)
    asked_before(patient, *minutes(2), status=Report.Status.BUILDING)
    failed = Report.objects.get(patient=patient, status=Report.Status.FAILED)

    response = patient_client.post(f"/journal/reports/{failed.pk}/retry/", follow=True)

    failed.refresh_from_db()
    assert failed.status == Report.Status.FAILED
    assert "Another report for this journal is still being built." in response.text


# A burst


PARALLEL = 8


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_one_build_and_the_rest_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Requests stay queued, as until a worker takes them.
    monkeypatch.setattr(services, "report_enqueue", lambda *, report_id: True)
    patient = PatientFactory.create()
    barrier = threading.Barrier(PARALLEL, timeout=30)

    def ask() -> str:
        try:
            barrier.wait()
            services.report_request(
                patient=patient,
                requested_by=patient,
                period_start=TODAY - timedelta(days=29),
                period_end=TODAY,
                today=TODAY,
            )
            return "asked"
        except services.ReportLimitReached:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        outcomes = sorted(pool.map(lambda _: ask(), range(PARALLEL)))

    assert outcomes == ["asked"] + ["refused"] * (PARALLEL - 1)
    assert Report.objects.filter(patient=patient).count() == 1
