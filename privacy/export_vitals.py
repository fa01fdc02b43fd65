"""The export's tables of measurements, clinic sessions and questionnaires, live rows and
every version simple-history keeps of them."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from journal.models import ClinicSession, Measurement
from privacy.records import Table, history_columns, history_fields, moment, person
from questionnaires.models import QuestionnaireResponse, QuestionnaireSchedule

# The row builders read fields, foreign key ids and get_FOO_display only, so that they work
# on live rows and on historical versions alike.

MEASUREMENT_COLUMNS = (
    "id",
    "kind",
    "kind_label",
    "measured_at",
    "systolic",
    "diastolic",
    "pulse",
    "value",
    "entered_unit",
    "context",
    "with_warning_signs",
    "dose_id",
    "note",
    "logged_by",
    "created_at",
    "updated_at",
    "edited_at",
)
CLINIC_SESSION_COLUMNS = (
    "id",
    "dose_id",
    "ready_to_leave_at",
    "went_home",
    "note",
    "logged_by",
    "created_at",
    "updated_at",
)
RESPONSE_COLUMNS = (
    "id",
    "instrument",
    "answers",
    "difficulty",
    "score",
    "band",
    "completed_at",
    "dose_id",
    "logged_by",
    "created_at",
)
SCHEDULE_COLUMNS = ("instrument", "every")


def _measurement_row(row: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "measured_at": moment(row.measured_at, zone),
        "systolic": row.systolic,
        "diastolic": row.diastolic,
        "pulse": row.pulse,
        "value": str(row.value) if row.value is not None else None,  # °C for a temperature
        "entered_unit": row.entered_unit,
        "context": row.get_context_display(),
        "with_warning_signs": row.with_warning_signs,
        "dose_id": row.dose_id,
        "note": row.note,
        "logged_by": person(row.logged_by),
        "created_at": moment(row.created_at, zone),
        "updated_at": moment(row.updated_at, zone),
        "edited_at": moment(row.edited_at, zone),
    }


def _clinic_session_row(row: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "dose_id": row.dose_id,
        "ready_to_leave_at": moment(row.ready_to_leave_at, zone),
        "went_home": row.get_went_home_display() if row.went_home else "",
        "note": row.note,
        "logged_by": person(row.logged_by),
        "created_at": moment(row.created_at, zone),
        "updated_at": moment(row.updated_at, zone),
    }


def _response_row(row: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "instrument": row.get_instrument_display(),
        "answers": row.answers,
        "difficulty": row.difficulty,
        "score": row.score,
        "band": row.band,
        "completed_at": moment(row.completed_at, zone),
        "dose_id": row.dose_id,
        "logged_by": person(row.logged_by),
        "created_at": moment(row.created_at, zone),
    }


def vitals_tables(patient: User, zone: ZoneInfo) -> list[Table]:
    people = ("logged_by__profile",)
    versions = ("logged_by__profile", "history_user__profile")
    measurements = Measurement.objects.filter(patient=patient).select_related(*people)
    sessions = ClinicSession.objects.filter(dose__course__patient=patient).select_related(*people)
    responses = QuestionnaireResponse.objects.filter(patient=patient).select_related(*people)
    return [
        Table(
            "measurements",
            "Every reading you recorded: blood pressure (mmHg, with the pulse the cuff "
            "showed), heart rate (beats per minute), oxygen saturation (%) and body "
            "temperature (always in °C; entered_unit says what you typed it in), with the "
            "dose it was taken around (dose_id, see doses).",
            MEASUREMENT_COLUMNS,
            [_measurement_row(row, zone) for row in measurements.order_by("measured_at", "pk")],
        ),
        Table(
            "clinic_sessions",
            "What the clinic said about each session given there: when you were ready to "
            "leave and how you got home (dose_id, see doses).",
            CLINIC_SESSION_COLUMNS,
            [_clinic_session_row(row, zone) for row in sessions.order_by("dose_id")],
        ),
        Table(
            "questionnaire_responses",
            "Every questionnaire you filled in (PHQ-9, GAD-7, your weekly recall): the "
            "answers as given, the score and band worked out when it was saved.",
            RESPONSE_COLUMNS,
            [_response_row(row, zone) for row in responses.order_by("completed_at", "pk")],
        ),
        Table(
            "questionnaire_schedules",
            "When you asked to be reminded to fill in each questionnaire.",
            SCHEDULE_COLUMNS,
            [
                {"instrument": row.get_instrument_display(), "every": row.get_every_display()}
                for row in QuestionnaireSchedule.objects.filter(patient=patient).order_by("pk")
            ],
        ),
        *_history_tables(patient, zone, versions),
    ]


def _history_tables(patient: User, zone: ZoneInfo, related: tuple[str, ...]) -> list[Table]:
    measurements = Measurement.history.filter(patient_id=patient.pk).select_related(*related)
    sessions = ClinicSession.history.filter(dose__course__patient=patient).select_related(*related)
    responses = QuestionnaireResponse.history.filter(patient_id=patient.pk).select_related(*related)
    order = ("history_date", "history_id")
    return [
        Table(
            "measurements_history",
            "Every version of your readings, as for courses_history.",
            history_columns(MEASUREMENT_COLUMNS),
            [
                history_fields(v, zone) | _measurement_row(v, zone)
                for v in measurements.order_by(*order)
            ],
        ),
        Table(
            "clinic_sessions_history",
            "Every version of your clinic session records, as for courses_history.",
            history_columns(CLINIC_SESSION_COLUMNS),
            [
                history_fields(v, zone) | _clinic_session_row(v, zone)
                for v in sessions.order_by(*order)
            ],
        ),
        Table(
            "questionnaire_responses_history",
            "Every version of your questionnaire responses, as for courses_history.",
            history_columns(RESPONSE_COLUMNS),
            [history_fields(v, zone) | _response_row(v, zone) for v in responses.order_by(*order)],
        ),
    ]
