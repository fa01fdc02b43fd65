"""Patients' journals: medication courses, doses, symptom entries and check-ins."""

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
    "CHECKIN_DRUG_SLUGS",
    "CHECKIN_OFFSETS",
    "CHECKIN_SIDE_EFFECT_SLUGS",
    "CheckInRating",
    "DoseEvent",
    "MedicationCourse",
    "SymptomEntry",
    "usual_route",
    "usual_setting",
]
