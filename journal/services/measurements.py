"""Readings (blood pressure, pulse, oxygen saturation, temperature) and the record of a
ketamine or esketamine session given in a clinic: logging, correcting and deleting them.

A reading is checked against the bounds a device can show (`journal.models.measurements`);
one outside is refused with a clear error and nothing saved. A real but alarming reading
goes through, and its red flags say who to contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.selectors import patient_profile
from audit.services import audit_caregiver_acted
from journal.models import (
    CHECKIN_DRUG_SLUGS,
    DIASTOLIC,
    PULSE,
    SYSTOLIC,
    VALUE_BOUNDS,
    Bounds,
    ClinicSession,
    DoseEvent,
    Measurement,
    celsius_from_fahrenheit,
)
from journal.selectors.records import dose_suggested
from journal.services.common import SUGGESTED, _raise, _refuse_implausible, _Suggested

BLOOD_PRESSURE = Measurement.Kind.BLOOD_PRESSURE
TEMPERATURE = Measurement.Kind.BODY_TEMPERATURE
FAHRENHEIT = Measurement.TemperatureUnit.FAHRENHEIT
# The highest and lowest body temperature a thermometer shows, in °F.
BODY_TEMPERATURE_F = Bounds(Decimal("86.0"), Decimal("113.0"), "°F")
# A reading is taken around a dose: within this of it, before or after.
AROUND_DOSE = timedelta(hours=24)
NOT_A_CLINIC_SESSION = (
    "A clinic session record is for a ketamine or esketamine dose given in a clinic."
)


@dataclass(frozen=True)
class MeasurementInput:
    kind: str
    measured_at: datetime
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None
    # Heart rate, oxygen saturation or temperature, as typed (a temperature in `unit`).
    value: Decimal | None = None
    unit: str = ""  # "C" or "F", temperatures only; empty: the patient's preference
    context: str = Measurement.Context.HOME
    note: str = ""
    with_warning_signs: bool = False


def _out_of_bounds(value: Decimal | int, bounds: Bounds, what: str) -> str | None:
    if bounds.low <= value <= bounds.high:
        return None
    low, high = f"{bounds.low.normalize():f}", f"{bounds.high.normalize():f}"
    return (
        f"{what} must be between {low} and {high} {bounds.unit}. "
        "Check the number on the device and type it again."
    )


def _blood_pressure_problems(data: MeasurementInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, bounds, what in (
        ("systolic", SYSTOLIC, "The top number (systolic)"),
        ("diastolic", DIASTOLIC, "The bottom number (diastolic)"),
        ("pulse", PULSE, "The pulse"),
    ):
        number = getattr(data, field)
        if number is None:
            if field != "pulse":
                errors[field] = f"Enter {what[0].lower()}{what[1:]}."
        elif problem := _out_of_bounds(number, bounds, what):
            errors[field] = problem
    if data.value is not None:
        errors["value"] = "A blood pressure reading takes its two numbers, not a value."
    pair = (data.systolic, data.diastolic)
    if not errors and pair[0] is not None and pair[1] is not None and pair[0] <= pair[1]:
        errors["diastolic"] = "The top number (systolic) must be higher than the bottom one."
    return errors


def _value_problems(data: MeasurementInput, unit: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("systolic", "diastolic", "pulse"):
        if getattr(data, field) is not None:
            errors[field] = "Only a blood pressure reading has this number."
    kind = Measurement.Kind(data.kind)
    if data.value is None:
        errors["value"] = f"Enter the {kind.label.lower()}."
        return errors
    bounds = VALUE_BOUNDS[kind]
    if kind == TEMPERATURE and unit == FAHRENHEIT:
        bounds = BODY_TEMPERATURE_F
    if problem := _out_of_bounds(data.value, bounds, f"A {kind.label.lower()}"):
        errors["value"] = problem
    return errors


def _temperature_unit(patient: User, data: MeasurementInput) -> str:
    if data.kind != TEMPERATURE:
        return ""
    if data.unit:
        return data.unit
    profile = patient_profile(patient)
    return profile.temperature_unit if profile else Measurement.TemperatureUnit.CELSIUS


def _validate(*, patient: User, data: MeasurementInput, unit: str, dose: DoseEvent | None) -> None:
    errors: dict[str, str] = {}
    if data.kind not in Measurement.Kind.values:
        errors["kind"] = "Choose blood pressure, heart rate, oxygen saturation or temperature."
    elif data.kind == BLOOD_PRESSURE:
        errors |= _blood_pressure_problems(data)
    else:
        errors |= _value_problems(data, unit)
    if unit and unit not in Measurement.TemperatureUnit.values:
        errors["unit"] = "Choose °C or °F."
    if data.context not in Measurement.Context.values:
        errors["context"] = "Choose when the reading was taken."
    _refuse_implausible(errors, "measured_at", data.measured_at, "The time of the reading")
    if dose is not None:
        errors |= _dose_problems(patient=patient, data=data, dose=dose)
    _raise(errors)


def _dose_problems(*, patient: User, data: MeasurementInput, dose: DoseEvent) -> dict[str, str]:
    if dose.course.patient_id != patient.pk:
        return {"dose": "Choose one of your own doses."}
    if abs(data.measured_at - dose.taken_at) > AROUND_DOSE:
        return {"dose": "This dose was more than 24 hours from the reading."}
    if data.context == Measurement.Context.BEFORE_DOSE and data.measured_at > dose.taken_at:
        return {"context": "A reading before the dose was taken before it: check the times."}
    return {}


def _resolve_dose(
    *, patient: User, data: MeasurementInput, dose: DoseEvent | _Suggested | None
) -> DoseEvent | None:
    """The dose chosen, or, for `SUGGESTED`, the one Sidelog suggests as for a symptom (none
    for a reading before a dose: it comes before the dose it belongs to)."""
    if not isinstance(dose, _Suggested):
        return dose
    if data.context == Measurement.Context.BEFORE_DOSE:
        return None
    return dose_suggested(patient=patient, onset_at=data.measured_at)


def _fill(measurement: Measurement, data: MeasurementInput, unit: str) -> None:
    value = data.value
    if value is not None and unit == FAHRENHEIT:
        value = celsius_from_fahrenheit(value)  # 86–113 °F is 30–45 °C
    measurement.kind = data.kind
    measurement.measured_at = data.measured_at
    measurement.systolic = data.systolic
    measurement.diastolic = data.diastolic
    measurement.pulse = data.pulse
    measurement.value = value
    measurement.entered_unit = unit
    measurement.context = data.context
    measurement.note = data.note
    measurement.with_warning_signs = data.with_warning_signs


@transaction.atomic
def measurement_create(
    *,
    patient: User,
    logged_by: User,
    data: MeasurementInput,
    dose: DoseEvent | _Suggested | None = SUGGESTED,
    request: HttpRequest | None = None,
) -> Measurement:
    """Save a reading and the first row of its history, both or neither."""
    unit = _temperature_unit(patient, data)
    _validate(patient=patient, data=data, unit=unit, dose=None)
    chosen = _resolve_dose(patient=patient, data=data, dose=dose)
    _validate(patient=patient, data=data, unit=unit, dose=chosen)
    measurement = Measurement(patient=patient, logged_by=logged_by, dose=chosen)
    _fill(measurement, data, unit)
    measurement._history_user = logged_by  # type: ignore[attr-defined]  # django-simple-history
    measurement.save(force_insert=True)
    audit_caregiver_acted(
        patient_id=patient.pk, actor=logged_by, what="logged a reading", request=request
    )
    return measurement


@transaction.atomic
def measurement_update(
    *,
    measurement: Measurement,
    data: MeasurementInput,
    dose: DoseEvent | _Suggested | None,
    acted_by: User | None = None,
    request: HttpRequest | None = None,
) -> Measurement:
    """Change a reading. The old version stays in its history and it shows as edited."""
    patient = measurement.patient
    unit = _temperature_unit(patient, data)
    _validate(patient=patient, data=data, unit=unit, dose=None)
    chosen = _resolve_dose(patient=patient, data=data, dose=dose)
    _validate(patient=patient, data=data, unit=unit, dose=chosen)
    _fill(measurement, data, unit)
    measurement.dose = chosen
    measurement.edited_at = timezone.now()
    if acted_by is not None:
        measurement._history_user = acted_by  # type: ignore[attr-defined]
    measurement.save()
    audit_caregiver_acted(
        patient_id=patient.pk, actor=acted_by, what="changed a reading", request=request
    )
    return measurement


@transaction.atomic
def measurement_delete(
    *, measurement: Measurement, acted_by: User | None = None, request: HttpRequest | None = None
) -> None:
    patient_id = measurement.patient_id
    measurement.delete()
    audit_caregiver_acted(
        patient_id=patient_id, actor=acted_by, what="deleted a reading", request=request
    )


def is_clinic_session(dose: DoseEvent) -> bool:
    return dose.setting == DoseEvent.Setting.CLINIC and dose.course.drug.slug in CHECKIN_DRUG_SLUGS


@transaction.atomic
def clinic_session_save(
    *,
    dose: DoseEvent,
    logged_by: User,
    ready_to_leave_at: datetime | None,
    went_home: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> ClinicSession:
    """Create or change the record of a ketamine or esketamine session given in a clinic."""
    if not is_clinic_session(dose):
        _raise({"dose": NOT_A_CLINIC_SESSION})
    errors: dict[str, str] = {}
    _refuse_implausible(errors, "ready_to_leave_at", ready_to_leave_at, "The time")
    if ready_to_leave_at is not None and ready_to_leave_at < dose.taken_at:
        errors.setdefault("ready_to_leave_at", "You can't have been ready before the dose.")
    if went_home and went_home not in ClinicSession.WentHome.values:
        errors["went_home"] = "Choose how you got home."
    _raise(errors)
    session = ClinicSession.objects.filter(dose=dose).first() or ClinicSession(dose=dose)
    session.ready_to_leave_at = ready_to_leave_at
    session.went_home = went_home
    session.note = note
    session.logged_by = logged_by
    session._history_user = logged_by  # type: ignore[attr-defined]
    session.save()
    audit_caregiver_acted(
        patient_id=dose.course.patient_id,
        actor=logged_by,
        what="recorded a clinic session",
        request=request,
    )
    return session
