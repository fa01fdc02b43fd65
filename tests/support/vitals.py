"""Measurements, clinic sessions and questionnaire responses written with the ORM, for the
report, privacy and demo tests: the issue's clinic session (138/86 before an esketamine
dose, 176/104 at 40 minutes, 142/88 at discharge) and PHQ-9 answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User

from journal.models import ClinicSession, DoseEvent, Measurement
from questionnaires.models import Instrument, QuestionnaireResponse
from questionnaires.services import questionnaire_response_create

CLINIC_READINGS = (
    (Measurement.Context.BEFORE_DOSE, -10, 138, 86),
    (Measurement.Context.AFTER_40_MIN, 40, 176, 104),
    (Measurement.Context.DISCHARGE, 120, 142, 88),
)


def blood_pressure(
    dose: DoseEvent | None,
    *,
    patient: User,
    at: datetime,
    systolic: int,
    diastolic: int,
    context: str = Measurement.Context.HOME,
    pulse: int | None = None,
) -> Measurement:
    return Measurement.objects.create(
        patient=patient,
        kind=Measurement.Kind.BLOOD_PRESSURE,
        measured_at=at,
        systolic=systolic,
        diastolic=diastolic,
        pulse=pulse,
        context=context,
        dose=dose,
        logged_by=patient,
    )


def reading(patient: User, kind: str, value: str, at: datetime, *, note: str = "") -> Measurement:
    """A heart rate, oxygen saturation or body temperature (°C) reading, taken at home."""
    return Measurement.objects.create(
        patient=patient,
        kind=kind,
        measured_at=at,
        value=Decimal(value),
        note=note,
        logged_by=patient,
    )


def clinic_session(dose: DoseEvent) -> ClinicSession:
    """The issue's session: 138/86 before, 176/104 at 40 min, 142/88 at discharge (with
    pulses 72, 96, 80), ready to leave 2 h 5 min after the dose, driven home."""
    patient = dose.course.patient
    for (context, minutes, systolic, diastolic), pulse in zip(
        CLINIC_READINGS, (72, 96, 80), strict=True
    ):
        blood_pressure(
            dose,
            patient=patient,
            at=dose.taken_at + timedelta(minutes=minutes),
            systolic=systolic,
            diastolic=diastolic,
            context=context,
            pulse=pulse,
        )
    return ClinicSession.objects.create(
        dose=dose,
        ready_to_leave_at=dose.taken_at + timedelta(minutes=125),
        went_home=ClinicSession.WentHome.DRIVEN,
        logged_by=patient,
    )


def phq9(
    patient: User, answers: list[int], at: datetime, dose: DoseEvent | None = None
) -> QuestionnaireResponse:
    return questionnaire_response_create(
        patient=patient,
        logged_by=patient,
        instrument=Instrument.PHQ_9,
        answers=answers,
        difficulty=1,
        completed_at=at,
        dose=dose,
    )


def gad7(patient: User, answers: list[int], at: datetime) -> QuestionnaireResponse:
    return questionnaire_response_create(
        patient=patient,
        logged_by=patient,
        instrument=Instrument.GAD_7,
        answers=answers,
        completed_at=at,
        dose=None,
    )
