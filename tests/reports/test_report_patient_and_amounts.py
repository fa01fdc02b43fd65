"""What a report says about the patient (their chosen name and, if given, date of birth) and
about each dose (its amount as the patient wrote it), on every output: the report's page,
the shared page, the PDF, the CSV and the FHIR bundle."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from accounts.models import Profile
from reference.safety import find_dosage_advice
from reports.content import report_content, stored_content
from reports.models import Report
from reports.pdf import pdf_context
from sharing.services import share_link_create
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory
from tests.support.providers import make_provider, share
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def born(patient: User) -> date:
    Profile.objects.filter(user=patient).update(
        display_name="Pat Doe", date_of_birth=date(1980, 4, 23)
    )
    patient.profile.refresh_from_db()
    return date(1980, 4, 23)


@pytest.fixture
def dose_with_amount(patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(
        course=course, taken_at=timezone.now() - timedelta(days=1), amount="56 mg"
    )
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=20))


def bundle_of(report: Report) -> dict:
    with report.fhir.open("rb") as stored:
        bundle: dict = json.loads(stored.read())
    Bundle.model_validate(bundle)
    return bundle


def resources(bundle: dict, kind: str) -> list[dict]:
    return [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind
    ]


def test_the_date_of_birth_is_on_the_page_the_shared_pages_the_pdf_and_fhir(
    patient: User, patient_client: Client, born: date
) -> None:
    report = ready_report(patient)
    link = share_link_create(report=report, recipient="Dr Okafor", created_by=patient)
    provider = make_provider()
    share(patient, provider, reports=[report])

    own = patient_client.get(f"/journal/reports/{report.pk}/").text
    shared = Client().get(f"/s/{link.token}/").text
    providers = logged_in_client(provider).get(f"/provider/reports/{report.pk}/").text
    content = stored_content(Report.objects.get(pk=report.pk))
    assert content is not None
    pdf = pdf_context(content, chart_svg="", page_size="A4")
    patients = resources(bundle_of(report), "Patient")

    line = "Patient: <strong>Pat Doe</strong>, born 23 Apr 1980"
    assert line in own
    assert line in shared
    assert line in providers
    assert pdf["birth_date"] == "23 Apr 1980"
    assert patients[0]["birthDate"] == "1980-04-23"
    assert patients[0]["name"] == [{"text": "Pat Doe"}]


def test_without_a_date_of_birth_none_is_shown(patient: User, patient_client: Client) -> None:
    report = ready_report(patient)

    page = patient_client.get(f"/journal/reports/{report.pk}/").text
    patients = resources(bundle_of(report), "Patient")

    assert "born" not in page
    assert "birthDate" not in patients[0]


def test_a_report_built_before_dates_of_birth_still_opens(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)
    stored = dict(report.content or {})
    for added in ("patient_birth_date", "report_name"):
        stored.pop(added)
    Report.objects.filter(pk=report.pk).update(content=stored)

    response = patient_client.get(f"/journal/reports/{report.pk}/")

    assert response.status_code == 200
    assert "Patient: <strong>" in response.text


def test_the_amount_is_in_the_pdf_csv_and_fhir_as_written(
    patient: User, dose_with_amount: None
) -> None:
    report = ready_report(patient)
    content = report_content(report=report)

    pdf = pdf_context(content, chart_svg="", page_size="A4")
    with report.csv.open("rb") as stored:
        rows = list(csv.DictReader(io.StringIO(stored.read().decode("utf-8-sig"))))
    observations = resources(bundle_of(report), "Observation")
    notes = [note["text"] for obs in observations for note in obs.get("note", [])]

    assert pdf["entries"][0].after_dose == "20 min (Esketamine, 56 mg)"
    assert [row["dose_amount"] for row in rows if row["row_type"] == "entry"] == ["56 mg"]
    assert "Amount as written by the patient: 56 mg" in notes
    assert find_dosage_advice(pdf["entries"][0].after_dose) == []


def test_an_amount_like_a_formula_is_defused_in_the_csv(patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(
        course=course, taken_at=timezone.now() - timedelta(days=1), amount="=2*28 mg"
    )
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=5))
    report = ready_report(patient)

    with report.csv.open("rb") as stored:
        rows = list(csv.DictReader(io.StringIO(stored.read().decode("utf-8-sig"))))

    assert [row["dose_amount"] for row in rows if row["row_type"] == "entry"] == ["'=2*28 mg"]
