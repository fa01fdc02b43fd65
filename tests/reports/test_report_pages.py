from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone

from reports.models import Report
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_side_effect
from tests.support.report_content import FIRST_DOSE_AT, make_content, make_entry
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def builds_run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run in a transaction that never commits: run each enqueued build at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda callback, *a, **k: callback())


def ask_for_report(client: Client, **changes: str) -> Report:
    today = timezone.localdate()
    data = {
        "period_start": str(today - timedelta(days=29)),
        "period_end": str(today),
        "paper_size": "A4",
    }
    data.update(changes)
    response = client.post("/journal/reports/", data)
    assert response.status_code == 302, response.context["form"].errors
    return Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_a_patient_asks_for_a_report_and_reads_it(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=1))
    EntryFactory.create(
        patient=patient,
        dose=dose,
        side_effect=seeded_side_effect("dissociation"),
        onset_at=dose.taken_at + timedelta(minutes=35),
        resolved_at=dose.taken_at + timedelta(minutes=110),
        severity=3,
    )

    report = ask_for_report(patient_client)
    text = patient_client.get(report.get_absolute_url()).text

    assert "Dissociation and detachment" in text
    assert "As prescribed: 56 mg twice a week in clinic" in text
    assert f"/journal/reports/{report.pk}/pdf/" in text
    assert f"/journal/reports/{report.pk}/chart/" in text
    assert "contains no dosing advice" in text
    assert 'http-equiv="refresh"' not in text


def test_downloads_are_real_files_with_names_and_no_caching(
    patient: User, patient_client: Client
) -> None:
    EntryFactory.create(patient=patient)
    report = ask_for_report(patient_client)

    pdf = patient_client.get(f"/journal/reports/{report.pk}/pdf/")
    csv = patient_client.get(f"/journal/reports/{report.pk}/csv/")
    fhir = patient_client.get(f"/journal/reports/{report.pk}/fhir/")
    chart = patient_client.get(f"/journal/reports/{report.pk}/chart/")

    assert pdf.getvalue().startswith(b"%PDF-")
    assert pdf["Content-Disposition"].startswith('attachment; filename="sidelog-report-')
    assert pdf["Cache-Control"] == "no-store"
    assert "Dizziness" in csv.getvalue().decode("utf-8-sig")
    assert json.loads(fhir.getvalue())["resourceType"] == "Bundle"
    assert chart["Content-Type"] == "image/svg+xml"
    assert patient_client.get(f"/journal/reports/{report.pk}/zip/").status_code == 404


def test_a_report_still_building_keeps_its_progress_up_to_date(
    patient: User, patient_client: Client
) -> None:
    report = Report.objects.create(
        patient=patient,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        status=Report.Status.BUILDING,
        progress=45,
    )

    text = patient_client.get(report.get_absolute_url()).text
    status = patient_client.get(f"/journal/reports/{report.pk}/status/")

    assert 'value="45"' in text
    assert "/static/js/report-progress.js" in text
    assert f'data-report-status-url="/journal/reports/{report.pk}/status/"' in text
    assert "Refresh now" in text  # without JavaScript
    assert 'http-equiv="refresh"' not in text  # it would restart a screen reader every time
    assert status.json() == {"status": "building", "progress": 45}
    assert status["Cache-Control"].startswith("max-age=0") or "no-store" in status["Cache-Control"]
    assert patient_client.get(f"/journal/reports/{report.pk}/pdf/").status_code == 404


def test_a_failed_report_says_why_and_offers_a_retry(patient: User, patient_client: Client) -> None:
    report = Report.objects.create(
        patient=patient,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        status=Report.Status.FAILED,
        error="Something went wrong while building this report.",
    )

    text = patient_client.get(report.get_absolute_url()).text
    assert "Something went wrong while building this report." in text
    assert "Try again" in text

    patient_client.post(f"/journal/reports/{report.pk}/retry/")
    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_a_bad_period_shows_the_error_and_writes_nothing(patient_client: Client) -> None:
    today = timezone.localdate()
    response = patient_client.post(
        "/journal/reports/",
        {
            "period_start": str(today),
            "period_end": str(today - timedelta(days=3)),
            "paper_size": "A4",
        },
    )

    assert "can't be before its start" in " ".join(response.context["form"].errors["period_end"])
    assert Report.objects.count() == 0


def test_a_mistyped_year_is_refused_with_a_message(patient_client: Client) -> None:
    response = patient_client.post(
        "/journal/reports/",
        {"period_start": "0205-03-01", "period_end": "0205-03-31", "paper_size": "A4"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["period_start"] == [
        "Check the year: the period can't start before 1900."
    ]
    assert "Check the year: the period can&#x27;t start before 1900." in response.text
    assert Report.objects.count() == 0


@pytest.mark.parametrize("who", ["other_patient", "content_editor"])
def test_nobody_else_reaches_a_report(
    patient: User, patient_client: Client, who: str, request: pytest.FixtureRequest
) -> None:
    report = ask_for_report(patient_client)
    client = logged_in_client(request.getfixturevalue(who))

    for suffix in ["", "status/", "pdf/", "csv/", "fhir/", "chart/"]:
        assert client.get(f"/journal/reports/{report.pk}/{suffix}").status_code == 404
    assert client.post(f"/journal/reports/{report.pk}/retry/").status_code == 404


def test_anonymous_is_sent_to_log_in(patient: User, patient_client: Client, client: Client) -> None:
    report = ask_for_report(patient_client)

    for url in [
        "/journal/reports/",
        f"/journal/reports/{report.pk}/",
        f"/journal/reports/{report.pk}/pdf/",
    ]:
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_a_report_with_many_red_flags_lists_the_most_urgent_and_says_where_the_rest_are(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)
    rows = [
        make_entry(
            id=1000 + number,
            onset_at=FIRST_DOSE_AT + timedelta(hours=number),
            red_flag="Mention it at your next visit",
            symptom=f"Symptom {number}",
        )
        for number in range(30)
    ]
    rows[20] = replace(rows[20], red_flag="Call emergency services now")
    content = make_content(report_id=report.pk, patient_id=patient.pk, entries=rows)
    report.content = content.to_json()
    report.save(update_fields=["content"])

    text = patient_client.get(report.get_absolute_url()).text
    section = text[text.index('id="red-flag-events"') :]
    section = section[: section.index("</section>")]

    assert "Red-flag events (30)" in section
    assert "The 15 most urgent are listed here. The CSV and FHIR files hold all 30." in section
    assert section.count("<li>") == 15
    assert "Symptom 20" in section.split("<li>")[1]  # the emergency first
    assert "Symptom 29" not in section  # then the next-visit ones in order of onset
