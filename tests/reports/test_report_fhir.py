"""The FHIR export: an R4 document Bundle a provider's system can file as it stands."""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from reference.safety import find_dosage_advice
from reports.content import FOOTER, ReportContent, report_content
from reports.fhir import MASKED_SYMPTOM, DosingAdviceInNarrative, fhir_bundle
from reports.models import Report
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    DrugFactory,
    EntryFactory,
    PatientFactory,
    seeded_side_effect,
)
from tests.support.report_content import (
    FIRST_DOSE_AT,
    make_content,
    make_course,
    make_dose,
    make_entry,
    make_summary,
    many_entries,
)

BASE_URL = "https://sidelog.example"
# The R4 value sets each status is bound to (required bindings).
OBSERVATION_STATUSES = {
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
}
MEDICATION_STATEMENT_STATUSES = {
    "active",
    "completed",
    "entered-in-error",
    "intended",
    "stopped",
    "on-hold",
    "unknown",
    "not-taken",
}
COMPOSITION_STATUSES = {"preliminary", "final", "amended", "entered-in-error"}


def build(content: ReportContent) -> dict[str, Any]:
    return fhir_bundle(content, base_url=BASE_URL)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_url(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def symptom_observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in resources(bundle, "Observation") if "component" in o]


def dose_observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in resources(bundle, "Observation") if "component" not in o]


def section(bundle: dict[str, Any], title: str) -> dict[str, Any]:
    composition = bundle["entry"][0]["resource"]
    return next(s for s in composition["section"] if s["title"] == title)


def text_of(div: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", div))


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if "reference" in value:
            yield value["reference"]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def rich_content(count: int = 200) -> ReportContent:
    """A long report: two courses (one stopped), ongoing, edited, back-filled and red-flag
    entries, notes, a symptom in the patient's own words and a dose from before the period."""
    entries = many_entries(count)
    entries[1] = make_entry(
        id=1,
        symptom="Buzzing in my ears",
        side_effect_slug=None,
        category=None,
        is_backfilled=True,
        notes="Went away after a nap.",
    )
    entries[2] = make_entry(
        id=2, dose_id=29, dose_taken_at=FIRST_DOSE_AT - timedelta(days=3), drug_name="Ketamine"
    )
    return make_content(
        notes_included=True,
        courses=[
            make_course(),
            make_course(
                id=8,
                drug_name="Ketamine",
                drug_slug="ketamine",
                atc_code="N01AX03",
                rxnorm_code="6130",
                route="iv",
                route_label="IV infusion",
                started_on=date(2023, 10, 1),
                stopped_on=date(2024, 3, 2),
                regimen="Six infusions over two weeks",
                doses_logged=1,
            ),
        ],
        doses=[make_dose(), make_dose(id=31, course_id=8, drug_name="Ketamine", setting="home")],
        symptoms=[
            make_summary(),
            make_summary(symptom="Buzzing in my ears", side_effect_slug=None, episodes=1),
        ],
        entries=entries,
    )


def test_the_bundle_is_a_valid_r4_document() -> None:
    bundle = build(rich_content())

    parsed = Bundle.model_validate(bundle)

    assert parsed.type == "document"
    assert bundle["identifier"]["system"] == "urn:ietf:rfc:3986"
    assert bundle["identifier"]["value"].startswith("urn:uuid:")
    assert bundle["timestamp"] == "2024-04-01T10:00:00+01:00"
    assert json.loads(json.dumps(bundle)) == bundle


def test_the_composition_comes_first_then_the_patient_courses_doses_and_entries() -> None:
    bundle = build(rich_content(200))

    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]

    assert kinds[:2] == ["Composition", "Patient"]
    assert Counter(kinds) == {
        "Composition": 1,
        "Patient": 1,
        "MedicationStatement": 2,
        "Observation": 200 + 3,  # every entry; the two doses in the period and one before it
    }
    assert len(symptom_observations(bundle)) == 200
    assert len({entry["fullUrl"] for entry in bundle["entry"]}) == len(bundle["entry"])


