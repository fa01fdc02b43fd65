"""Medication courses: adding, correcting and deleting them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import patient_zone
from audit.services import audit_caregiver_acted
from journal.models import MedicationCourse, usual_route
from journal.services.common import _raise
from reference.models import Drug


@dataclass(frozen=True)
class CourseInput:
    """A course as the patient gives it: without a route, the usual one."""

    drug: Drug
    started_on: date
    route: str = ""
    stopped_on: date | None = None
    regimen: str = ""


def _course_fields(*, patient: User, data: CourseInput) -> dict[str, Any]:
    """A course's fields, checked; without a route, the usual one (esketamine: nasal spray)."""
    route = data.route or usual_route(data.drug.slug)
    errors: dict[str, str] = {}
    if not data.drug.is_published:
        errors["drug"] = "Choose a medicine from Sidelog's library."
    today = timezone.localtime(timezone.now(), patient_zone(patient)).date()
    if data.started_on > today:
        errors["started_on"] = (
            "The start date can't be in the future: add the medicine on the day you start it."
        )
    if data.stopped_on is not None and data.stopped_on < data.started_on:
        errors["stopped_on"] = "The stop date can't be before the start date."
    if route not in MedicationCourse.Route.values:
        errors["route"] = "Choose how the medicine is taken."
    _raise(errors)
    return {**vars(data), "route": route}


@transaction.atomic
def course_create(
    *,
    patient: User,
    data: CourseInput,
    acted_by: User | None = None,
    request: HttpRequest | None = None,
) -> MedicationCourse:
    """Add a medicine; without a route, the usual one."""
    fields = _course_fields(patient=patient, data=data)
    course = MedicationCourse.objects.create(patient=patient, **fields)
    audit_caregiver_acted(
        patient_id=patient.pk, actor=acted_by, what="added a medicine", request=request
    )
    return course


@transaction.atomic
def course_update(
    *,
    course: MedicationCourse,
    data: CourseInput,
    acted_by: User | None = None,
    request: HttpRequest | None = None,
) -> MedicationCourse:
    """Correct a medicine's details; its recorded doses must stay within its dates."""
    fields = _course_fields(patient=course.patient, data=data)
    zone = patient_zone(course.patient)
    days = [dose.taken_at.astimezone(zone).date() for dose in course.doses.all()]
    outside = "Doses are recorded outside these dates; change or remove them first."
    if days and min(days) < data.started_on:
        raise ValidationError({"started_on": outside})
    if days and data.stopped_on is not None and max(days) > data.stopped_on:
        raise ValidationError({"stopped_on": outside})
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    audit_caregiver_acted(
        patient_id=course.patient_id, actor=acted_by, what="changed a medicine", request=request
    )
    return course


@transaction.atomic
def course_delete(
    *, course: MedicationCourse, acted_by: User | None = None, request: HttpRequest | None = None
) -> None:
    """Delete a course added by mistake. One with doses keeps them: set a stop date instead."""
    if course.doses.exists():
        raise ValidationError(
            "This course has recorded doses, so it can't be deleted. "
            "To show that it ended, give it a stop date."
        )
    patient_id = course.patient_id
    course.delete()
    audit_caregiver_acted(
        patient_id=patient_id, actor=acted_by, what="removed a medicine", request=request
    )
