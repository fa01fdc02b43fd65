"""A report as one CSV table: a row per symptom summary, then a row per entry, then a row
per measurement and per questionnaire response.

One header row and a `row_type` column (`summary`, `entry`, `measurement` or
`questionnaire`) keep it easy to filter and to load into anything; columns that do not
apply to a row type are left empty. The measurement and questionnaire columns are there
only when the report holds such rows. Times are
ISO 8601 in the patient's time zone, with its offset, so they mean the same everywhere.

The text starts with a byte order mark: without it Excel reads UTF-8 as a legacy code page
and mangles accents and dashes; Python (`utf-8-sig`), pandas and LibreOffice skip it.

Cells are formula-injection safe (OWASP): text that a spreadsheet would run as a formula,
starting with = + - @ tab or carriage return, gets a leading apostrophe. Only text is
escaped; numbers Sidelog computes stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from reports.content import EntryRow, ReportContent, SymptomSummary
from reports.vitals import ReadingRow, ScoreRow

BYTE_ORDER_MARK = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

ENTRY_COLUMNS = (
    "entry_id",
    "symptom",
    "category",
    "onset",
    "resolved",
    "ongoing",
    "severity",
    "severity_label",
    "interference",
    "interference_label",
    "dose_taken_at",
    "drug",
    "dose_amount",
    "minutes_after_dose",
    "duration_minutes",
    "danger_signs",
    "read_as",
    "red_flag_action",
    "backfilled",
    "edited",
    "logged_by",
)
NOTES_COLUMN = "notes"
SUMMARY_COLUMNS = (
    "episodes",
    "days_affected",
    "worst_severity",
    "worst_severity_label",
    "median_severity",
    "median_interference",
    "median_minutes_from_dose",
    "median_duration_minutes",
    "share_resolved_within_2h",
    "previous_period_episodes",
    "change",
)

# A reading and a response also fill the entry columns that mean the same for them:
# dose_taken_at, drug, minutes_after_dose (readings), logged_by and notes (readings).
MEASUREMENT_COLUMNS = (
    "measurement_id",
    "measured_at",
    "measurement",
    "systolic_mmhg",
    "diastolic_mmhg",
    "pulse_per_min",
    "value",
    "unit",
    "reading_as_entered",
    "measurement_context",
    "high_blood_pressure",
)
QUESTIONNAIRE_COLUMNS = (
    "response_id",
    "completed_at",
    "questionnaire",
    "answers",
    "difficulty",
    "score",
    "band",
)

Cell = str | int | float | bool | None


def csv_text(content: ReportContent) -> str:
    """The whole report as CSV text, BOM first; the caller encodes it as UTF-8."""
    buffer = io.StringIO()
    csv_write(content, buffer)
    return buffer.getvalue()


def csv_write(content: ReportContent, out: TextIO) -> None:
    """Write `csv_text` row by row, never holding the whole table."""
    entry_columns = [*ENTRY_COLUMNS, *([NOTES_COLUMN] if content.notes_included else [])]
    header = ["row_type", *entry_columns, *SUMMARY_COLUMNS]
    if content.readings or content.scores:
        header += [*MEASUREMENT_COLUMNS, *QUESTIONNAIRE_COLUMNS]
    position = {name: index for index, name in enumerate(header)}

    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for summary in content.symptoms:
        writer.writerow(_row(header, position, "summary", _summary_cells(summary)))
    zone = content.zone
    for entry in content.entries:
        cells = _entry_cells(entry, zone)
        if content.notes_included:
            cells[NOTES_COLUMN] = entry.notes
        writer.writerow(_row(header, position, "entry", cells))
    for reading in content.readings:
        cells = _reading_cells(reading, zone)
        if content.notes_included:
            cells[NOTES_COLUMN] = reading.note
        writer.writerow(_row(header, position, "measurement", cells))
    for score in content.scores:
        writer.writerow(_row(header, position, "questionnaire", _score_cells(score, zone)))


def safe_cell(value: Cell) -> str:
    """A cell's text: numbers as numbers, text defused so it can never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _row(
    header: list[str], position: dict[str, int], row_type: str, cells: dict[str, Cell]
) -> list[str]:
    row = [""] * len(header)
    row[0] = row_type
    for name, value in cells.items():
        row[position[name]] = safe_cell(value)
    return row


def _local(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat(timespec="seconds")


def _entry_cells(entry: EntryRow, zone: ZoneInfo) -> dict[str, Cell]:
    return {
        "entry_id": entry.id,
        "symptom": entry.symptom,
        "category": entry.category,
        "onset": _local(entry.onset_at, zone),
        "resolved": _local(entry.resolved_at, zone),
        "ongoing": entry.resolved_at is None,
        "severity": entry.severity,
        "severity_label": entry.severity_label,
        "interference": entry.interference,
        "interference_label": entry.interference_label,
        "dose_taken_at": _local(entry.dose_taken_at, zone),
        "drug": entry.drug_name,
        "dose_amount": entry.dose_amount,
        "minutes_after_dose": entry.minutes_after_dose,
        "duration_minutes": entry.duration_minutes,
        "danger_signs": "; ".join(entry.danger_signs),
        "read_as": entry.read_as,
        "red_flag_action": entry.red_flag,
        "backfilled": entry.is_backfilled,
        "edited": entry.is_edited,
        "logged_by": entry.logged_by,
    }


def _summary_cells(summary: SymptomSummary) -> dict[str, Cell]:
    return {
        "symptom": summary.symptom,
        "category": summary.category,
        "episodes": summary.episodes,
        "days_affected": summary.days_affected,
        "worst_severity": summary.worst_severity,
        "worst_severity_label": summary.worst_severity_label,
        "median_severity": summary.median_severity,
        "median_interference": summary.median_interference,
        "median_minutes_from_dose": summary.median_minutes_from_dose,
        "median_duration_minutes": summary.median_duration_minutes,
        "share_resolved_within_2h": summary.share_resolved_within_2h,
        "previous_period_episodes": summary.previous_episodes,
        "change": summary.change,
    }


def _reading_cells(reading: ReadingRow, zone: ZoneInfo) -> dict[str, Cell]:
    return {
        "measurement_id": reading.id,
        "measured_at": _local(reading.measured_at, zone),
        "measurement": reading.kind_label,
        "systolic_mmhg": reading.systolic,
        "diastolic_mmhg": reading.diastolic,
        "pulse_per_min": reading.pulse,
        "value": reading.value,
        "unit": reading.unit,
        "reading_as_entered": reading.reading,
        "measurement_context": reading.context_label,
        "high_blood_pressure": reading.is_high if reading.is_blood_pressure else None,
        "dose_taken_at": _local(reading.dose_taken_at, zone),
        "drug": reading.drug_name,
        "minutes_after_dose": reading.minutes_after_dose,
        "logged_by": reading.logged_by,
    }


def _score_cells(score: ScoreRow, zone: ZoneInfo) -> dict[str, Cell]:
    return {
        "response_id": score.id,
        "completed_at": _local(score.completed_at, zone),
        "questionnaire": score.instrument_label,
        "answers": " ".join(str(answer) for answer in score.answers),
        "difficulty": score.difficulty,
        "score": score.score,
        "band": score.band,
        "dose_taken_at": _local(score.dose_taken_at, zone),
        "drug": score.drug_name,
        "logged_by": score.logged_by,
    }
