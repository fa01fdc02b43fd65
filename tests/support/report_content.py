"""Report content built by hand, no database: one course, dose, entry and summary each,
changed by keyword; the CSV and FHIR tests read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from reference.models import Interference, Severity
from reports.content import (
    CourseSummary,
    DoseMark,
    EntryRow,
    ReportContent,
    SymptomSummary,
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
    fields.setdefault(
        "backfilled_or_edited",
        [e for e in fields["entries"] if e.is_backfilled or e.is_edited],
    )
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
