"""The CSV export: one table, a row per symptom summary and per entry, safe in a spreadsheet.

The `make_*` helpers build report content by hand; the FHIR tests use them too.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal.models import Report
from journal.reports.content import (
    CourseSummary,
    DoseMark,
    EntryRow,
    ReportContent,
    SymptomSummary,
    report_content,
)
from journal.reports.spreadsheet import ENTRY_COLUMNS, SUMMARY_COLUMNS, csv_text
from reference.models import Interference, Severity
from tests.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    seeded_side_effect,
)

GENERATED_AT = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)
FIRST_DOSE_AT = datetime(2024, 3, 5, 15, 0, tzinfo=UTC)


def make_course(**overrides: Any) -> CourseSummary:
    fields: dict[str, Any] = {
        "id": 7,
        "drug_name": "Esketamine",
        "drug_slug": "esketamine",
        "atc_code": "N06AX27",
        "rxnorm_code": "",
        "route": "nasal",
        "route_label": "Nasal spray",
        "started_on": date(2024, 1, 10),
        "stopped_on": None,
        "regimen": "56 mg twice a week in clinic",
        "doses_logged": 1,
    }
    return CourseSummary(**{**fields, **overrides})


def make_dose(**overrides: Any) -> DoseMark:
    fields: dict[str, Any] = {
        "id": 30,
        "course_id": 7,
        "drug_name": "Esketamine",
        "taken_at": FIRST_DOSE_AT,
        "setting": "clinic",
        "is_backfilled": False,
        "is_edited": False,
    }
    return DoseMark(**{**fields, **overrides})


def make_entry(**overrides: Any) -> EntryRow:
    onset = overrides.pop("onset_at", FIRST_DOSE_AT + timedelta(minutes=40))
    fields: dict[str, Any] = {
        "id": 100,
        "symptom": "Dizziness",
        "side_effect_slug": "dizziness",
        "category": "common",
        "onset_at": onset,
        "resolved_at": onset + timedelta(minutes=90),
        "severity": 2,
        "severity_label": "Moderate",
        "interference": 1,
        "interference_label": "A little bit",
        "dose_id": 30,
        "dose_taken_at": FIRST_DOSE_AT,
        "drug_name": "Esketamine",
        "minutes_after_dose": 40,
        "duration_minutes": 90,
        "logged_by": "patient1",
        "created_at": onset + timedelta(hours=2),
        "edited_at": None,
        "is_backfilled": False,
        "is_edited": False,
        "red_flag": None,
        "notes": "",
    }
    return EntryRow(**{**fields, **overrides})


def make_summary(**overrides: Any) -> SymptomSummary:
    fields: dict[str, Any] = {
        "symptom": "Dizziness",
        "side_effect_slug": "dizziness",
        "category": "common",
        "episodes": 2,
        "days_affected": 2,
        "worst_severity": 3,
        "median_severity": 2.5,
        "median_interference": 1.0,
        "median_minutes_from_dose": 40.0,
        "median_duration_minutes": None,
        "share_resolved_within_2h": None,
        "previous_episodes": 1,
        "previous_median_severity": 2.0,
    }
    return SymptomSummary(**{**fields, **overrides})


def make_content(**overrides: Any) -> ReportContent:
    fields: dict[str, Any] = {
        "report_id": 5,
        "patient_id": 11,
        "patient_name": "Ada Lovelace",
        "time_zone": "Europe/London",
        "period_start": date(2024, 3, 1),
        "period_end": date(2024, 3, 31),
        "previous_start": date(2024, 1, 30),
        "previous_end": date(2024, 2, 29),
        "generated_at": GENERATED_AT,
        "notes_included": False,
        "courses": [make_course()],
        "symptoms": [make_summary()],
        "entries": [make_entry()],
        "doses": [make_dose()],
    }
    fields.update(overrides)
    fields.setdefault("red_flag_events", [e for e in fields["entries"] if e.red_flag])
    return ReportContent(**fields)


def many_entries(count: int) -> list[EntryRow]:
    """`count` entries, a few hours apart, every third one ongoing and every fifth edited."""
    entries = []
    for number in range(count):
        onset = FIRST_DOSE_AT + timedelta(hours=3 * number)
        entries.append(
            make_entry(
                id=1000 + number,
                onset_at=onset,
                resolved_at=None if number % 3 == 0 else onset + timedelta(minutes=30),
                dose_id=30 if number % 2 == 0 else None,
                dose_taken_at=FIRST_DOSE_AT if number % 2 == 0 else None,
                drug_name="Esketamine" if number % 2 == 0 else None,
                minutes_after_dose=None,
                severity=number % 5,
                severity_label=Severity(number % 5).label,
                interference=(number + 1) % 5,
                interference_label=Interference((number + 1) % 5).label,
                is_edited=number % 5 == 0,
                edited_at=onset + timedelta(days=1) if number % 5 == 0 else None,
                red_flag="Contact your prescriber today" if number % 97 == 0 else None,
            )
        )
    return entries


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def as_dicts(text: str, row_type: str) -> list[dict[str, str]]:
    header, *rows = parse(text)
    return [dict(zip(header, row, strict=True)) for row in rows if row[0] == row_type]


def test_it_is_one_table_with_a_row_per_summary_and_per_entry() -> None:
    content = make_content(
        symptoms=[make_summary(), make_summary(symptom="Nausea", side_effect_slug="nausea")],
        entries=[make_entry(id=1), make_entry(id=2), make_entry(id=3)],
    )

    header, *rows = parse(csv_text(content))

    assert header == ["row_type", *ENTRY_COLUMNS, *SUMMARY_COLUMNS]
    assert [row[0] for row in rows] == ["summary", "summary", "entry", "entry", "entry"]
    assert all(len(row) == len(header) for row in rows)
    assert [row["entry_id"] for row in as_dicts(csv_text(content), "entry")] == ["1", "2", "3"]


def test_it_starts_with_a_byte_order_mark_so_excel_reads_utf8() -> None:
    content = make_content(entries=[make_entry(symptom="Übelkeit – stark", side_effect_slug=None)])

    text = csv_text(content)
    decoded = text.encode().decode("utf-8-sig")

    assert text.startswith("\ufeffrow_type,")
    assert "Übelkeit – stark" in decoded
    assert not decoded.startswith("\ufeff")


def test_an_entry_row_says_what_was_recorded() -> None:
    entry = make_entry(
        red_flag="Contact your prescriber today", is_backfilled=True, logged_by="carer"
    )

    (row,) = as_dicts(csv_text(make_content(entries=[entry])), "entry")

    assert row["symptom"] == "Dizziness"
    assert row["category"] == "common"
    assert (row["severity"], row["severity_label"]) == ("2", "Moderate")
    assert (row["interference"], row["interference_label"]) == ("1", "A little bit")
    assert (row["drug"], row["minutes_after_dose"], row["duration_minutes"]) == (
        "Esketamine",
        "40",
        "90",
    )
    assert row["red_flag_action"] == "Contact your prescriber today"
    assert (row["backfilled"], row["edited"], row["ongoing"]) == ("yes", "no", "no")
    assert row["logged_by"] == "carer"
    assert row["episodes"] == row["median_severity"] == ""


def test_times_are_in_the_patients_zone_with_its_offset() -> None:
    winter = datetime(2024, 1, 15, 15, 0, tzinfo=UTC)
    summer = datetime(2024, 7, 15, 15, 0, tzinfo=UTC)
    content = make_content(
        time_zone="America/New_York",
        entries=[
            make_entry(id=1, onset_at=winter, dose_taken_at=winter - timedelta(minutes=30)),
            make_entry(id=2, onset_at=summer),
        ],
    )

    first, second = as_dicts(csv_text(content), "entry")

    assert first["onset"] == "2024-01-15T10:00:00-05:00"
    assert first["resolved"] == "2024-01-15T11:30:00-05:00"
    assert first["dose_taken_at"] == "2024-01-15T09:30:00-05:00"
    assert second["onset"] == "2024-07-15T11:00:00-04:00"


def test_an_ongoing_entry_has_no_resolved_time() -> None:
    entry = make_entry(resolved_at=None, duration_minutes=None)

    (row,) = as_dicts(csv_text(make_content(entries=[entry])), "entry")

    assert (row["ongoing"], row["resolved"], row["duration_minutes"]) == ("yes", "", "")


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(trigger: str) -> None:
    payload = f'{trigger}HYPERLINK("http://evil.example","click")'
    entry = make_entry(
        symptom=payload, side_effect_slug=None, category=None, notes=payload, logged_by=payload
    )
    content = make_content(
        notes_included=True,
        entries=[entry],
        symptoms=[make_summary(symptom=payload, side_effect_slug=None)],
    )

    (summary,) = as_dicts(csv_text(content), "summary")
    (row,) = as_dicts(csv_text(content), "entry")

    assert summary["symptom"] == "'" + payload
    assert row["symptom"] == row["notes"] == row["logged_by"] == "'" + payload


def test_notes_that_look_like_numbers_or_functions_are_defused() -> None:
    entries = [make_entry(id=n, notes=note) for n, note in enumerate(["+1", "-2", "@SUM(A1)"])]

    rows = as_dicts(csv_text(make_content(notes_included=True, entries=entries)), "entry")

    assert [row["notes"] for row in rows] == ["'+1", "'-2", "'@SUM(A1)"]


def test_harmless_text_is_left_alone() -> None:
    entry = make_entry(notes="Felt better after 1-2 hours; ok = fine", logged_by="o'brien")

    (row,) = as_dicts(csv_text(make_content(notes_included=True, entries=[entry])), "entry")

    assert row["notes"] == "Felt better after 1-2 hours; ok = fine"
    assert row["logged_by"] == "o'brien"


def test_numbers_sidelog_computes_stay_numbers_even_when_negative() -> None:
    entry = make_entry(minutes_after_dose=-5)

    (row,) = as_dicts(csv_text(make_content(entries=[entry])), "entry")

    assert row["minutes_after_dose"] == "-5"
    assert int(row["severity"]) == 2


def test_notes_are_a_column_only_when_the_patient_opted_in() -> None:
    entry = make_entry(notes="Walked it off")

    without = csv_text(make_content(entries=[replace(entry, notes="")]))
    with_notes = csv_text(make_content(notes_included=True, entries=[entry]))

    assert "notes" not in parse(without)[0]
    assert as_dicts(with_notes, "entry")[0]["notes"] == "Walked it off"


def test_a_summary_row_carries_the_per_symptom_numbers() -> None:
    summary = make_summary(
        category="dissociative",
        median_duration_minutes=None,
        share_resolved_within_2h=2 / 3,
        episodes=3,
        previous_episodes=1,
    )

    (row,) = as_dicts(csv_text(make_content(symptoms=[summary])), "summary")

    assert row["symptom"] == "Dizziness"
    assert (row["episodes"], row["days_affected"]) == ("3", "2")
    assert (row["worst_severity"], row["worst_severity_label"]) == ("3", "Severe")
    assert (row["median_severity"], row["median_interference"]) == ("2.5", "1")
    assert (row["median_minutes_from_dose"], row["median_duration_minutes"]) == ("40", "")
    assert row["share_resolved_within_2h"] == "0.67"
    assert row["previous_period_episodes"] == "1"
    assert row["change"] == "2 more episodes than the previous period"
    assert row["entry_id"] == row["onset"] == ""


def test_ten_thousand_entries_are_all_written_quickly() -> None:
    content = make_content(entries=many_entries(10_000))

    started = time.perf_counter()
    text = csv_text(content)
    elapsed = time.perf_counter() - started

    assert len(as_dicts(text, "entry")) == 10_000
    assert elapsed < 1.0


@pytest.mark.django_db
def test_a_report_from_the_journal_has_every_entry_in_the_patients_time() -> None:
    patient = PatientFactory.create()
    course = CourseFactory.create(patient=patient)
    now = timezone.now()
    dose = DoseFactory.create(course=course, taken_at=now - timedelta(hours=5))
    EntryFactory.create(patient=patient, dose=dose, onset_at=now - timedelta(hours=4))
    EntryFactory.create(
        patient=patient,
        side_effect=None,
        other_symptom='=HYPERLINK("http://evil.example")',
        notes="+1 worse than last time",
        onset_at=now - timedelta(hours=3),
    )
    nausea = seeded_side_effect("nausea")
    EntryFactory.create(patient=patient, side_effect=nausea)
    today = now.astimezone(ZoneInfo("Europe/London")).date()
    report = Report.objects.create(
        patient=patient,
        period_start=today - timedelta(days=6),
        period_end=today,
        include_notes=True,
    )

    text = csv_text(report_content(report=report))

    entries = as_dicts(text, "entry")
    summaries = as_dicts(text, "summary")
    assert len(entries) == 3
    assert {row["symptom"] for row in summaries} == {
        seeded_side_effect("dizziness").name,
        nausea.name,
        "'" + '=HYPERLINK("http://evil.example")',
    }
    followed = next(row for row in entries if row["drug"])
    assert followed["minutes_after_dose"] == "60"
    assert followed["dose_taken_at"] == dose.taken_at.astimezone(
        ZoneInfo("Europe/London")
    ).isoformat(timespec="seconds")
    assert "'+1 worse than last time" in [row["notes"] for row in entries]
    assert all(row["onset"][-6:] in {"+00:00", "+01:00"} for row in entries)
