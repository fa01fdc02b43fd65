"""What tests of readings share: a measurement rule as the library holds them, and a recent
ketamine dose for a reading to follow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from journal.models import DoseEvent, Measurement
from reference.models import MeasurementRule
from reference.selectors import library_copy_forget
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug

HIGH_BP_GUIDANCE = (
    "Sit and rest, then measure again. Call {emergency_number} if it stays this high."
)


def high_blood_pressure_rule(drug_slug: str = "ketamine") -> MeasurementRule:
    """A published rule of the kind the library holds: 180/120 or higher within 6 hours of a
    dose of `drug_slug` sends the patient to their prescriber today."""
    rule = MeasurementRule.objects.create(
        kind=Measurement.Kind.BLOOD_PRESSURE,
        drug=seeded_drug(drug_slug),
        at_or_above=Decimal(180),
        diastolic_at_or_above=Decimal(120),
        within_hours_of_dose=6,
        action=MeasurementRule.Action.PRESCRIBER_TODAY,
        signs="Blood pressure of 180/120 or higher after a session",
        guidance=HIGH_BP_GUIDANCE,
        sources="Test source",
        is_published=True,
    )
    library_copy_forget()  # a rolled-back test sends no save signal
    return rule


def ketamine_dose(patient: User, hours_ago: float = 1) -> DoseEvent:
    """A ketamine infusion given in a clinic `hours_ago`."""
    course = CourseFactory.create(patient=patient, drug=seeded_drug("ketamine"), route="iv")
    dose: DoseEvent = DoseFactory.create(
        course=course, taken_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return dose