def test_every_reference_points_at_a_resource_in_the_bundle() -> None:
    bundle = build(rich_content())
    urls = by_url(bundle)

    found = list(references(bundle))

    assert len(found) > 700
    assert set(found) <= set(urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_the_composition_is_the_patients_own_side_effect_report() -> None:
    bundle = build(rich_content())
    composition = bundle["entry"][0]["resource"]
    patient_url = bundle["entry"][1]["fullUrl"]

    assert composition["status"] in COMPOSITION_STATUSES
    assert composition["status"] == "final"
    assert composition["type"]["coding"] == [
        {"system": "http://loinc.org", "code": "51855-5", "display": "Patient Note"}
    ]
    assert composition["identifier"] == {"system": f"{BASE_URL}/fhir/report", "value": "5"}
    assert composition["subject"] == {"reference": patient_url}
    assert composition["author"] == [{"reference": patient_url}]
    assert composition["title"] == "Side-effect report 2024-03-01 to 2024-03-31"
    assert composition["event"] == [{"period": {"start": "2024-03-01", "end": "2024-03-31"}}]
    assert [s["title"] for s in composition["section"]] == [
        "Summary",
        "Red-flag events",
        "Medications",
        "Doses taken",
        "Symptoms",
        "About this report",
    ]
    for part in composition["section"]:
        assert part["text"]["status"] == "generated"
        assert part["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')


def test_sections_list_the_resources_they_describe() -> None:
    content = rich_content()
    bundle = build(content)
    urls = by_url(bundle)

    def kinds_in(title: str) -> list[str]:
        return [urls[ref["reference"]]["resourceType"] for ref in section(bundle, title)["entry"]]

    assert kinds_in("Medications") == ["MedicationStatement"] * 2
    assert len(kinds_in("Doses taken")) == 3
    assert len(kinds_in("Symptoms")) == 200
    red_flags = [urls[ref["reference"]] for ref in section(bundle, "Red-flag events")["entry"]]
    assert [o["identifier"][0]["value"] for o in red_flags] == [
        str(entry.id) for entry in content.red_flag_events
    ]
    assert "entry" not in section(bundle, "Summary")


def test_the_summary_narrative_is_the_per_symptom_table() -> None:
    summary = make_summary(
        category="dissociative", share_resolved_within_2h=0.75, median_duration_minutes=35.0
    )
    bundle = build(make_content(symptoms=[summary]))

    div = section(bundle, "Summary")["text"]["div"]

    assert "<table>" in div
    assert "<td>Dizziness</td><td>2</td><td>2</td><td>3 (Severe)</td><td>2.5</td>" in div
    assert "<td>75%</td>" in div
    assert "1 more episode than the previous period" in div
    assert FOOTER in section(bundle, "About this report")["text"]["div"]


def test_there_is_no_red_flag_section_without_red_flag_events() -> None:
    bundle = build(make_content())

    titles = [s["title"] for s in bundle["entry"][0]["resource"]["section"]]

    assert "Red-flag events" not in titles
    assert "Summary" in titles


def test_the_patient_carries_only_the_sidelog_id_and_name() -> None:
    (patient,) = resources(build(make_content()), "Patient")

    assert set(patient) == {"resourceType", "id", "identifier", "name"}
    assert patient["identifier"] == [{"system": f"{BASE_URL}/fhir/patient", "value": "11"}]
    assert patient["name"] == [{"text": "Ada Lovelace"}]


def test_a_medication_statement_per_course_as_the_prescriber_wrote_it() -> None:
    bundle = build(rich_content())

    ongoing, stopped = resources(bundle, "MedicationStatement")

    assert {ongoing["status"], stopped["status"]} <= MEDICATION_STATEMENT_STATUSES
    assert (ongoing["status"], stopped["status"]) == ("active", "completed")
    assert ongoing["medicationCodeableConcept"] == {
        "coding": [{"system": "http://www.whocc.no/atc", "code": "N06AX27"}],
        "text": "Esketamine",
    }
    assert stopped["medicationCodeableConcept"]["coding"] == [
        {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "6130"},
        {"system": "http://www.whocc.no/atc", "code": "N01AX03"},
    ]
    assert ongoing["effectivePeriod"] == {"start": "2024-01-10"}
    assert stopped["effectivePeriod"] == {"start": "2023-10-01", "end": "2024-03-02"}
    assert ongoing["dosage"] == [
        {"text": "56 mg twice a week in clinic", "route": {"text": "Nasal spray"}}
    ]
    assert ongoing["note"] == [{"text": "1 dose logged in Sidelog in this period."}]
    assert ongoing["subject"]["reference"] == bundle["entry"][1]["fullUrl"]


def test_a_course_without_codes_has_its_name_only_and_one_stopping_later_is_active() -> None:
    course = make_course(atc_code="", rxnorm_code="", stopped_on=date(2024, 6, 1), regimen="")

    (statement,) = resources(build(make_content(courses=[course])), "MedicationStatement")

    assert statement["medicationCodeableConcept"] == {"text": "Esketamine"}
    assert statement["status"] == "active"
    assert statement["dosage"] == [{"route": {"text": "Nasal spray"}}]


def test_a_symptom_observation_rates_severity_and_interference_as_components() -> None:
    bundle = build(make_content(entries=[make_entry(severity=3, severity_label="Severe")]))

    (observation,) = symptom_observations(bundle)

    assert observation["status"] == "final"
    assert observation["category"] == [
        {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "survey",
                }
            ]
        }
    ]
    assert observation["code"] == {
        "coding": [
            {"system": f"{BASE_URL}/fhir/side-effect", "code": "dizziness", "display": "Dizziness"}
        ],
        "text": "Dizziness",
    }
    severity, interference = observation["component"]
    assert severity["code"]["text"] == "Severity"
    assert severity["code"]["coding"][0]["system"] == f"{BASE_URL}/fhir/observation"
    assert (severity["valueInteger"], severity["interpretation"]) == (3, [{"text": "Severe"}])
    assert interference["code"]["text"] == "Interference with daily activities"
    assert interference["valueInteger"] == 1
    assert observation["effectivePeriod"] == {
        "start": "2024-03-05T15:40:00+00:00",
        "end": "2024-03-05T17:10:00+00:00",
    }
    assert observation["issued"] == "2024-03-05T17:40:00+00:00"
    assert observation["identifier"] == [
        {"system": f"{BASE_URL}/fhir/symptom-entry", "value": "100"}
    ]


