"""Patients' journals: medication courses, doses, symptom entries, check-ins, measurements
and clinic sessions."""

from journal.models.measurements import (
    BODY_TEMPERATURE_C,
    DIASTOLIC,
    OXYGEN_SATURATION,
    PULSE,
    SYSTOLIC,
    VALUE_BOUNDS,
    Bounds,
    ClinicSession,
    Measurement,
    celsius_from_fahrenheit,
    fahrenheit_from_celsius,
)
from journal.models.records import (
    BACKFILL_AFTER,
    CHECKIN_DRUG_SLUGS,
    CHECKIN_OFFSETS,
    CHECKIN_SIDE_EFFECT_SLUGS,
    CheckInRating,
    DoseEvent,
    MedicationCourse,
    SymptomEntry,
    usual_route,
    usual_setting,
)

__all__ = [
    "BACKFILL_AFTER",
    "BODY_TEMPERATURE_C",
    "CHECKIN_DRUG_SLUGS",
    "CHECKIN_OFFSETS",
    "CHECKIN_SIDE_EFFECT_SLUGS",
    "DIASTOLIC",
    "OXYGEN_SATURATION",
    "PULSE",
    "SYSTOLIC",
    "VALUE_BOUNDS",
    "Bounds",
    "CheckInRating",
    "ClinicSession",
    "DoseEvent",
    "Measurement",
    "MedicationCourse",
    "SymptomEntry",
    "celsius_from_fahrenheit",
    "fahrenheit_from_celsius",
    "usual_route",
    "usual_setting",
]
