"""What tests of readings share: a recent ketamine dose for a reading to follow (the
library's seeded measurement rules give its red flags)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from journal.models import DoseEvent
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug


def ketamine_dose(patient: User, hours_ago: float = 1) -> DoseEvent:
    """A ketamine infusion given in a clinic `hours_ago`."""
    course = CourseFactory.create(patient=patient, drug=seeded_drug("ketamine"), route="iv")
    dose: DoseEvent = DoseFactory.create(
        course=course, taken_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return dose
