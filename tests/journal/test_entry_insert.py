"""Logging an entry writes it and the first row of its history through the ORM and
django-simple-history, both or neither, and links the dose Sidelog suggests: the latest of
the patient's own in the 24 hours before onset, decided in one selector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from simple_history.models import HistoricalRecords
from time_machine import TimeMachineFixture

from journal import selectors, services
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from tests.support.factories import CourseFactory, DoseFactory, seeded_side_effect

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def course(patient: User) -> MedicationCourse:
    course: MedicationCourse = CourseFactory.create(patient=patient)
    return course


def entry_data(*, onset_at: datetime, side_effect: str = "nausea") -> services.EntryInput:
    return services.EntryInput(
        side_effect=seeded_side_effect(side_effect),
        other_symptom="",
        onset_at=onset_at,
        resolved_at=None,
        severity=1,
        interference=0,
    )


def test_an_entry_logged_by_a_caregiver_keeps_who_logged_it_in_its_history(
    patient: User, caregiver: User, course: MedicationCourse
) -> None:
    dose: DoseEvent = DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=2))
    data = entry_data(onset_at=dose.taken_at + timedelta(minutes=20))

    entry = services.symptom_entry_create(patient=patient, logged_by=caregiver, data=data)

    assert entry.dose_id == dose.pk
    assert entry.dose_suggested_id == dose.pk  # type: ignore[attr-defined]
    [first] = SymptomEntry.history.filter(id=entry.pk).values()
    assert first["history_user_id"] == caregiver.pk
    assert first["history_type"] == "+"
    assert (first["severity"], first["dose_id"], first["logged_by_id"]) == (
        1,
        dose.pk,
        caregiver.pk,
    )
    stored = SymptomEntry.objects.get(pk=entry.pk)
    assert (stored.logged_by, stored.dose, stored.severity) == (caregiver, dose, 1)


def test_the_suggested_dose_is_the_latest_of_the_patients_own_in_the_24_hours_before(
    patient: User, other_patient: User, course: MedicationCourse
) -> None:
    onset = NOW - timedelta(hours=1)
    DoseFactory.create(course=course, taken_at=onset - timedelta(hours=25))  # too early
    DoseFactory.create(course=course, taken_at=onset - timedelta(hours=5))
    latest = DoseFactory.create(course=course, taken_at=onset - timedelta(hours=2))
    DoseFactory.create(course=course, taken_at=onset + timedelta(minutes=30))  # after onset
    DoseFactory.create(  # another patient's, later and within the window
        course=CourseFactory.create(patient=other_patient), taken_at=onset - timedelta(hours=1)
    )

    entry = services.symptom_entry_create(
        patient=patient, logged_by=patient, data=entry_data(onset_at=onset)
    )

    assert entry.dose == latest
    assert entry.dose_suggested_id == latest.pk  # type: ignore[attr-defined]
    listed = list(selectors.entry_list(patient=patient))
    selectors.relations_fill(patient=patient, entries=listed, suggest=True)
    assert [(entry.dose_id, entry.dose_suggested_id) for entry in listed] == [  # type: ignore[attr-defined]
        (latest.pk, latest.pk)
    ]
    assert selectors.dose_suggested(patient=patient, onset_at=onset) == latest


def test_a_page_of_entries_gets_each_the_dose_it_would_get_alone(
    patient: User, course: MedicationCourse
) -> None:
    first = DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=50))
    DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=10))
    logged_last = DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=10))
    onsets = [
        NOW - timedelta(hours=51),  # before every dose: none
        NOW - timedelta(hours=50),  # the very moment of the first dose
        NOW - timedelta(hours=27),  # 23 hours after the first
        NOW - timedelta(hours=25),  # 25 hours after it, before the next: none
        NOW - timedelta(hours=9),  # after two doses at one time: the one logged last
    ]

    suggested = selectors.doses_suggested(patient=patient, onsets=onsets)

    assert [suggested.get(onset) for onset in onsets] == [
        None,
        first,
        first,
        None,
        logged_last,
    ]
    assert [selectors.dose_suggested(patient=patient, onset_at=onset) for onset in onsets] == [
        suggested.get(onset) for onset in onsets
    ]


def test_an_entry_with_no_dose_in_the_24_hours_before_links_none(
    patient: User, course: MedicationCourse
) -> None:
    DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=30))

    entry = services.symptom_entry_create(
        patient=patient, logged_by=patient, data=entry_data(onset_at=NOW - timedelta(hours=1))
    )

    assert entry.dose is None
    assert entry.dose_suggested_id is None  # type: ignore[attr-defined]
    assert SymptomEntry.objects.get(pk=entry.pk).dose is None


def test_an_entry_whose_history_cannot_be_written_is_not_written_either(
    patient: User, course: MedicationCourse, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("history table unavailable")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", broken)

    with pytest.raises(RuntimeError):
        services.symptom_entry_create(
            patient=patient, logged_by=patient, data=entry_data(onset_at=NOW)
        )

    assert not SymptomEntry.objects.filter(patient=patient).exists()
