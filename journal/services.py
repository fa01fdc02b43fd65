"""Writes to patients' journals. Pages and the API both call these, so the rules live here.

Each service validates everything before it writes and raises `ValidationError` keyed by
field, so bad input changes nothing and both forms and the API can show the reasons.

Who made the change (`logged_by`, or `acted_by` where nothing records it on the row) is
the patient, or a caregiver keeping their journal: a caregiver's change is written to the
patient's audit log in the same transaction, with the `request` it came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import patient_zone
from accounts.text_limits import plain_text
from audit.services import audit_caregiver_acted
from journal.checkin import checkin_due_at, checkin_due_until
from journal.models import (
    CheckInRating,
    DoseEvent,
    MedicationCourse,
    SymptomEntry,
    usual_route,
    usual_setting,
)
from journal.quick_log import QUICK_INTERFERENCE, UNDO_WINDOW, serious_side_effect_ids
from journal.selectors import RedFlagMatcher, dose_suggested
from reference.models import Drug, SideEffect
from reference.selectors import library_copy

# Clocks on phones drift; a time this close to now is not "in the future".
CLOCK_TOLERANCE = timedelta(minutes=5)


class _Suggested:
    def __repr__(self) -> str:
        return "SUGGESTED"


# Pass as `dose` to link an entry to the latest dose within 24 h before its onset.
SUGGESTED: Final = _Suggested()


# Nothing Sidelog records happened before this; earlier dates are typing slips.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def _refuse_implausible(
    errors: dict[str, str], field: str, moment: datetime | None, what: str
) -> None:
    if moment is None:
        return
    if moment > timezone.now() + CLOCK_TOLERANCE:
        errors[field] = f"{what} can't be in the future."
    elif moment < EARLIEST:
        errors[field] = f"{what} is too far in the past; check the year."


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# Medication courses


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


# Doses


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


# Symptom entries


class _ReadFromWords:
    def __repr__(self) -> str:
        return "READ_FROM_WORDS"


# Pass as `matched_side_effect` to let Sidelog read the symptom from the patient's own words.
READ_FROM_WORDS: Final = _ReadFromWords()


@dataclass(frozen=True)
class EntryInput:
    side_effect: SideEffect | None
    other_symptom: str
    onset_at: datetime
    resolved_at: datetime | None
    severity: int
    interference: int
    notes: str = ""
    danger_signs: tuple[str, ...] = ()  # slugs of the symptom's danger signs ticked
    # For a symptom in the patient's own words, the library symptom it names as the patient
    # says (None: none of them), or READ_FROM_WORDS.
    matched_side_effect: SideEffect | _ReadFromWords | None = READ_FROM_WORDS


def _validate_entry(*, patient: User, data: EntryInput, dose: DoseEvent | None) -> None:
    errors: dict[str, str] = {}
    other = data.other_symptom.strip()
    if data.side_effect is None and not other:
        errors["side_effect"] = "Choose a symptom, or describe it under “Other”."
    elif data.side_effect is not None and other:
        errors["other_symptom"] = "Choose a symptom from the list or describe another, not both."
    elif data.side_effect is not None and not data.side_effect.is_published:
        errors["side_effect"] = "Choose a symptom from Sidelog's list."
    _refuse_implausible(errors, "onset_at", data.onset_at, "The start time")
    _refuse_implausible(errors, "resolved_at", data.resolved_at, "The time it resolved")
    if data.resolved_at is not None and data.resolved_at < data.onset_at:
        errors.setdefault("resolved_at", "It can't have resolved before it started.")
    if data.severity not in range(5):
        errors["severity"] = "Severity goes from 0 (none) to 4 (very severe)."
    if data.interference not in range(5):
        errors["interference"] = "Interference goes from 0 (not at all) to 4 (very much)."
    matched = data.matched_side_effect
    if isinstance(matched, SideEffect):
        if data.side_effect is not None:
            errors["matched_side_effect"] = (
                "Only a symptom described in your own words is read as another."
            )
        elif not matched.is_published:
            errors["matched_side_effect"] = "Choose a symptom from Sidelog's list."
    if dose is not None:
        if dose.course.patient_id != patient.pk:
            errors["dose"] = "Choose one of your own doses."
        elif dose.taken_at > data.onset_at:
            errors["dose"] = "This dose was taken after the symptom started."
    _raise(errors)


def _read_symptom(*, entry: SymptomEntry, data: EntryInput) -> None:
    """Set which library symptom the entry's own words name, then check its danger signs."""
    signs = data.danger_signs
    matched: SideEffect | None
    if entry.side_effect_id is not None:
        matched, by_patient = None, False
    elif isinstance(data.matched_side_effect, _ReadFromWords):
        matcher = RedFlagMatcher(patient=entry.patient)
        matched_id, named = matcher.reading_of_own_words(entry)
        matched, by_patient = library_copy().side_effects_by_id.get(matched_id or 0), False
        # The words may name its danger signs too ("rash and fever"): kept with those the
        # patient ticked, so the entry says what its red flags read.
        signs = (*signs, *named)
    else:
        matched, by_patient = data.matched_side_effect, True
    entry.matched_side_effect = matched
    entry.match_set_by_patient = by_patient
    entry.danger_signs = _danger_signs_checked(
        side_effect=entry.side_effect or matched, slugs=signs
    )