def test_an_ongoing_symptom_has_no_end_and_times_are_in_the_patients_zone() -> None:
    onset = datetime(2024, 3, 20, 14, 5, tzinfo=UTC)
    entry = make_entry(onset_at=onset, resolved_at=None, duration_minutes=None)
    content = make_content(time_zone="America/New_York", entries=[entry])

    (observation,) = symptom_observations(build(content))

    assert observation["effectivePeriod"] == {"start": "2024-03-20T10:05:00-04:00"}


def test_a_symptom_is_derived_from_the_dose_it_followed() -> None:
    content = rich_content()
    bundle = build(content)
    urls = by_url(bundle)
    observations = {o["identifier"][0]["value"]: o for o in symptom_observations(bundle)}

    followed = observations["1000"]
    (reference,) = followed["derivedFrom"]
    dose = urls[reference["reference"]]

    assert dose["resourceType"] == "Observation"
    assert dose["code"]["text"] == "Medication dose taken"
    assert dose["effectiveDateTime"] == "2024-03-05T15:00:00+00:00"
    assert dose["valueCodeableConcept"]["text"] == "Esketamine"
    assert dose["identifier"] == [{"system": f"{BASE_URL}/fhir/dose", "value": "30"}]
    assert dose["status"] in OBSERVATION_STATUSES
    (part_of,) = dose["partOf"]
    assert urls[part_of["reference"]]["resourceType"] == "MedicationStatement"
    assert dose["note"] == [{"text": "In clinic"}]
    assert "derivedFrom" not in observations["1003"]  # logged without a dose


def test_a_dose_from_before_the_period_is_included_when_a_symptom_followed_it() -> None:
    bundle = build(rich_content())
    urls = by_url(bundle)
    observation = next(
        o for o in symptom_observations(bundle) if o["identifier"][0]["value"] == "2"
    )

    dose = urls[observation["derivedFrom"][0]["reference"]]

    assert dose["effectiveDateTime"] == "2024-03-02T15:00:00+00:00"
    assert dose["valueCodeableConcept"]["text"] == "Ketamine"
    assert "partOf" not in dose
    assert "1 earlier dose that a symptom followed" in section(bundle, "Doses taken")["text"]["div"]


def test_edited_entries_and_doses_are_amended_and_flags_become_notes() -> None:
    edited_at = FIRST_DOSE_AT + timedelta(days=2)
    entry = make_entry(
        is_edited=True,
        edited_at=edited_at,
        is_backfilled=True,
        red_flag="Contact your prescriber today",
    )
    content = make_content(entries=[entry], doses=[make_dose(is_edited=True)])

    bundle = build(content)
    (observation,) = symptom_observations(bundle)
    (dose,) = dose_observations(bundle)

    assert observation["status"] == dose["status"] == "amended"
    assert observation["note"] == [
        {"text": "Back-filled: logged more than 24 hours after it started."},
        {"time": "2024-03-07T15:00:00+00:00", "text": "Edited after it was first logged."},
        {"text": "Matched a red-flag rule; the patient was shown: Contact your prescriber today"},
    ]


def test_patient_notes_are_included_only_when_they_opted_in() -> None:
    entry = make_entry(notes="Walked it off")

    opted_in = build(make_content(notes_included=True, entries=[entry]))
    opted_out = build(make_content(entries=[make_entry()]))

    (with_notes,) = symptom_observations(opted_in)
    (without,) = symptom_observations(opted_out)
    patient_url = opted_in["entry"][1]["fullUrl"]
    assert with_notes["note"] == [
        {"authorReference": {"reference": patient_url}, "text": "Walked it off"}
    ]
    assert "note" not in without


def test_statuses_and_types_come_from_their_value_sets() -> None:
    bundle = build(rich_content())

    assert bundle["type"] == "document"
    assert {o["status"] for o in resources(bundle, "Observation")} <= OBSERVATION_STATUSES
    statuses = {s["status"] for s in resources(bundle, "MedicationStatement")}
    assert statuses <= MEDICATION_STATEMENT_STATUSES


