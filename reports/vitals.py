"""What a report says about measurements and questionnaires: the readings in the period,
the blood pressure around each ketamine or esketamine session, and the PHQ-9 and GAD-7
scores.

Rows are flat dataclasses, stored with the report's content as JSON like its entries.
"High" blood pressure is a description of the numbers against a published mark, never a
diagnosis and never a reason Sidelog gives for any change of treatment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User

from journal.models import CHECKIN_DRUG_SLUGS, ClinicSession, DoseEvent, Measurement
from questionnaires.models import Instrument, QuestionnaireResponse
from reference.models import MeasurementKind

# At or above either number a reading counts as high in the report.
HIGH_SYSTOLIC = 140
HIGH_DIASTOLIC = 90
HIGH_MEANING = (
    f"Here a blood pressure counts as high at {HIGH_SYSTOLIC} mmHg systolic or "
    f"{HIGH_DIASTOLIC} mmHg diastolic or more: the mark the SPRAVATO (esketamine) Prescribing "
    "Information gives for an elevated blood pressure (section 5.7, Increases in Blood "
    "Pressure; 5.6 in the 2019 label). It describes the readings; it is not a diagnosis."
)
FEVER_FROM_C = 38.0
SCORED_INSTRUMENTS = (Instrument.PHQ_9.value, Instrument.GAD_7.value)
MAX_SCORES = {Instrument.PHQ_9.value: 27, Instrument.GAD_7.value: 21}
# How a reading's number is written in the report.
UNITS = {
    MeasurementKind.BLOOD_PRESSURE.value: "mmHg",
    MeasurementKind.HEART_RATE.value: "beats per minute",
    MeasurementKind.OXYGEN_SATURATION.value: "%",
    MeasurementKind.BODY_TEMPERATURE.value: "°C",
}
NOT_MEASURED = "not recorded"

LoggedBy = Callable[[User | None], str]


@dataclass(frozen=True)
class ReadingRow:
    """One measurement as the report shows it; a temperature always in °C."""

    id: int
    kind: str
    kind_label: str
    measured_at: datetime
    reading: str  # as the patient reads it, in the unit they typed
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    value: float | None
    unit: str
    context: str
    context_label: str
    dose_id: int | None
    dose_taken_at: datetime | None
    drug_name: str | None
    minutes_after_dose: int | None
    logged_by: str
    note: str = ""

    @property
    def is_blood_pressure(self) -> bool:
        return self.kind == MeasurementKind.BLOOD_PRESSURE

    @property
    def is_high(self) -> bool:
        return is_high(self.systolic, self.diastolic)

    @property
    def is_fever(self) -> bool:
        return (
            self.kind == MeasurementKind.BODY_TEMPERATURE
            and self.value is not None
            and self.value >= FEVER_FROM_C
        )

    @property
    def pressure(self) -> str:
        return f"{self.systolic}/{self.diastolic}" if self.is_blood_pressure else ""


@dataclass(frozen=True)
class SessionRow:
    """A ketamine or esketamine dose with its blood pressure readings and clinic record."""

    dose_id: int
    drug_name: str
    taken_at: datetime
    amount: str
    before: str
    at_40_min: str
    discharge: str
    readings: int
    highest: str
    highest_at: datetime | None
    high_since: datetime | None
    high_until: datetime | None
    ready_to_leave_at: datetime | None = None
    went_home: str = ""

    @property
    def high_for(self) -> str:
        """How long the pressure stayed high after the dose, in words."""
        if self.high_since is None:
            return "Not high after the dose"
        if self.high_until is None:
            return "Still high at the last reading"
        return "High for " + duration_text((self.high_until - self.high_since).total_seconds())


@dataclass(frozen=True)
class ScoreRow:
    """One questionnaire response: its score and band as worked out when it was saved."""

    id: int
    instrument: str
    instrument_label: str
    completed_at: datetime
    score: int | None
    band: str
    answers: list[int] = field(default_factory=list)  # PHQ-9 and GAD-7 only
    difficulty: int | None = None
    dose_id: int | None = None
    dose_taken_at: datetime | None = None
    drug_name: str | None = None
    logged_by: str = ""

    @property
    def is_scored(self) -> bool:
        return self.instrument in SCORED_INSTRUMENTS

    @property
    def score_text(self) -> str:
        if self.score is None:
            return "–"
        top = MAX_SCORES.get(self.instrument)
        return f"{self.score} of {top}" if top else str(self.score)


def is_high(systolic: int | None, diastolic: int | None) -> bool:
    if systolic is None or diastolic is None:
        return False
    return systolic >= HIGH_SYSTOLIC or diastolic >= HIGH_DIASTOLIC


def duration_text(seconds: float) -> str:
    """ "45 min", "2 h 5 min", "3 d 4 h"."""
    days, rest = divmod(round(seconds / 60), 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{amount} {unit}" for amount, unit in ((days, "d"), (hours, "h"), (mins, "min")) if amount
    ]
    return " ".join(parts[:2]) or "0 min"


def readings_in(
    *,
    patient: User,
    start: datetime,
    end: datetime,
    chosen: list[int],
    include_notes: bool,
    logged_by: LoggedBy,
) -> list[ReadingRow]:
    """The patient's readings in [start, end), oldest first; with chosen courses, none
    linked to another course's dose."""
    measurements = (
        Measurement.objects.filter(patient=patient, measured_at__gte=start, measured_at__lt=end)
        .select_related("dose__course__drug", "logged_by__profile")
        .order_by("measured_at", "pk")
    )
    rows = []
    for measurement in measurements:
        dose = measurement.dose
        if chosen and dose is not None and dose.course_id not in chosen:
            continue
        rows.append(_reading_row(measurement, include_notes, logged_by))
    return rows


