"""Logging an entry on PostgreSQL is one hand-written statement (entry, dose suggestion and
history row); elsewhere it is the ORM and django-simple-history. Both must write the same."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from journal import selectors, services
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from tests.support.factories import CourseFactory, DoseFactory, seeded_side_effect

pytestmark = pytest.mark.django_db

# What differs between two rows written a moment apart.
OWN = {"id", "created_at", "updated_at", "history_id", "history_date"}


def row_of(entry: SymptomEntry) -> dict[str, Any]:
    row = SymptomEntry.objects.filter(pk=entry.pk).values().get()
    return {name: value for name, value in row.items() if name not in OWN}


def history_of(entry: SymptomEntry) -> list[dict[str, Any]]:
    rows = SymptomEntry.history.filter(id=entry.pk).values()
    return [{name: value for name, value in row.items() if name not in OWN} for row in rows]


def both_ways(patient: User, logged_by: User, *, suggest: bool, **fields: Any) -> list[Any]:
    """Write the same entry both ways; each gives back the entry and its rows."""
    values: dict[str, Any] = {
        "side_effect": seeded_side_effect("dissociation"),
        "onset_at": timezone.now() - timedelta(hours=1),
        "severity": 3,
        "interference": 2,
        "notes": "Floaty for an hour.",
    } | fields
    written = []
    for insert in (services._entry_insert_in_one_statement, services._entry_insert_with_orm):
        entry = insert(
            SymptomEntry(patient=patient, logged_by=logged_by, **values), suggest=suggest
        )
        written.append((entry, row_of(entry), history_of(entry)))
    return written


@pytest.fixture
def course(patient: User) -> MedicationCourse:
    course: MedicationCourse = CourseFactory.create(patient=patient)
    return course


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize("suggest", [True, False])
def test_the_statement_writes_what_the_orm_writes(
    patient: User, caregiver: User, other_patient: User, course: MedicationCourse, suggest: bool
) -> None:
    now = timezone.now()
    earlier = DoseFactory.create(course=course, taken_at=now - timedelta(hours=5))
    latest = DoseFactory.create(course=course, taken_at=now - timedelta(hours=2))
    DoseFactory.create(course=course, taken_at=now - timedelta(minutes=30))  # after onset
    DoseFactory.create(  # another patient's, later and within the window
        course=CourseFactory.create(patient=other_patient), taken_at=now - timedelta(hours=1)
    )
    cases: list[dict[str, Any]] = [
        {},
        {"logged_by": caregiver},
        {"dose": earlier},
        {"side_effect": None, "other_symptom": "Hiccups", "resolved_at": now},
        {"from_checkin": True, "notes": ""},
        {"onset_at": now - timedelta(days=3)},  # no dose in the 24 hours before
    ]
    for case in cases:
        logged_by = case.pop("logged_by", patient)
        (fast, fast_row, fast_history), (orm, orm_row, orm_history) = both_ways(
            patient, logged_by, suggest=suggest, **case
        )

        assert fast_row == orm_row
        assert fast_history == orm_history
        assert len(fast_history) == 1
        assert fast_history[0]["history_type"] == "+"
        assert fast_history[0]["history_user_id"] == logged_by.pk
        assert fast.dose_suggested_id == orm.dose_suggested_id
        assert fast.dose_id == orm.dose_id
        if fast.dose is not None:
            assert fast.dose.course.drug_id == orm.dose.course.drug_id
        assert fast.created_at == SymptomEntry.objects.get(pk=fast.pk).created_at

    # The cases saw the suggestion at work, and none took another patient's dose.
    entries = selectors.entry_list(patient=patient)
    assert {entry.dose_suggested_id for entry in entries} == {latest.pk, None}  # type: ignore[attr-defined]
    # Asked to suggest, the helpers link the suggestion; else the dose given, or none.
    linked = {entry.dose_id for entry in entries}
    assert linked == ({latest.pk, None} if suggest else {earlier.pk, None})


def test_an_entry_logged_by_a_caregiver_keeps_who_logged_it_in_its_history(
    patient: User, caregiver: User, course: MedicationCourse
) -> None:
    dose: DoseEvent = DoseFactory.create(course=course)
    data = services.EntryInput(
        side_effect=seeded_side_effect("nausea"),
        other_symptom="",
        onset_at=dose.taken_at + timedelta(minutes=20),
        resolved_at=None,
        severity=1,
        interference=0,
    )

    entry = services.symptom_entry_create(patient=patient, logged_by=caregiver, data=data)

    assert entry.dose_id == dose.pk
    assert entry.dose_suggested_id == dose.pk  # type: ignore[attr-defined]
    [first] = history_of(entry)
    assert first["history_user_id"] == caregiver.pk
    assert first["history_type"] == "+"
    stored = SymptomEntry.objects.get(pk=entry.pk)
    assert (stored.logged_by, stored.dose, stored.severity) == (caregiver, dose, 1)
