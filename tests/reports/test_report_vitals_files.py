"""Readings and questionnaires in a report's CSV and FHIR bundle: a row for each reading and
response; LOINC-coded vital-sign Observations with UCUM units, and each PHQ-9 or GAD-7 as a
QuestionnaireResponse with its total score; the bundle still valid R4 (checked with the
R4B models, using only elements R4 also has)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from fhir.resources.R4B.bundle import Bundle

from journal.models import DoseEvent, Measurement, MedicationCourse
from reports.content import ReportContent, report_content
from reports.fhir import fhir_bundle
from reports.models import Report
from reports.spreadsheet import ENTRY_COLUMNS, SUMMARY_COLUMNS, csv_text
from tests.support.factories import CourseFactory, DoseFactory, PatientFactory, seeded_drug
from tests.support.vitals import clinic_session, gad7, phq9, reading

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DOSE_AT = datetime(2024, 6, 4, 10, 0, tzinfo=LONDON)
BASE_URL = "https://sidelog.example"
UCUM = "http://unitsofmeasure.org"


def esketamine_dose(patient: User) -> DoseEvent:
    course = CourseFactory.create(
        patient=patient,
        drug=seeded_drug("esketamine"),
        started_on=date(2024, 1, 1),
        route=MedicationCourse.Route.NASAL,
    )
    return DoseFactory.create(course=course, taken_at=DOSE_AT, amount="56 mg")


def content_for(patient: User, *, include_notes: bool = False) -> ReportContent:
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=date(2024, 6, 3),
        period_end=date(2024, 6, 9),
        include_notes=include_notes,
    )
    return report_content(report=report)


@pytest.fixture
def content() -> ReportContent:
    patient = PatientFactory.create()
    dose = esketamine_dose(patient)
    clinic_session(dose)
    at = DOSE_AT + timedelta(days=1)
    reading(patient, Measurement.Kind.HEART_RATE, "64", at)
    reading(patient, Measurement.Kind.OXYGEN_SATURATION, "97", at)
    reading(patient, Measurement.Kind.BODY_TEMPERATURE, "38.4", at, note="After a walk")
    phq9(patient, [2, 2, 1, 2, 1, 1, 1, 1, 0], DOSE_AT + timedelta(hours=1), dose=dose)
    gad7(patient, [1, 1, 1, 1, 0, 1, 0], at)
    return content_for(patient, include_notes=True)


def csv_rows(content: ReportContent, row_type: str) -> list[dict[str, str]]:
    header, *rows = csv.reader(io.StringIO(csv_text(content).removeprefix("\ufeff")))
    return [dict(zip(header, row, strict=True)) for row in rows if row[0] == row_type]


def observations(bundle: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == code for c in entry["resource"]["code"].get("coding", []))
    ]


def test_the_csv_has_a_row_for_each_reading(content: ReportContent) -> None:
    rows = csv_rows(content, "measurement")

    assert [
        (r["measurement"], r["reading_as_entered"], r["measurement_context"]) for r in rows
    ] == [
        ("Blood pressure", "138/86 mmHg, pulse 72", "Before the dose"),
        ("Blood pressure", "176/104 mmHg, pulse 96", "About 40 minutes after the dose"),
        ("Blood pressure", "142/88 mmHg, pulse 80", "Before leaving the clinic"),
        ("Heart rate", "64 beats per minute", "At home"),
        ("Oxygen saturation", "97 %", "At home"),
        ("Body temperature", "38.4 °C", "At home"),
    ]
    first = rows[1]
    assert (first["systolic_mmhg"], first["diastolic_mmhg"], first["pulse_per_min"]) == (
        "176",
        "104",
        "96",
    )
    assert (first["high_blood_pressure"], first["minutes_after_dose"], first["drug"]) == (
        "yes",
        "40",
        "Esketamine",
    )
    assert first["measured_at"] == "2024-06-04T10:40:00+01:00"
    assert (rows[5]["value"], rows[5]["unit"], rows[5]["notes"]) == ("38.4", "°C", "After a walk")


def test_the_csv_has_a_row_for_each_questionnaire_response(content: ReportContent) -> None:
    rows = csv_rows(content, "questionnaire")

    assert [(r["questionnaire"], r["score"], r["band"], r["answers"]) for r in rows] == [
        ("PHQ-9", "11", "Moderate", "2 2 1 2 1 1 1 1 0"),
        ("GAD-7", "5", "Mild", "1 1 1 1 0 1 0"),
    ]
    assert rows[0]["dose_taken_at"] == "2024-06-04T10:00:00+01:00"


def test_a_csv_without_readings_keeps_its_columns() -> None:
    header = next(csv.reader(io.StringIO(csv_text(content_for(PatientFactory.create())))))

    assert header == ["\ufeffrow_type", *ENTRY_COLUMNS, *SUMMARY_COLUMNS]


def test_the_bundle_with_readings_and_questionnaires_is_valid(content: ReportContent) -> None:
    bundle = fhir_bundle(content, base_url=BASE_URL)

    Bundle.model_validate(bundle)
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    found = [
        ref["reference"]
        for entry in bundle["entry"]
        for ref in entry["resource"].get("derivedFrom", [])
    ]
    assert found and set(found) <= urls


def test_blood_pressure_is_a_loinc_panel_with_systolic_and_diastolic_in_mm_hg(
    content: ReportContent,
) -> None:
    bundle = fhir_bundle(content, base_url=BASE_URL)

    panels = observations(bundle, "85354-9")

    assert len(panels) == 3
    at_40 = panels[1]
    assert at_40["category"][0]["coding"][0]["code"] == "vital-signs"
    assert at_40["effectiveDateTime"] == "2024-06-04T10:40:00+01:00"
    assert [
        (c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
        for c in at_40["component"]
    ] == [("8480-6", 176, "mm[Hg]"), ("8462-4", 104, "mm[Hg]")]
    assert at_40["component"][0]["valueQuantity"]["system"] == UCUM
    dose = next(
        e["resource"]
        for e in bundle["entry"]
        if e["fullUrl"] == at_40["derivedFrom"][0]["reference"]
    )
    assert dose["effectiveDateTime"] == "2024-06-04T10:00:00+01:00"


def test_heart_rate_saturation_and_temperature_carry_their_codes_and_units(
    content: ReportContent,
) -> None:
    bundle = fhir_bundle(content, base_url=BASE_URL)

    def value(code: str) -> list[tuple[float, str]]:
        return [
            (o["valueQuantity"]["value"], o["valueQuantity"]["code"])
            for o in observations(bundle, code)
        ]

    # The cuff's three pulses, each its own heart rate, then the home heart rate.
    assert value("8867-4") == [(72, "/min"), (96, "/min"), (80, "/min"), (64.0, "/min")]
    assert value("59408-5") == [(97.0, "%")]
    assert value("8310-5") == [(38.4, "Cel")]
    pulse = observations(bundle, "8867-4")[1]
    panel = observations(bundle, "85354-9")[1]
    assert pulse["derivedFrom"][0]["reference"] == f"urn:uuid:{panel['id']}"


def test_a_phq9_is_a_questionnaire_response_with_its_total_score(content: ReportContent) -> None:
    bundle = fhir_bundle(content, base_url=BASE_URL)
    responses = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]

    phq, gad = responses
    assert phq["questionnaire"] == "http://loinc.org/q/44249-1"
    assert gad["questionnaire"] == "http://loinc.org/q/69737-5"
    assert phq["status"] == "completed"
    assert phq["authored"] == "2024-06-04T11:00:00+01:00"
    assert [item["answer"][0]["valueInteger"] for item in phq["item"][:9]] == [
        2, 2, 1, 2, 1, 1, 1, 1, 0
    ]  # fmt: skip
    (total,) = observations(bundle, "44261-6")
    assert (total["valueInteger"], total["interpretation"][0]["text"]) == (11, "Moderate")
    assert total["category"][0]["coding"][0]["code"] == "survey"
    assert total["derivedFrom"][0]["reference"] == f"urn:uuid:{phq['id']}"
    (gad_total,) = observations(bundle, "70274-6")
    assert gad_total["valueInteger"] == 5


def test_the_composition_lists_the_readings_and_questionnaires(content: ReportContent) -> None:
    bundle = fhir_bundle(content, base_url=BASE_URL)
    sections = {s["title"]: s for s in bundle["entry"][0]["resource"]["section"]}

    # Six readings, and a pulse of its own for each of the three cuff readings.
    assert len(sections["Vital signs"]["entry"]) == 9
    assert len(sections["Questionnaires"]["entry"]) == 4
    assert "140 mmHg systolic" in sections["Vital signs"]["text"]["div"]


def test_a_bundle_without_readings_has_no_such_sections() -> None:
    patient = PatientFactory.create()
    esketamine_dose(patient)

    bundle = fhir_bundle(content_for(patient), base_url=BASE_URL)

    titles = [s["title"] for s in bundle["entry"][0]["resource"]["section"]]
    assert "Vital signs" not in titles and "Questionnaires" not in titles