def _reading_row(measurement: Measurement, include_notes: bool, logged_by: LoggedBy) -> ReadingRow:
    dose = measurement.dose
    value = measurement.value
    return ReadingRow(
        id=measurement.pk,
        kind=measurement.kind,
        kind_label=measurement.get_kind_display(),
        measured_at=measurement.measured_at,
        reading=measurement.reading,
        systolic=measurement.systolic,
        diastolic=measurement.diastolic,
        pulse=measurement.pulse,
        value=float(value) if value is not None else None,
        unit=UNITS[measurement.kind],
        context=measurement.context,
        context_label=measurement.get_context_display(),
        dose_id=dose.pk if dose else None,
        dose_taken_at=dose.taken_at if dose else None,
        drug_name=dose.course.drug.name if dose else None,
        minutes_after_dose=(
            int((measurement.measured_at - dose.taken_at).total_seconds() // 60) if dose else None
        ),
        logged_by=logged_by(measurement.logged_by),
        note=measurement.note if include_notes else "",
    )


def sessions_in(doses: list[DoseEvent], readings: list[ReadingRow]) -> list[SessionRow]:
    """Each ketamine or esketamine dose with a blood pressure reading or a clinic record."""
    session_doses = [dose for dose in doses if dose.course.drug.slug in CHECKIN_DRUG_SLUGS]
    if not session_doses:
        return []
    pressures: dict[int, list[ReadingRow]] = defaultdict(list)
    for row in readings:
        if row.is_blood_pressure and row.dose_id is not None:
            pressures[row.dose_id].append(row)
    records = {
        record.dose_id: record
        for record in ClinicSession.objects.filter(dose__in=[dose.pk for dose in session_doses])
    }
    return [
        _session_row(dose, pressures.get(dose.pk, []), records.get(dose.pk))
        for dose in session_doses
        if dose.pk in pressures or dose.pk in records
    ]


def _session_row(
    dose: DoseEvent, pressures: list[ReadingRow], record: ClinicSession | None
) -> SessionRow:
    def latest(context: str) -> str:
        found = [row.pressure for row in pressures if row.context == context]
        return found[-1] if found else NOT_MEASURED

    after = [row for row in pressures if row.measured_at >= dose.taken_at]
    highest = max(after, key=lambda row: (row.systolic or 0, row.diastolic or 0), default=None)
    high_since, high_until = _high_spell(after)
    return SessionRow(
        dose_id=dose.pk,
        drug_name=dose.course.drug.name,
        taken_at=dose.taken_at,
        amount=dose.amount,
        before=latest(Measurement.Context.BEFORE_DOSE),
        at_40_min=latest(Measurement.Context.AFTER_40_MIN),
        discharge=latest(Measurement.Context.DISCHARGE),
        readings=len(pressures),
        highest=highest.pressure if highest else NOT_MEASURED,
        highest_at=highest.measured_at if highest else None,
        high_since=high_since,
        high_until=high_until,
        ready_to_leave_at=record.ready_to_leave_at if record else None,
        went_home=record.get_went_home_display() if record and record.went_home else "",
    )


def _high_spell(after: list[ReadingRow]) -> tuple[datetime | None, datetime | None]:
    """From the first high reading after the dose to the first reading below it after that
    (None when the last reading was still high)."""
    since = next((row.measured_at for row in after if row.is_high), None)
    if since is None:
        return None, None
    until = next((r.measured_at for r in after if r.measured_at > since and not r.is_high), None)
    return since, until


def scores_in(
    *, patient: User, start: datetime, end: datetime, logged_by: LoggedBy
) -> list[ScoreRow]:
    """The patient's questionnaire responses completed in [start, end), oldest first."""
    responses = (
        QuestionnaireResponse.objects.filter(
            patient=patient, completed_at__gte=start, completed_at__lt=end
        )
        .select_related("dose__course__drug", "logged_by__profile")
        .order_by("completed_at", "pk")
    )
    return [_score_row(response, logged_by) for response in responses]


def _score_row(response: QuestionnaireResponse, logged_by: LoggedBy) -> ScoreRow:
    dose = response.dose
    scored = response.instrument in SCORED_INSTRUMENTS
    return ScoreRow(
        id=response.pk,
        instrument=response.instrument,
        instrument_label=response.get_instrument_display(),
        completed_at=response.completed_at,
        score=response.score,
        band=response.band,
        answers=[int(answer) for answer in response.answers] if scored else [],
        difficulty=response.difficulty,
        dose_id=dose.pk if dose else None,
        dose_taken_at=dose.taken_at if dose else None,
        drug_name=dose.course.drug.name if dose else None,
        logged_by=logged_by(response.logged_by),
    )