def _danger_signs_checked(*, side_effect: SideEffect | None, slugs: tuple[str, ...]) -> list[str]:
    if not slugs:
        return []
    offered = library_copy().danger_signs.get(side_effect.pk if side_effect else 0, {})
    unknown = [slug for slug in slugs if slug not in offered]
    if unknown:
        symptom = f"“{side_effect.name}”" if side_effect else "this symptom"
        raise ValidationError(
            {
                "danger_signs": f"Not a danger sign of {symptom}: "
                + ", ".join(f"“{slug}”" for slug in unknown)
                + "."
            }
        )
    # In the library's order, each once.
    return [slug for slug in offered if slug in slugs]


def _resolve_dose(
    *, patient: User, onset_at: datetime, dose: DoseEvent | _Suggested | None
) -> tuple[DoseEvent | None, DoseEvent | None]:
    """The dose the entry followed, and the one Sidelog suggests for its onset."""
    suggested = dose_suggested(patient=patient, onset_at=onset_at).first()
    return (suggested if isinstance(dose, _Suggested) else dose), suggested


@transaction.atomic
def symptom_entry_create(
    *,
    patient: User,
    logged_by: User,
    data: EntryInput,
    dose: DoseEvent | _Suggested | None = SUGGESTED,
    request: HttpRequest | None = None,
) -> SymptomEntry:
    """Save an entry and the first row of its history, both or neither.

    The entry comes back with `dose_suggested_id`, as `selectors.entry_list` gives it, and
    with its dose (and the dose's course) loaded.
    """
    entry = _symptom_entry_insert(patient=patient, logged_by=logged_by, data=data, dose=dose)
    audit_caregiver_acted(
        patient_id=patient.pk, actor=logged_by, what="logged a symptom entry", request=request
    )
    return entry


def _symptom_entry_insert(
    *,
    patient: User,
    logged_by: User,
    data: EntryInput,
    dose: DoseEvent | _Suggested | None,
    from_checkin: bool = False,
) -> SymptomEntry:
    _validate_entry(patient=patient, data=data, dose=None)
    chosen, suggested = _resolve_dose(patient=patient, onset_at=data.onset_at, dose=dose)
    if isinstance(dose, DoseEvent):
        _validate_entry(patient=patient, data=data, dose=dose)
    entry = SymptomEntry(
        patient=patient,
        logged_by=logged_by,
        dose=chosen,
        from_checkin=from_checkin,
        side_effect=data.side_effect,
        other_symptom=data.other_symptom.strip(),
        onset_at=data.onset_at,
        resolved_at=data.resolved_at,
        severity=data.severity,
        interference=data.interference,
        notes=data.notes,
    )
    _read_symptom(entry=entry, data=data)
    entry._history_user = logged_by  # type: ignore[attr-defined]  # django-simple-history
    entry.save(force_insert=True)
    entry.dose_suggested_id = suggested.pk if suggested else None  # type: ignore[attr-defined]
    return entry


