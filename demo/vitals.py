"""The demo patient's readings and questionnaires: the blood pressure the clinic took at the
latest esketamine session (138/86 before the spray, 176/104 at 40 minutes, 142/88 before
leaving), what the clinic said about going home, a few home readings, and two PHQ-9s.

Written with the ORM after the month's journal, like a patient copying down what the clinic
measured; only moments already past are written.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import patient_zone
from journal.models import ClinicSession, DoseEvent, Measurement
from questionnaires.models import Instrument, QuestionnaireResponse
from questionnaires.services import questionnaire_response_create

Context = Measurement.Context
# (context, minutes after the dose, systolic, diastolic, pulse)
CLINIC_READINGS = (
    (Context.BEFORE_DOSE, -10, 138, 86, 74),
    (Context.AFTER_40_MIN, 40, 176, 104, 92),
    (Context.DISCHARGE, 120, 142, 88, 80),
)
SESSION_LENGTH = timedelta(minutes=130)
# (days before today, hour, systolic, diastolic, pulse)
HOME_READINGS = ((12, 8, 128, 82, 68), (8, 8, 131, 84, 70), (3, 8, 126, 80, 66))
# PHQ-9 answers (0-3 per item, the published order), two weeks apart: the mood lifting.
PHQ9_ANSWERS = ([2, 2, 2, 2, 1, 2, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1, 0, 0])


def demo_vitals_build(*, patient: User, today: date) -> None:
    """Replace the patient's readings and questionnaires with the demo's."""
    for model in (Measurement, QuestionnaireResponse):
        model.objects.filter(patient=patient).delete()
        model.history.filter(patient_id=patient.pk).delete()
    now = timezone.now()
    sessions = list(
        DoseEvent.objects.filter(
            course__patient=patient,
            course__drug__slug="esketamine",
            setting=DoseEvent.Setting.CLINIC,
            taken_at__lte=now - SESSION_LENGTH,
        ).order_by("-taken_at")
    )
    if not sessions:
        return
    latest = sessions[0]
    _clinic_readings(patient, latest)
    zone = patient_zone(patient)
    for back, hour, systolic, diastolic, pulse in HOME_READINGS:
        at = datetime.combine(today - timedelta(days=back), time(hour), tzinfo=zone)
        if at <= now:
            _pressure(patient, None, at, Context.HOME, (systolic, diastolic, pulse))
    two_weeks_before = latest.taken_at - timedelta(days=12)
    earlier = next((dose for dose in sessions if dose.taken_at <= two_weeks_before), None)
    for dose, answers in zip((earlier, latest), PHQ9_ANSWERS, strict=True):
        if dose is not None:
            _phq9(patient, dose, answers)


def _pressure(
    patient: User,
    dose: DoseEvent | None,
    at: datetime,
    context: str,
    numbers: tuple[int, int, int],
) -> None:
    systolic, diastolic, pulse = numbers
    reading = Measurement.objects.create(
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
    Measurement.objects.filter(pk=reading.pk).update(created_at=at + timedelta(minutes=5))


def _clinic_readings(patient: User, dose: DoseEvent) -> None:
    for context, minutes, systolic, diastolic, pulse in CLINIC_READINGS:
        at = dose.taken_at + timedelta(minutes=minutes)
        _pressure(patient, dose, at, context, (systolic, diastolic, pulse))
    ClinicSession.objects.update_or_create(
        dose=dose,
        defaults={
            "ready_to_leave_at": dose.taken_at + timedelta(minutes=125),
            "went_home": ClinicSession.WentHome.DRIVEN,
            "note": "The nurse rechecked my blood pressure before I left.",
            "logged_by": patient,
        },
    )
    temperature = dose.taken_at + timedelta(hours=8)
    if temperature <= timezone.now():
        Measurement.objects.create(
            patient=patient,
            kind=Measurement.Kind.BODY_TEMPERATURE,
            measured_at=temperature,
            value=Decimal("36.8"),
            entered_unit=Measurement.TemperatureUnit.CELSIUS,
            logged_by=patient,
        )


def _phq9(patient: User, dose: DoseEvent, answers: list[int]) -> None:
    questionnaire_response_create(
        patient=patient,
        logged_by=patient,
        instrument=Instrument.PHQ_9,
        answers=answers,
        difficulty=1,
        completed_at=dose.taken_at - timedelta(minutes=20),
        dose=dose,
    )
