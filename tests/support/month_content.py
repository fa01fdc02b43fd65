"""A patient's month of report content built by hand, no database: many symptoms, doses
and entries spread over the period; the chart and PDF tests read it."""

from __future__ import annotations

import random
from dataclasses import replace
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

START = date(2026, 3, 1)
START_UTC = datetime(2026, 3, 1, tzinfo=UTC)
SYMPTOMS = [
    "Dissociation",
    "Dizziness",
    "Nausea",
    "Headache",
    "Drowsiness",
    "Raised blood pressure",
    "Anxiety",
    "Blurred vision",
    "Numbness",
    "Dry mouth",
]


def entry_row(
    index: int,
    symptom: str,
    onset_at: datetime,
    *,
    severity: int = 2,
    interference: int = 1,
    duration_minutes: int | None = 90,
    dose: DoseMark | None = None,
    red_flag: str | None = None,
    is_backfilled: bool = False,
    is_edited: bool = False,
    notes: str = "",
    slug: str | None = "slug",
) -> EntryRow:
    return EntryRow(
        id=index,
        symptom=symptom,
        side_effect_slug=slug and symptom.lower().replace(" ", "-"),
        category="dissociative" if symptom == "Dissociation" else "common",
        onset_at=onset_at,
        resolved_at=(
            onset_at + timedelta(minutes=duration_minutes) if duration_minutes is not None else None
        ),
        severity=severity,
        severity_label=Severity(severity).label,
        interference=interference,
        interference_label=Interference(interference).label,
        dose_id=dose.id if dose else None,
        dose_taken_at=dose.taken_at if dose else None,
        drug_name=dose.drug_name if dose else None,
        minutes_after_dose=int((onset_at - dose.taken_at).total_seconds() // 60) if dose else None,
        duration_minutes=duration_minutes,
        logged_by="pat",
        created_at=onset_at + (timedelta(days=3) if is_backfilled else timedelta(minutes=5)),
        edited_at=onset_at + timedelta(hours=2) if is_edited else None,
        is_backfilled=is_backfilled,
        is_edited=is_edited,
        red_flag=red_flag,
        notes=notes,
    )


def summary_for(symptom: str, rows: list[EntryRow], **changes: Any) -> SymptomSummary:
    mine = [row for row in rows if row.symptom.strip() == symptom]
    summary = SymptomSummary(
        symptom=symptom,
        side_effect_slug=mine[0].side_effect_slug if mine else None,
        category=mine[0].category if mine else None,
        episodes=len(mine),
        days_affected=len({row.onset_at.date() for row in mine}),
        worst_severity=max((row.severity for row in mine), default=0),
        median_severity=2.0,
        median_interference=1.0,
        median_minutes_from_dose=45.0,
        median_duration_minutes=90.0,
        share_resolved_within_2h=0.5 if symptom == "Dissociation" else None,
        previous_episodes=2,
        previous_median_severity=1.0,
    )
    return replace(summary, **changes)


def month_content(
    *,
    entries: int = 12,
    symptoms: int = 3,
    rows: list[EntryRow] | None = None,
    doses: int = 4,
    days: int = 28,
    notes_included: bool = False,
    seed: int = 1,
) -> ReportContent:
    """A patient's month: `entries` entries spread over `symptoms` symptoms and `doses` doses.

    Every entry is moderate and plain (not notable) unless `rows` is given.
    """
    randomizer = random.Random(seed)
    dose_marks = [
        DoseMark(
            id=number + 1,
            course_id=1,
            drug_name="Esketamine",
            taken_at=START_UTC + timedelta(days=number * days / max(doses, 1), hours=10),
            setting="clinic",
            is_backfilled=False,
            is_edited=False,
        )
        for number in range(doses)
    ]
    if rows is None:
        names = SYMPTOMS[:symptoms]
        rows = []
        for index in range(entries):
            onset = START_UTC + timedelta(minutes=randomizer.randrange(days * 24 * 60 - 300))
            earlier = [dose for dose in dose_marks if dose.taken_at <= onset]
            rows.append(
                entry_row(
                    index + 1,
                    names[index % len(names)],
                    onset,
                    severity=randomizer.choice([1, 2]),
                    duration_minutes=randomizer.choice([None, 30, 90, 240]),
                    dose=earlier[-1] if earlier else None,
                )
            )
        rows.sort(key=lambda row: row.onset_at)
    names_in_order = list(dict.fromkeys(row.symptom.strip() for row in rows))
    return ReportContent(
        report_id=1,
        patient_id=1,
        patient_name="Pat Example",
        time_zone="Europe/London",
        period_start=START,
        period_end=START + timedelta(days=days - 1),
        previous_start=START - timedelta(days=days),
        previous_end=START - timedelta(days=1),
        generated_at=datetime(2026, 4, 1, 9, 30, tzinfo=UTC),
        notes_included=notes_included,
        courses=[
            CourseSummary(
                id=1,
                drug_name="Esketamine",
                drug_slug="esketamine",
                atc_code="N06AX27",
                rxnorm_code="2103266",
                route="nasal",
                route_label="Nasal spray",
                started_on=date(2026, 1, 5),
                stopped_on=None,
                regimen="56 mg twice a week in clinic",
                doses_logged=len(dose_marks),
            )
        ],
        symptoms=[summary_for(name, rows) for name in names_in_order],
        entries=rows,
        doses=dose_marks,
        red_flag_events=[row for row in rows if row.red_flag],
        backfilled_or_edited=[row for row in rows if row.is_backfilled or row.is_edited],
    )
