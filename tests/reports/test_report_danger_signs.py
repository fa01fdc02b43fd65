"""A report tells the provider what the patient ticked and what their own words were read as,
in every format: the page, the PDF, the CSV and the FHIR bundle."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader
from time_machine import TimeMachineFixture

from journal import services
from reports.models import Report
from reports.services import report_build
from tests.support.factories import CourseFactory, seeded_drug, seeded_side_effect

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def report(patient: User, time_machine: TimeMachineFixture) -> Report:
    time_machine.move_to(NOW, tick=False)
    CourseFactory.create(
        patient=patient, drug=seeded_drug("lamotrigine"), started_on=date(2026, 6, 1)
    )
    for data in (
        services.EntryInput(
            side_effect=seeded_side_effect("skin-rash"),
            other_symptom="",
            onset_at=NOW - timedelta(days=2),
            resolved_at=None,
            severity=1,
            interference=0,
            danger_signs=("mouth-sores",),
        ),
        services.EntryInput(
            side_effect=None,
            other_symptom="Glands up in my neck",
            onset_at=NOW - timedelta(days=1),
            resolved_at=None,
            severity=2,
            interference=1,
        ),
    ):
        services.symptom_entry_create(patient=patient, logged_by=patient, data=data)
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 20),
    )
    report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    return report


def test_the_csv_has_the_danger_signs_and_the_reading(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(report.csv.read().decode("utf-8-sig"))))
    entries = {row["symptom"]: row for row in rows if row["row_type"] == "entry"}

    assert entries["Skin rash"]["danger_signs"] == "Sores in the mouth, eyes or genitals"
    assert entries["Skin rash"]["red_flag_action"] == "Call emergency services now"
    assert entries["Glands up in my neck"]["read_as"] == "Swollen glands"
    assert entries["Glands up in my neck"]["red_flag_action"] == "Contact your prescriber today"


def test_the_fhir_observation_records_each_danger_sign_as_present(report: Report) -> None:
    bundle = json.loads(report.fhir.read())
    observations = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Observation"
        and entry["resource"]["code"].get("text") in {"Skin rash", "Glands up in my neck"}
    ]
    by_symptom = {obs["code"]["text"]: obs for obs in observations}

    rash = by_symptom["Skin rash"]
    assert {"code": {"text": "Sores in the mouth, eyes or genitals"}, "valueBoolean": True} in rash[
        "component"
    ]
    notes = [note["text"] for note in by_symptom["Glands up in my neck"]["note"]]
    assert "Described in the patient's own words; read as: Swollen glands." in notes


def test_the_pdf_and_the_report_page_show_them_beside_the_symptom(
    report: Report, patient_client: Client
) -> None:
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(report.pdf.open()).pages
    )

    assert "Skin rash; with: sores in the mouth, eyes or genitals" in text
    assert "Glands up in my neck (read as swollen glands)" in text
    page = patient_client.get(report.get_absolute_url()).content.decode()
    assert "Skin rash; with: sores in the mouth, eyes or genitals, mild." in page
