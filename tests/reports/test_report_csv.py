"""The CSV export: one table, a row per symptom summary and per entry, safe in a spreadsheet.

The `make_*` helpers (tests/support/report_content.py) build report content by hand.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reports.content import (
    report_content,
)
from reports.models import Report
from reports.spreadsheet import ENTRY_COLUMNS, SUMMARY_COLUMNS, csv_text
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    seeded_side_effect,
)
from tests.support.report_content import (
    make_content,
    make_entry,
    make_summary,
    many_entries,
)


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
