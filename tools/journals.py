"""A large synthetic journal, written in bulk, for benchmarks, fault drills and tests."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from journal.models import DoseEvent, MedicationCourse, SymptomEntry, usual_setting
from reference.models import Drug, SideEffect


def journal_fill(*, patient: User, entries: int, days: int, seed: int = 7) -> None:
    """A synthetic but plausible journal, written in bulk."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    now = timezone.now().replace(second=0, microsecond=0)
    start = timezone.localdate() - timedelta(days=days)
    esketamine = MedicationCourse.objects.create(
        patient=patient, drug=Drug.objects.get(slug="esketamine"), started_on=start, route="nasal"
    )
    lamotrigine = MedicationCourse.objects.create(
        patient=patient, drug=Drug.objects.get(slug="lamotrigine"), started_on=start, route="oral"
    )
    doses = [
        DoseEvent(
            course=course,
            taken_at=now - timedelta(days=day, hours=hour),
            setting=usual_setting(course.drug.slug),  # bulk_create skips save()'s default
            logged_by=patient,
        )
        for day in range(days)
        for course, hour in ((lamotrigine, 14),) + (((esketamine, 20),) if day % 3 == 0 else ())
    ]
    DoseEvent.objects.bulk_create(doses, batch_size=1000)
    doses = list(DoseEvent.objects.filter(course__patient=patient).order_by("taken_at"))
    side_effects = list(SideEffect.objects.published().exclude(category="serious"))
    rows = []
    for n in range(entries):
        dose = doses[n % len(doses)]
        onset = dose.taken_at + timedelta(minutes=rng.randint(5, 600))
        if onset > now:
            onset = now - timedelta(minutes=rng.randint(1, 60))
        resolved = onset + timedelta(minutes=rng.randint(10, 400)) if rng.random() < 0.9 else None
        rows.append(
            SymptomEntry(
                patient=patient,
                side_effect=rng.choice(side_effects),
                onset_at=onset,
                resolved_at=resolved if resolved and resolved < now else None,
                severity=rng.choices(range(5), weights=[5, 40, 30, 20, 5])[0],
                interference=rng.randint(0, 4),
                dose=dose if dose.taken_at <= onset else None,
                logged_by=patient,
                notes="Felt it mostly in the evening." if n % 17 == 0 else "",
            )
        )
    SymptomEntry.objects.bulk_create(rows, batch_size=1000)
    # Logged a few minutes after they started, as most entries are (bulk_create stamps now).
    SymptomEntry.objects.filter(patient=patient).update(
        created_at=F("onset_at") + timedelta(minutes=5)
    )
