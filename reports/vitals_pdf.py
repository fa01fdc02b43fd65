"""The PDF's section on measurements and questionnaires, as ready-made strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from reports.content import ReportContent
from reports.vitals import HIGH_MEANING, ReadingRow, ScoreRow, SessionRow, duration_text

# A provider reads the readings around a few sessions, not a year of daily home readings;
# the CSV and FHIR files hold every one.
READING_LIMIT = 60


@dataclass(frozen=True)
class ReadingLine:
    when: str
    kind: str
    reading: str
    context: str
    after_dose: str
    high: str
    note: str


@dataclass(frozen=True)
class SessionLine:
    when: str
    drug: str
    before: str
    at_40_min: str
    discharge: str
    highest: str
    high_for: str
    ready_to_leave: str
    went_home: str


@dataclass(frozen=True)
class ScoreLine:
    when: str
    instrument: str
    score: str
    band: str
    session: str


def vitals_context(content: ReportContent) -> dict[str, Any]:
    """What the template's measurements section shows; empty when there is nothing."""
    zone = content.zone
    readings = content.readings
    listed = readings[-READING_LIMIT:]
    return {
        "has_vitals": bool(readings or content.scores),
        "high_meaning": HIGH_MEANING,
        "sessions": [_session_line(row, zone) for row in content.sessions],
        "readings": [_reading_line(row, zone) for row in listed],
        "reading_count": len(readings),
        "readings_left_out": len(readings) - len(listed),
        "fevers": [_reading_line(row, zone) for row in content.fevers],
        "scores": [_score_line(row, zone) for row in content.scores],
    }


def _moment(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "–"
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _clock(moment: datetime | None, zone: ZoneInfo) -> str:
    return "–" if moment is None else f"{moment.astimezone(zone):%H:%M}"


def _reading_line(row: ReadingRow, zone: ZoneInfo) -> ReadingLine:
    after = "–"
    if row.minutes_after_dose is not None:
        minutes = row.minutes_after_dose
        words = duration_text(abs(minutes) * 60)
        after = f"{words} before" if minutes < 0 else words
        after += f" ({row.drug_name})" if row.drug_name else ""
    return ReadingLine(
        when=_moment(row.measured_at, zone),
        kind=row.kind_label,
        reading=row.reading,
        context=row.context_label,
        after_dose=after,
        high="high" if row.is_high else "",
        note=row.note,
    )


def _session_line(row: SessionRow, zone: ZoneInfo) -> SessionLine:
    high_for = row.high_for
    if row.high_since is not None:
        high_for += f" (from {_clock(row.high_since, zone)}"
        high_for += f" to {_clock(row.high_until, zone)})" if row.high_until else ")"
    highest = row.highest
    if row.highest_at is not None:
        highest += f" at {_clock(row.highest_at, zone)}"
    return SessionLine(
        when=_moment(row.taken_at, zone),
        drug=", ".join(part for part in (row.drug_name, row.amount) if part),
        before=row.before,
        at_40_min=row.at_40_min,
        discharge=row.discharge,
        highest=highest,
        high_for=high_for,
        ready_to_leave=_clock(row.ready_to_leave_at, zone),
        went_home=row.went_home or "–",
    )


def _score_line(row: ScoreRow, zone: ZoneInfo) -> ScoreLine:
    session = "–"
    if row.dose_taken_at is not None:
        session = f"{row.drug_name}, {_moment(row.dose_taken_at, zone)}"
    return ScoreLine(
        when=_moment(row.completed_at, zone),
        instrument=row.instrument_label,
        score=row.score_text,
        band=row.band or "–",
        session=session,
    )
