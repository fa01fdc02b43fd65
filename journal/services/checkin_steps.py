"""The post-dose check-in, recorded a step at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import patient_zone
from audit.services import audit_caregiver_acted
from journal.checkin import checkin_due_at, checkin_due_until
from journal.models import CheckInRating, DoseEvent, SymptomEntry
from journal.services.common import _raise
from journal.services.entries import (
    EntryInput,
    _resolve_dose,
    _symptom_entry_insert,
    _validate_entry,
)
from reference.models import SideEffect


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