def test_building_twice_gives_identical_output() -> None:
    content = rich_content()

    first = json.dumps(build(content))

    assert json.dumps(build(content)) == first
    other_report = json.dumps(build(make_content(report_id=6)))
    assert by_url(json.loads(other_report)).keys().isdisjoint(by_url(json.loads(first)).keys())


def test_no_text_in_the_bundle_reads_as_dosing_advice() -> None:
    bundle = build(rich_content())

    texts = {text_of(value) if value.startswith("<div") else value for value in strings(bundle)}

    assert len(texts) > 100
    assert [text for text in texts if find_dosage_advice(text)] == []


def test_a_symptom_in_the_patients_words_that_reads_as_advice_stays_out_of_narratives() -> None:
    words = "Take half the dose"
    entry = make_entry(
        symptom=words, side_effect_slug=None, red_flag="Contact your prescriber today"
    )
    content = make_content(
        entries=[entry], symptoms=[make_summary(symptom=words, side_effect_slug=None)]
    )

    bundle = build(content)

    for part in bundle["entry"][0]["resource"]["section"]:
        assert find_dosage_advice(text_of(part["text"]["div"])) == []
        assert words not in part["text"]["div"]
    assert MASKED_SYMPTOM in text_of(section(bundle, "Summary")["text"]["div"])
    assert MASKED_SYMPTOM in text_of(section(bundle, "Red-flag events")["text"]["div"])
    assert symptom_observations(bundle)[0]["code"] == {"text": words}  # the record stays as is


def test_it_refuses_to_build_when_sidelogs_own_narrative_would_read_as_advice() -> None:
    summary = make_summary(symptom="Skip a dose", side_effect_slug="skip")

    with pytest.raises(DosingAdviceInNarrative):
        build(make_content(symptoms=[summary]))


def test_ten_thousand_entries_build_well_under_two_seconds() -> None:
    content = make_content(entries=many_entries(10_000))

    started = time.perf_counter()
    bundle = build(content)
    elapsed = time.perf_counter() - started

    assert len(symptom_observations(bundle)) == 10_000
    assert elapsed < 2.0


@pytest.mark.django_db
def test_a_report_from_the_journal_is_a_valid_bundle() -> None:
    zone = ZoneInfo("Europe/London")
    patient = PatientFactory.create(first_name="Ada", last_name="Lovelace")
    course = CourseFactory.create(patient=patient)
    old_course = CourseFactory.create(
        patient=patient,
        drug=DrugFactory.create(atc_code="", rxnorm_code=""),
        started_on=timezone.localdate() - timedelta(days=90),
        stopped_on=timezone.localdate() - timedelta(days=30),
        route="oral",
        regimen="",
    )
    now = timezone.now()
    dose = DoseFactory.create(course=course, taken_at=now - timedelta(hours=5))
    EntryFactory.create(
        patient=patient,
        dose=dose,
        onset_at=now - timedelta(hours=4),
        resolved_at=now - timedelta(hours=3),
    )
    EntryFactory.create(
        patient=patient,
        side_effect=None,
        other_symptom="Ringing ears",
        onset_at=now - timedelta(hours=2),
        notes="Quieter by the evening",
    )
    EntryFactory.create(patient=patient, side_effect=seeded_side_effect("headache"), severity=4)
    today = now.astimezone(zone).date()
    report = Report.objects.create(
        patient=patient,
        period_start=today - timedelta(days=6),
        period_end=today,
        include_notes=True,
    )

    bundle = fhir_bundle(report_content(report=report), base_url=BASE_URL)

    Bundle.model_validate(bundle)
    urls = by_url(bundle)
    assert set(references(bundle)) <= set(urls)
    assert resources(bundle, "Patient")[0]["name"] == [{"text": "Ada Lovelace"}]
    statements = {s["identifier"][0]["value"]: s for s in resources(bundle, "MedicationStatement")}
    assert statements[str(course.pk)]["status"] == "active"
    assert statements[str(old_course.pk)]["status"] == "completed"
    observations = symptom_observations(bundle)
    assert len(observations) == 3
    followed = next(o for o in observations if "derivedFrom" in o)
    dose_taken = urls[followed["derivedFrom"][0]["reference"]]
    assert dose_taken["effectiveDateTime"] == dose.taken_at.astimezone(zone).isoformat(
        timespec="seconds"
    )
    assert followed["effectivePeriod"]["end"]
    ringing = next(o for o in observations if o["code"]["text"] == "Ringing ears")
    assert "end" not in ringing["effectivePeriod"]
    assert "coding" not in ringing["code"]
    assert ringing["note"][-1]["text"] == "Quieter by the evening"
