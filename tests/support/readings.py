"""A reading as the measurement rules see it, built from a patient's real courses and doses.

The journal's own builder (for logged measurements) lives with the measurements; this one
lets the reference tests check the seeded rules against rows the factories wrote.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from journal.models import DoseEvent, MedicationCourse
from reference.models import MeasurementKind, Reading


def reading_of(
    patient: User,
    kind: MeasurementKind,
    *,
    systolic: int | None = None,
    diastolic: int | None = None,
    value: str | None = None,
    warning_signs: bool = False,
    measured_at: datetime | None = None,
) -> Reading:
    """`patient`'s reading taken at `measured_at` (now by default)."""
    at = measured_at or timezone.now()
    day = timezone.localdate(at)

    def on_drug(drug_id: int) -> bool:
        courses = MedicationCourse.objects.filter(patient=patient, drug_id=drug_id)
        return any(course.is_active_on(day) for course in courses)

    def hours_since_dose(drug_id: int | None) -> float | None:
        if drug_id is None:
            return None
        latest = (
            DoseEvent.objects.filter(
                course__patient=patient, course__drug_id=drug_id, taken_at__lte=at
            )
            .order_by("-taken_at")
            .first()
        )
        return None if latest is None else (at - latest.taken_at).total_seconds() / 3600

    return Reading(
        kind=kind,
        systolic=systolic,
        diastolic=diastolic,
        value=None if value is None else Decimal(value),
        with_warning_signs=warning_signs,
        on_drug=on_drug,
        hours_since_dose=hours_since_dose,
    )
