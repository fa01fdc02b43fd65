"""Issue 15's "Done when", tried as a new patient would, through the pages and the API.

A patient logs an esketamine session given in a clinic, copies down the clinic's blood
pressure before the dose (138/86), at about 40 minutes (176/104) and at discharge
(142/88), fills in a PHQ-9 and builds a report: its PDF shows the readings around the
session and the score, its CSV holds each reading, its FHIR bundle the LOINC-coded
Observations and the QuestionnaireResponse. Then the readings and answers that must send
someone to a person at once: 200/125 after a ketamine dose, a PHQ-9 with item 9 answered,
39.0 °C on lamotrigine; and 400 mmHg, which is refused.

The expectations come from the labels and the instruments, not from the code: the Spravato
label's monitoring points (before the dose, about 40 minutes, until stable to leave), the
AHA's crisis mark (180/120), the Lamictal Medication Guide's fever ("call your healthcare
provider right away"), the PHQ-9's published bands (10–14 moderate) and its item 9.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from journal.models import DoseEvent, Measurement, MedicationCourse
from reports.models import Report
from tests.support.factories import CourseFactory, seeded_drug

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SESSION = datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)
NOW = SESSION + timedelta(hours=4)
# "Several days" to every item but the ninth: 8, "mild" on the published bands (5–9).
PHQ_9 = {f"item_{number}": "1" for number in range(1, 9)} | {"item_9": "0", "difficulty": "1"}


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _in_the_united_kingdom(patient: User) -> None:
    patient.profile.country = "GB"
    patient.profile.save()


def local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def course_of(patient: User, slug: str) -> MedicationCourse:
    return CourseFactory.create(
        patient=patient, drug=seeded_drug(slug), started_on=date(2026, 1, 5)
    )


def clinic_dose(client: Client, course: MedicationCourse) -> DoseEvent:
    response = client.post(
        "/journal/doses/new/",
        {"course": course.pk, "setting": "clinic", "taken_at": local(SESSION), "amount": "56 mg"},
    )
    assert response.status_code == 302, response.content.decode()
    return DoseEvent.objects.get(course=course)


def blood_pressure(
    client: Client, dose: DoseEvent, at: datetime, reading: tuple[int, int], context: str
) -> str:
    systolic, diastolic = reading
    response = client.post(
        "/journal/measurements/new/",
        {
            "kind": "blood_pressure",
            "measured_at": local(at),
            "systolic": systolic,
            "diastolic": diastolic,
            "unit": "C",
            "context": context,
            "dose": dose.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_clinic_session_and_a_phq9_reach_the_pdf_csv_and_fhir(
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    dose = clinic_dose(patient_client, course_of(patient, "esketamine"))
    for at, reading, context in (
        (SESSION - timedelta(minutes=10), (138, 86), "before_dose"),
        (SESSION + timedelta(minutes=40), (176, 104), "after_40min"),
        (SESSION + timedelta(minutes=120), (142, 88), "discharge"),
    ):
        page = blood_pressure(patient_client, dose, at, reading, context)
        assert f"{reading[0]}/{reading[1]}" in page
        assert "Call emergency services now" not in page  # below the crisis mark
    session_page = patient_client.get(f"/journal/doses/{dose.pk}/clinic-session/")
    assert session_page.status_code == 200
    assert all(text in session_page.content.decode() for text in ("138/86", "176/104", "142/88"))

    filled = patient_client.post("/journal/questionnaires/phq-9/", PHQ_9, follow=True)
    assert filled.status_code == 200
    assert "Score 8 of 27: mild" in " ".join(filled.content.decode().split())

    with django_capture_on_commit_callbacks(execute=True):  # the build, queued on commit
        asked = patient_client.post(
            "/journal/reports/",
            {"period_start": "2026-05-27", "period_end": "2026-06-02", "paper_size": "A4"},
        )
    assert asked.status_code == 302
    report = Report.objects.get(patient=patient)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error

    pdf = patient_client.get(f"/journal/reports/{report.pk}/pdf/")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    for shown in ("138/86", "176/104", "142/88", "PHQ-9"):
        assert shown in text, shown

    csv_answer = patient_client.get(f"/journal/reports/{report.pk}/csv/")
    rows = list(csv.reader(io.StringIO(csv_answer.getvalue().decode())))
    flat = [" ".join(row) for row in rows]
    for systolic, diastolic in ((138, 86), (176, 104), (142, 88)):
        assert any(str(systolic) in row and str(diastolic) in row for row in flat)

    bundle = json.loads(patient_client.get(f"/journal/reports/{report.pk}/fhir/").getvalue())
    resources = [entry["resource"] for entry in bundle["entry"]]
    codes = {
        coding["code"]
        for resource in resources
        if resource["resourceType"] == "Observation"
        for coding in resource["code"]["coding"]
    }
    assert {"85354-9", "44261-6"} <= codes
    panels = [
        resource
        for resource in resources
        if resource["resourceType"] == "Observation"
        and any(coding["code"] == "85354-9" for coding in resource["code"]["coding"])
    ]
    systolics = sorted(
        component["valueQuantity"]["value"]
        for panel in panels
        for component in panel["component"]
        if component["code"]["coding"][0]["code"] == "8480-6"
    )
    assert systolics == [138, 142, 176]
    assert {c["valueQuantity"]["code"] for p in panels for c in p["component"]} == {"mm[Hg]"}
    assert any(resource["resourceType"] == "QuestionnaireResponse" for resource in resources)


def test_a_crisis_reading_after_ketamine_sends_the_patient_to_someone_at_once(
    patient: User, patient_client: Client
) -> None:
    dose = clinic_dose(patient_client, course_of(patient, "ketamine"))
    after = SESSION + timedelta(minutes=45)

    calm = blood_pressure(patient_client, dose, after, (200, 125), "after_40min")

    assert "Contact your prescriber today" in calm
    response = patient_client.post(
        "/journal/measurements/new/",
        {
            "kind": "blood_pressure",
            "measured_at": local(after + timedelta(minutes=5)),
            "systolic": 200,
            "diastolic": 125,
            "unit": "C",
            "context": "after_40min",
            "dose": dose.pk,
            "with_warning_signs": "on",
        },
        follow=True,
    )
    assert "Call emergency services now" in response.content.decode()
    assert "999" in response.content.decode()  # the London patient's emergency number


def test_phq9_item_9_answered_shows_the_crisis_numbers_at_once(
    patient: User, patient_client: Client
) -> None:
    answers = PHQ_9 | {"item_9": "1"}

    page = patient_client.post("/journal/questionnaires/phq-9/", answers, follow=True)

    text = page.content.decode()
    assert "Call emergency services now" in text or "crisis" in text.lower()
    assert "116 123" in text  # Samaritans, for a patient in the United Kingdom


def test_a_fever_on_lamotrigine_says_prescriber_today(api: APIClient, patient: User) -> None:
    course_of(patient, "lamotrigine")

    answer = api.post(
        "/api/v1/measurements/",
        {
            "kind": "body_temperature",
            "value": "39.0",
            "unit": "C",
            "measured_at": NOW.isoformat(),
            "context": "home",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    assert [flag["action"] for flag in answer.json()["red_flags"]] == ["prescriber_today"]
    assert answer.json()["red_flags"][0]["action_label"] == "Contact your prescriber today"


def test_400_mmhg_is_refused_and_nothing_is_saved(api: APIClient, patient: User) -> None:
    answer = api.post(
        "/api/v1/measurements/",
        {
            "kind": "blood_pressure",
            "systolic": 400,
            "diastolic": 100,
            "measured_at": NOW.isoformat(),
            "context": "home",
        },
        format="json",
    )

    assert answer.status_code == 400
    assert "systolic" in answer.json()
    assert not Measurement.objects.filter(patient=patient).exists()