@transaction.atomic
def symptom_entry_update(
    *,
    entry: SymptomEntry,
    data: EntryInput,
    dose: DoseEvent | _Suggested | None,
    acted_by: User | None = None,
    request: HttpRequest | None = None,
) -> SymptomEntry:
    """Change an entry. The old version stays in its history and the entry shows as edited.

    The entry comes back with `dose_suggested_id` for its new onset.
    """
    _validate_entry(patient=entry.patient, data=data, dose=None)
    chosen, suggested = _resolve_dose(patient=entry.patient, onset_at=data.onset_at, dose=dose)
    _validate_entry(patient=entry.patient, data=data, dose=chosen)
    entry.side_effect = data.side_effect
    entry.other_symptom = data.other_symptom.strip()
    entry.onset_at = data.onset_at
    entry.resolved_at = data.resolved_at
    entry.severity = data.severity
    entry.interference = data.interference
    entry.notes = data.notes
    entry.dose = chosen
    _read_symptom(entry=entry, data=data)
    entry.edited_at = timezone.now()
    entry.save()
    entry.dose_suggested_id = suggested.pk if suggested else None  # type: ignore[attr-defined]
    audit_caregiver_acted(
        patient_id=entry.patient_id, actor=acted_by, what="changed a symptom entry", request=request
    )
    return entry


@transaction.atomic
def symptom_entry_delete(
    *, entry: SymptomEntry, acted_by: User | None = None, request: HttpRequest | None = None
) -> None:
    patient_id = entry.patient_id
    entry.delete()
    audit_caregiver_acted(
        patient_id=patient_id, actor=acted_by, what="deleted a symptom entry", request=request
    )


@transaction.atomic
def symptom_entry_quick_create(
    *,
    patient: User,
    logged_by: User,
    side_effect: SideEffect,
    severity: int,
    request: HttpRequest | None = None,
) -> SymptomEntry:
    """Two taps to log: the symptom, starting now, at this severity, linked to the suggested
    dose. Interference is "Not at all" until the patient adds details (`QUICK_INTERFERENCE`).
    """
    if side_effect.pk in serious_side_effect_ids():
        raise ValidationError(
            {"side_effect": "Log this symptom from the full form, with its danger signs."}
        )
    data = EntryInput(
        side_effect=side_effect,
        other_symptom="",
        onset_at=timezone.now().replace(microsecond=0),
        resolved_at=None,
        severity=severity,
        interference=QUICK_INTERFERENCE,
    )
    return symptom_entry_create(
        patient=patient, logged_by=logged_by, data=data, dose=SUGGESTED, request=request
    )


def symptom_entry_undo(
    *, entry: SymptomEntry, acted_by: User, request: HttpRequest | None = None
) -> None:
    """Delete an entry just logged, by whoever logged it, within `UNDO_WINDOW` and before any
    edit; later it is deleted like any other, after a question."""
    if entry.logged_by_id != acted_by.pk or entry.edited_at is not None:
        raise ValidationError("Only an entry you have just logged can be undone.")
    if timezone.now() - entry.created_at > UNDO_WINDOW:
        raise ValidationError("It is too late to undo this entry. You can still delete it.")
    symptom_entry_delete(entry=entry, acted_by=acted_by, request=request)


# Post-dose check-in


# The check-in in steps


@dataclass(frozen=True)
class StepRating:
    """One symptom rated at one step: severity 0–4, interference 0–4 or None if not given,
    and whether it is gone now (which records the moment as its resolved time)."""

    side_effect: SideEffect
    severity: int
    interference: int | None = None
    gone: bool = False


def _validate_step(*, dose: DoseEvent, point: str, ratings: list[StepRating], now: datetime) -> str:
    if not dose.offers_checkin:
        raise ValidationError("The check-in is for ketamine and esketamine sessions.")
    if point not in CheckInRating.Point.values:
        raise ValidationError({"point": f"Not a step of the check-in: “{point}”."})
    due_at = checkin_due_at(dose=dose, point=point)
    if now < due_at:
        local = due_at.astimezone(patient_zone(dose.course.patient))
        raise ValidationError(
            {
                "point": f"This step is not due yet: it opens at {local:%H:%M} on "
                f"{local:%A} {local.day} {local:%B}."
            }
        )
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for rating in ratings:
        slug = rating.side_effect.slug
        if not rating.side_effect.is_published:
            errors[f"{slug}-severity"] = "Choose a symptom from Sidelog's list."
        elif rating.side_effect.pk in seen:
            errors[f"{slug}-severity"] = f"{rating.side_effect.name} is rated twice."
        if rating.severity not in range(5):
            errors[f"{slug}-severity"] = "Severity goes from 0 (none) to 4 (very severe)."
        if rating.interference is not None and rating.interference not in range(5):
            errors[f"{slug}-interference"] = "Interference goes from 0 (not at all) to 4."
        seen.add(rating.side_effect.pk)
    if not ratings:
        errors["ratings"] = "Rate at least one symptom."
    _raise(errors)
    return "late" if now >= checkin_due_until(dose=dose, point=point) else "in time"


