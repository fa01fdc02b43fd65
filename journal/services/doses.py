"""Doses: recording, correcting and deleting them."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import patient_zone
from accounts.text_limits import plain_text
from audit.services import audit_caregiver_acted
from journal.models import DoseEvent, MedicationCourse, usual_setting
from journal.services.common import _raise, _refuse_implausible


def _validate_dose(*, course: MedicationCourse, taken_at: datetime, setting: str) -> None:
    errors: dict[str, str] = {}
    _refuse_implausible(errors, "taken_at", taken_at, "A dose time")
    day = taken_at.astimezone(patient_zone(course.patient)).date()
    if "taken_at" not in errors and not course.is_active_on(day):
        errors["taken_at"] = (
            f"This is outside the course's dates ({course.started_on:%d %b %Y}"
            f"{f' to {course.stopped_on:%d %b %Y}' if course.stopped_on else ' onwards'})."
        )
    if setting not in DoseEvent.Setting.values:
        errors["setting"] = "Choose where the dose was taken."
    _raise(errors)


def dose_create(
    *,
    course: MedicationCourse,
    taken_at: datetime,
    logged_by: User,
    setting: str = "",
    amount: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> DoseEvent:
    """Record a dose; without a setting, where that medicine is usually given. The amount is
    kept as written, never read as a number."""
    return _dose_record(
        course=course,
        taken_at=taken_at,
        logged_by=logged_by,
        setting=setting,
        amount=amount,
        note=note,
        request=request,
        what="recorded a dose",
    )


def dose_taken_now(
    *, course: MedicationCourse, logged_by: User, request: HttpRequest | None = None
) -> DoseEvent:
    """One tap: record a dose of this course at this moment."""
    # Minutes, like every time a patient types: a symptom logged in the same minute then
    # counts as after this dose.
    return _dose_record(
        course=course,
        taken_at=timezone.now().replace(second=0, microsecond=0),
        logged_by=logged_by,
        setting="",
        amount="",
        note="",
        request=request,
        what="recorded a dose taken now",
    )


@transaction.atomic
def _dose_record(
    *,
    course: MedicationCourse,
    taken_at: datetime,
    logged_by: User,
    setting: str,
    amount: str,
    note: str,
    request: HttpRequest | None,
    what: str,
) -> DoseEvent:
    setting = setting or usual_setting(course.drug.slug)
    _validate_dose(course=course, taken_at=taken_at, setting=setting)
    dose = DoseEvent.objects.create(
        course=course,
        taken_at=taken_at,
        setting=setting,
        amount=plain_text(amount).strip(),
        note=note,
        logged_by=logged_by,
    )
    audit_caregiver_acted(patient_id=course.patient_id, actor=logged_by, what=what, request=request)
    return dose


@transaction.atomic
def dose_update(
    *,
    dose: DoseEvent,
    course: MedicationCourse,
    taken_at: datetime,
    setting: str = "",
    amount: str = "",
    note: str = "",
    acted_by: User | None = None,
    request: HttpRequest | None = None,
) -> DoseEvent:
    setting = setting or usual_setting(course.drug.slug)
    _validate_dose(course=course, taken_at=taken_at, setting=setting)
    if dose.symptom_entries.filter(onset_at__lt=taken_at).exists():
        raise ValidationError(
            {"taken_at": "Symptoms linked to this dose started before this time."}
        )
    dose.course = course
    dose.taken_at = taken_at
    dose.setting = setting
    dose.amount = plain_text(amount).strip()
    dose.note = note
    dose.edited_at = timezone.now()
    dose.save()
    audit_caregiver_acted(
        patient_id=course.patient_id, actor=acted_by, what="changed a dose", request=request
    )
    return dose


@transaction.atomic
def dose_delete(
    *, dose: DoseEvent, acted_by: User | None = None, request: HttpRequest | None = None
) -> None:
    patient_id = dose.course.patient_id
    dose.delete()
    audit_caregiver_acted(
        patient_id=patient_id, actor=acted_by, what="deleted a dose", request=request
    )
