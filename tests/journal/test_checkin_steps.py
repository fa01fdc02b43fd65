"""The check-in's steps at pinned clocks, and one step recorded (journal.checkin, the
selector `checkin_steps`, the service `checkin_step_record`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from time_machine import TimeMachineFixture

from journal import selectors, services
from journal.checkin import checkin_due_at
from journal.models import CheckInRating, DoseEvent, SymptomEntry
from reference.safety import find_dosage_advice
from tests.support.factories import CourseFactory, DoseFactory, seeded_side_effect

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# A winter Tuesday in London (GMT), 14:00.
TAKEN_AT = datetime(2026, 3, 10, 14, 0, tzinfo=LONDON)


@pytest.fixture
def dose(patient: User, time_machine: TimeMachineFixture) -> DoseEvent:
    time_machine.move_to(TAKEN_AT, tick=False)
    return DoseFactory.create(course=CourseFactory.create(patient=patient), taken_at=TAKEN_AT)


def rating(slug: str, severity: int, **kwargs: object) -> services.StepRating:
    return services.StepRating(side_effect=seeded_side_effect(slug), severity=severity, **kwargs)  # type: ignore[arg-type]


def statuses(dose: DoseEvent, now: datetime) -> dict[str, str]:
    return {step.point: step.status for step in selectors.checkin_steps(dose=dose, now=now)}


def test_each_step_is_due_at_its_time_in_the_patients_zone(dose: DoseEvent) -> None:
    due = {step.point: step.due_at for step in selectors.checkin_steps(dose=dose, now=TAKEN_AT)}

    assert due == {
        "before": TAKEN_AT,
        "40min": TAKEN_AT + timedelta(minutes=40),
        "2h": TAKEN_AT + timedelta(hours=2),
        "evening": datetime(2026, 3, 10, 20, 0, tzinfo=LONDON),
        "morning": datetime(2026, 3, 11, 8, 0, tzinfo=LONDON),
    }


def test_a_late_afternoon_dose_has_its_evening_step_six_hours_after(patient: User) -> None:
    late = DoseFactory.create(
        course=CourseFactory.create(patient=patient),
        taken_at=datetime(2026, 3, 10, 16, 30, tzinfo=LONDON),
    )

    assert checkin_due_at(dose=late, point="evening") == datetime(
        2026, 3, 10, 22, 30, tzinfo=LONDON
    )


def test_steps_are_upcoming_then_due_then_late(dose: DoseEvent) -> None:
    assert statuses(dose, TAKEN_AT + timedelta(minutes=10)) == {
        "before": "due",
        "40min": "upcoming",
        "2h": "upcoming",
        "evening": "upcoming",
        "morning": "upcoming",
    }
    at_41_min = statuses(dose, TAKEN_AT + timedelta(minutes=41))
    assert (at_41_min["before"], at_41_min["40min"], at_41_min["2h"]) == ("due", "due", "upcoming")
    at_3_h = statuses(dose, TAKEN_AT + timedelta(hours=3, minutes=1))
    assert (at_3_h["before"], at_3_h["40min"], at_3_h["2h"]) == ("late", "late", "late")
    assert statuses(dose, datetime(2026, 3, 10, 21, 0, tzinfo=LONDON))["evening"] == "due"


def test_a_step_not_yet_due_is_refused_saying_when_it_opens(dose: DoseEvent, patient: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.checkin_step_record(
            dose=dose, point="2h", ratings=[rating("nausea", 1)], logged_by=patient
        )

    assert refused.value.message_dict["point"] == [
        "This step is not due yet: it opens at 16:00 on Tuesday 10 March."
    ]
    assert not CheckInRating.objects.exists()
    assert not SymptomEntry.objects.exists()


def test_a_step_rated_in_time_is_done_and_makes_entries_linked_to_the_dose(
    dose: DoseEvent, patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TAKEN_AT + timedelta(minutes=42), tick=False)

    entries = services.checkin_step_record(
        dose=dose,
        point="40min",
        ratings=[rating("dissociation", 3, interference=2), rating("nausea", 0)],
        logged_by=patient,
    )

    [entry] = entries
    assert entry.side_effect == seeded_side_effect("dissociation")
    assert (entry.severity, entry.interference) == (3, 2)
    assert entry.onset_at == TAKEN_AT + timedelta(minutes=40)
    assert entry.dose == dose and entry.from_checkin and entry.is_ongoing
    [step] = [s for s in selectors.checkin_steps(dose=dose, now=TAKEN_AT) if s.point == "40min"]
    assert (step.status, step.recorded_late) == ("done", False)
    assert [(r.side_effect.slug, r.severity) for r in step.ratings] == [
        ("dissociation", 3),
        ("nausea", 0),
    ]


def test_a_late_step_is_recorded_and_marked_late(
    dose: DoseEvent, patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TAKEN_AT + timedelta(hours=4), tick=False)

    services.checkin_step_record(
        dose=dose, point="40min", ratings=[rating("dizziness", 2)], logged_by=patient
    )

    step = selectors.checkin_steps(dose=dose, now=TAKEN_AT + timedelta(hours=4))[1]
    assert (step.point, step.status, step.recorded_late) == ("40min", "done", True)


def test_gone_at_a_later_step_resolves_the_entry_at_that_moment(
    dose: DoseEvent, patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TAKEN_AT + timedelta(minutes=45), tick=False)
    services.checkin_step_record(
        dose=dose, point="40min", ratings=[rating("dissociation", 3)], logged_by=patient
    )
    gone_at = TAKEN_AT + timedelta(hours=2, minutes=7)
    time_machine.move_to(gone_at, tick=False)

    [entry] = services.checkin_step_record(
        dose=dose, point="2h", ratings=[rating("dissociation", 0, gone=True)], logged_by=patient
    )

    assert entry.resolved_at == gone_at
    assert entry.severity == 3
    assert entry.onset_at == TAKEN_AT + timedelta(minutes=40)
    assert not entry.is_edited
    assert SymptomEntry.objects.count() == 1


def test_a_very_severe_rating_raises_its_red_flag(
    dose: DoseEvent, patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TAKEN_AT + timedelta(minutes=41), tick=False)

    entries = services.checkin_step_record(
        dose=dose, point="40min", ratings=[rating("dizziness", 4)], logged_by=patient
    )

    flags = selectors.red_flags_for(patient=patient, entries=entries)
    assert [flag.action for flag in flags[entries[0].pk]][:1] == ["prescriber_today"]


def test_the_check_in_texts_give_no_dosing_advice() -> None:
    texts = [
        "This step is not due yet: it opens at 16:00 on Tuesday 10 March.",
        "Choose how strong it is now, from 0 (none) to 4.",
        "How strong is each one now? 0 if you don't feel it.",
        "Late: it was due at 14:40. You can still fill it in.",
        "This step was due at 14:40. You can still fill it in; it is kept as filled in late.",
        "A few quick ratings at each step; each step takes under a minute.",
        *[label for _, label in CheckInRating.Point.choices],
    ]

    assert [text for text in texts if find_dosage_advice(text)] == []
