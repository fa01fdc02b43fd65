"""What tests of readings share: a recent ketamine dose for a reading to follow (the
library's seeded measurement rules give its red flags), and the time as a patient types it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import patient_zone
from journal.models import DoseEvent
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug


def ketamine_dose(patient: User, hours_ago: float = 1) -> DoseEvent:
    """A ketamine infusion given in a clinic `hours_ago`."""
    course = CourseFactory.create(patient=patient, drug=seeded_drug("ketamine"), route="iv")
    dose: DoseEvent = DoseFactory.create(
        course=course, taken_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return dose


def typed_time(patient: User, *, minutes_ago: float = 0) -> str:
    """A moment as the patient types it into a form: on their own clock (the form reads it in
    their zone), so that it is the same moment in summer time as in winter."""
    moment = timezone.localtime(
        timezone.now() - timedelta(minutes=minutes_ago), patient_zone(patient)
    )
    return moment.strftime("%Y-%m-%dT%H:%M")
