"""Two taps to log: which symptoms the dashboard offers as quick buttons.

A quick button saves an entry at once, with no danger signs asked, so a serious symptom is
never one: it is logged from the entry form, where its danger signs and red flags are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from journal.models import (
    CHECKIN_DRUG_SLUGS,
    CHECKIN_SIDE_EFFECT_SLUGS,
    MedicationCourse,
    SymptomEntry,
)
from reference.models import DrugSideEffect, RedFlag, SideEffect
from reference.selectors import LibraryCopy, library_copy

QUICK_LIMIT = 6
# Offered to a patient with no medicine in Sidelog and nothing logged: the symptoms every
# one of the library's medicines lists as common, none of them serious.
DEFAULT_QUICK_SLUGS = ("headache", "dizziness", "nausea", "drowsiness", "dry-mouth", "constipation")
# How long after a quick entry its "Undo" still deletes it.
UNDO_WINDOW = timedelta(minutes=5)
# A quick entry is saved before anyone is asked how much it gets in the way: "Not at all"
# until the patient adds details (the entry's edit page), as the check-in does.
QUICK_INTERFERENCE = 0

_FREQUENCY_RANK = {value: rank for rank, value in enumerate(DrugSideEffect.Frequency.values)}


def serious_side_effect_ids(library: LibraryCopy | None = None) -> set[int]:
    """The published symptoms that are serious: the library's "Serious" category, and any
    symptom a red flag sends to emergency services whenever it is logged at all."""
    library = library or library_copy()
    serious = {
        pk
        for pk, effect in library.side_effects_by_id.items()
        if effect.category == SideEffect.Category.SERIOUS
    }
    for rule in library.red_flag_rules:
        unconditional = (
            rule.min_severity is None
            and rule.within_hours_of_dose is None
            and not rule.danger_sign_ids
        )
        if rule.side_effect_id and rule.action == RedFlag.Action.EMERGENCY and unconditional:
            serious.add(rule.side_effect_id)
    return serious


def serious_side_effects() -> list[SideEffect]:
    library = library_copy()
    by_id = library.side_effects_by_id
    return sorted((by_id[pk] for pk in serious_side_effect_ids(library)), key=lambda e: e.name)


def quick_symptoms(
    *, patient: User, courses: Sequence[MedicationCourse], limit: int = QUICK_LIMIT
) -> list[SideEffect]:
    """The quick buttons: the patient's most-logged symptoms first, then what their current
    medicines report most often (a session drug's check-in symptoms before the rest), topped
    up with a few common ones (all a new account sees). Never a serious symptom."""
    library = library_copy()
    published = library.side_effects_by_id
    serious = serious_side_effect_ids(library)
    chosen = most_logged(patient=patient, library=library)
    chosen += _medicine_symptoms(courses=courses, library=library)
    by_slug = library.side_effects
    chosen += [by_slug[slug].pk for slug in DEFAULT_QUICK_SLUGS if slug in by_slug]
    unique = list(dict.fromkeys(pk for pk in chosen if pk not in serious))
    return [published[pk] for pk in unique[:limit]]


def most_logged(*, patient: User, library: LibraryCopy, leave_out: Sequence[int] = ()) -> list[int]:
    """The published library symptoms of the patient's latest 200 entries, most logged first
    (then by name); serious ones too: callers that offer them for one tap leave those out."""
    published = library.side_effects_by_id
    recent = (
        SymptomEntry.objects.filter(patient=patient, side_effect__isnull=False)
        .exclude(side_effect__in=leave_out)
        .order_by("-onset_at")
        .values_list("side_effect_id", flat=True)[:200]
    )
    counts = Counter(pk for pk in recent if pk in published)
    return sorted(counts, key=lambda pk: (-counts[pk], published[pk].name))


def _medicine_symptoms(*, courses: Sequence[MedicationCourse], library: LibraryCopy) -> list[int]:
    current = [course for course in courses if course.stopped_on is None]
    if not current:
        return []
    by_slug = library.side_effects
    session = [
        by_slug[slug].pk
        for slug in CHECKIN_SIDE_EFFECT_SLUGS
        if slug in by_slug and any(c.drug.slug in CHECKIN_DRUG_SLUGS for c in current)
    ]
    links = [
        link
        for drug_id in {course.drug_id for course in current}
        for link in library.drug_side_effects.get(drug_id, ())
    ]
    ranked = sorted(
        links,
        key=lambda link: (
            _FREQUENCY_RANK.get(link[1], len(_FREQUENCY_RANK)),
            -(link[2] or Decimal(0)),
            library.side_effects_by_id[link[0]].name,
        ),
    )
    return session + [side_effect_id for side_effect_id, _, _ in ranked]


def just_logged(*, patient: User, logged_by: User, pk: str | None) -> SymptomEntry | None:
    """The entry a quick log just saved, while it can still be undone, for its confirmation."""
    if not pk or not pk.isdigit():
        return None
    return SymptomEntry.objects.filter(
        patient=patient,
        logged_by=logged_by,
        pk=int(pk),
        edited_at__isnull=True,
        created_at__gte=timezone.now() - UNDO_WINDOW,
    ).first()
