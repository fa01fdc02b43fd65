"""Symptom entries: logging (in full or in two taps), correcting, deleting and undoing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.services import audit_caregiver_acted
from journal.models import DoseEvent, SymptomEntry
from journal.quick_log import QUICK_INTERFERENCE, UNDO_WINDOW, serious_side_effect_ids
from journal.selectors.records import dose_suggested
from journal.selectors.red_flags import RedFlagMatcher
from journal.services.common import SUGGESTED, _raise, _refuse_implausible, _Suggested
from reference.models import SideEffect
from reference.selectors import library_copy


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


def entry_time_problems(
    *, onset_at: datetime | None, resolved_at: datetime | None
) -> dict[str, str]:
    """What is wrong with an entry's start and end times, by field. The entry form asks
    too, so that these errors come with its own, all at once."""
    errors: dict[str, str] = {}
    _refuse_implausible(errors, "onset_at", onset_at, "The start time")
    _refuse_implausible(errors, "resolved_at", resolved_at, "The time it resolved")
    if onset_at is not None and resolved_at is not None and resolved_at < onset_at:
        errors.setdefault("resolved_at", "It can't have resolved before it started.")
    return errors


def _validate_entry(*, patient: User, data: EntryInput, dose: DoseEvent | None) -> None:
    errors: dict[str, str] = {}
    other = data.other_symptom.strip()
    if data.side_effect is None and not other:
        errors["side_effect"] = "Choose a symptom, or describe it under “Other”."
    elif data.side_effect is not None and other:
        errors["other_symptom"] = "Choose a symptom from the list or describe another, not both."
    elif data.side_effect is not None and not data.side_effect.is_published:
        errors["side_effect"] = "Choose a symptom from Sidelog's list."
    errors |= entry_time_problems(onset_at=data.onset_at, resolved_at=data.resolved_at)
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
    suggested = dose_suggested(patient=patient, onset_at=onset_at)
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
