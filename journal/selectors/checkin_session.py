"""A dose's check-in: its steps at a moment, and the symptoms each step asks about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from journal import checkin
from journal.checkin import checkin_due_at
from journal.models import CHECKIN_SIDE_EFFECT_SLUGS, CheckInRating, DoseEvent
from journal.quick_log import most_logged, serious_side_effect_ids
from reference.models import SideEffect
from reference.selectors import library_copy

# A few of the patient's own usual symptoms join the session's four at each step.
CHECKIN_USUAL_SYMPTOMS = 3


@dataclass(frozen=True)
class CheckInStepRating:
    side_effect: SideEffect
    severity: int
    interference: int | None
    gone: bool
    resolved_at: datetime | None


@dataclass(frozen=True)
class CheckInStep:
    """One step of a dose's check-in, as `checkin_steps` sees it at a moment.

    `status` is one of `journal.checkin.STATUSES`: upcoming (before `due_at`), due (until
    `due_until`), late (after it, not done), done (rated; `recorded_late` if given late).
    """

    point: str
    label: str
    due_at: datetime
    due_until: datetime
    status: str
    optional: bool
    recorded_late: bool
    ratings: tuple[CheckInStepRating, ...]

    @property
    def can_answer(self) -> bool:
        return self.status != checkin.UPCOMING


def checkin_steps(*, dose: DoseEvent, now: datetime) -> list[CheckInStep]:
    """The steps of a ketamine or esketamine dose's check-in at `now`, in session order,
    with the ratings given at each. Times and windows: `journal.checkin`."""
    ratings: dict[str, list[CheckInRating]] = defaultdict(list)
    for rating in CheckInRating.objects.filter(dose=dose).select_related("side_effect"):
        ratings[rating.point].append(rating)
    steps = []
    for point in checkin.CHECKIN_POINTS:
        given = sorted(ratings[point], key=_session_order)
        steps.append(
            CheckInStep(
                point=point.value,
                label=str(point.label),
                due_at=checkin_due_at(dose=dose, point=point),
                due_until=checkin.checkin_due_until(dose=dose, point=point),
                status=checkin.checkin_status(dose=dose, point=point, done=bool(given), now=now),
                optional=point in checkin.OPTIONAL_POINTS,
                recorded_late=any(rating.recorded_late for rating in given),
                ratings=tuple(
                    CheckInStepRating(
                        side_effect=rating.side_effect,
                        severity=rating.severity,
                        interference=rating.interference,
                        gone=rating.resolved_at is not None,
                        resolved_at=rating.resolved_at,
                    )
                    for rating in given
                ),
            )
        )
    return steps


def _session_order(rating: CheckInRating) -> tuple[int, str]:
    slug = rating.side_effect.slug
    order = CHECKIN_SIDE_EFFECT_SLUGS.index(slug) if slug in CHECKIN_SIDE_EFFECT_SLUGS else 99
    return order, rating.side_effect.name


def checkin_side_effects(*, patient: User | None = None) -> list[SideEffect]:
    """What a check-in step asks about: the session's four symptoms, then the few the
    patient logs most (never a serious one: those have their own red-flag path)."""
    library = library_copy()
    session = [
        library.side_effects[s] for s in CHECKIN_SIDE_EFFECT_SLUGS if s in library.side_effects
    ]
    if patient is None:
        return session
    serious = serious_side_effect_ids(library)
    usual = most_logged(patient=patient, library=library, leave_out=[e.pk for e in session])
    usual = [pk for pk in usual if pk not in serious][:CHECKIN_USUAL_SYMPTOMS]
    return session + [library.side_effects_by_id[pk] for pk in usual]