@transaction.atomic
def checkin_step_record(
    *,
    dose: DoseEvent,
    point: str,
    ratings: list[StepRating],
    logged_by: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> list[SymptomEntry]:
    """Record one step of a dose's check-in (`journal.checkin` says when each is due).

    Refuses a step not yet due, saying when it will be; a late step is recorded and marked
    late. Rating a step again replaces its ratings. Each symptom felt at any step keeps one
    ordinary entry linked to the dose (`from_checkin`): it starts at the first step it was
    felt, carries the worst rating, and is resolved when a later step says it is gone.
    Returns the entries of the symptoms rated at this step that were felt at some step.
    """
    now = now or timezone.now()
    timing = _validate_step(dose=dose, point=point, ratings=ratings, now=now)
    given = {rating.side_effect.pk: rating for rating in ratings}
    earlier = CheckInRating.objects.filter(dose=dose, point=point)
    touched = {rating.side_effect for rating in earlier.select_related("side_effect")}
    earlier.exclude(side_effect_id__in=given).delete()
    for rating in ratings:
        CheckInRating.objects.update_or_create(
            dose=dose,
            side_effect=rating.side_effect,
            point=point,
            defaults={
                "severity": rating.severity,
                "interference": rating.interference,
                "resolved_at": now if rating.gone else None,
                "recorded_late": timing == "late",
            },
        )
    patient = dose.course.patient
    entries = []
    for side_effect in sorted(touched | {r.side_effect for r in ratings}, key=lambda s: s.pk):
        entry = _checkin_step_entry_sync(dose=dose, side_effect=side_effect, logged_by=logged_by)
        if entry is not None and side_effect.pk in given:
            entries.append(entry)
    audit_caregiver_acted(
        patient_id=patient.pk,
        actor=logged_by,
        what="recorded a post-dose check-in",
        request=request,
    )
    return entries


def _checkin_step_entry_sync(
    *, dose: DoseEvent, side_effect: SideEffect, logged_by: User
) -> SymptomEntry | None:
    patient = dose.course.patient
    existing = SymptomEntry.objects.filter(
        patient=patient, dose=dose, side_effect=side_effect, from_checkin=True
    ).first()
    order = {point: index for index, point in enumerate(CheckInRating.Point.values)}
    steps = sorted(
        CheckInRating.objects.filter(dose=dose, side_effect=side_effect),
        key=lambda rating: order[rating.point],
    )
    felt = [rating for rating in steps if rating.severity]
    if not felt:
        if existing is not None:
            existing.delete()
        return None
    onset_at = checkin_due_at(dose=dose, point=felt[0].point)
    resolved_at = None
    for rating in steps:
        if rating.resolved_at is not None:
            resolved_at = rating.resolved_at
        elif rating.severity:
            resolved_at = None
    if not any(rating.resolved_at for rating in steps) and existing is not None:
        # An end time given before the steps (the whole check-in at once) is kept.
        kept = existing.resolved_at
        resolved_at = kept if kept is not None and kept >= onset_at else None
    data = EntryInput(
        side_effect=side_effect,
        other_symptom="",
        onset_at=onset_at,
        resolved_at=resolved_at,
        severity=max(rating.severity for rating in felt),
        interference=max((r.interference for r in steps if r.interference is not None), default=0),
        notes="From the post-dose check-in.",
    )
    if existing is None:
        return _symptom_entry_insert(
            patient=patient, logged_by=logged_by, data=data, dose=dose, from_checkin=True
        )
    # A later step completes the entry rather than editing it: it is not shown as edited.
    _validate_entry(patient=patient, data=data, dose=dose)
    existing.onset_at, existing.resolved_at = data.onset_at, data.resolved_at
    existing.severity, existing.interference = data.severity, data.interference
    existing._history_user = logged_by  # type: ignore[attr-defined]  # django-simple-history
    existing.save(update_fields=["onset_at", "resolved_at", "severity", "interference"])
    _, suggested = _resolve_dose(patient=patient, onset_at=data.onset_at, dose=dose)
    existing.dose_suggested_id = suggested.pk if suggested else None  # type: ignore[attr-defined]
    return existing
