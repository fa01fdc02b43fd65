from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from journal import selectors
from journal.api.serializers import EntryOutputSerializer, RedFlagOutputSerializer, red_flag_data
from journal.models import MedicationCourse, SymptomEntry
from reference.safety import find_dosage_advice
from tests.support.factories import (
    CaregiverFactory,
    CourseFactory,
    DoseFactory,
    EntryFactory,
    seeded_side_effect,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LAST_YEAR = timezone.now().year - 1


@pytest.fixture
def course(patient: User) -> MedicationCourse:
    course: MedicationCourse = CourseFactory.create(
        patient=patient, started_on=date(LAST_YEAR - 1, 1, 1)
    )
    return course


def summer(day: int, hour: int, minute: int = 0) -> datetime:
    """A time last July in London, where British Summer Time is UTC+1."""
    return datetime(LAST_YEAR, 7, day, hour, minute, tzinfo=LONDON)


def entry_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "side_effect": "dizziness",
        "onset_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "severity": 2,
        "interference": 1,
    }
    body.update(changes)
    return body


# Writing


def test_an_entry_without_a_dose_is_linked_to_the_suggested_one(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=30))
    latest = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))

    response = api.post("/api/v1/entries/", entry_body(), format="json")

    assert response.status_code == 201
    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.dose == latest
    assert entry.logged_by == patient
    body = response.json()
    assert body["dose"] == latest.pk
    assert body["dose_suggested"] == latest.pk
    assert body["side_effect"] == "dizziness"
    assert body["severity_label"] == "Moderate"
    assert body["interference_label"] == "A little bit"
    assert body["logged_by"] == "pat"
    assert body["is_edited"] is False
    assert body["red_flags"] == []


def test_a_null_dose_links_no_dose_but_still_shows_the_suggestion(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))

    response = api.post("/api/v1/entries/", entry_body(dose=None), format="json")

    assert response.status_code == 201
    assert SymptomEntry.objects.get(patient=patient).dose is None
    assert response.json()["dose"] is None
    assert response.json()["dose_suggested"] == dose.pk


def test_a_chosen_dose_is_linked(api: APIClient, patient: User, course: MedicationCourse) -> None:
    older = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=20))
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))

    response = api.post("/api/v1/entries/", entry_body(dose=older.pk), format="json")

    assert response.status_code == 201
    assert SymptomEntry.objects.get(patient=patient).dose == older


def test_another_symptom_can_be_described_in_words(api: APIClient, patient: User) -> None:
    response = api.post(
        "/api/v1/entries/",
        entry_body(side_effect=None, other_symptom="Tingling in my fingers"),
        format="json",
    )

    assert response.status_code == 201
    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.side_effect is None
    assert entry.other_symptom == "Tingling in my fingers"


def test_a_very_severe_dissociation_on_esketamine_says_contact_the_prescriber_today(
    api: APIClient, course: MedicationCourse
) -> None:
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=1))

    response = api.post(
        "/api/v1/entries/",
        entry_body(side_effect="dissociation", severity=4, interference=4),
        format="json",
    )

    assert response.status_code == 201
    flags = response.json()["red_flags"]
    assert flags[0]["action"] == "prescriber_today"
    assert flags[0]["action_label"] == "Contact your prescriber today"
    [esketamine_rule] = [flag for flag in flags if "detached" in flag["signs"]]
    assert "call the clinic or your prescriber today" in esketamine_rule["guidance"]
    for flag in flags:
        assert find_dosage_advice(flag["guidance"]) == []


def test_a_severe_dissociation_after_esketamine_says_contact_the_prescriber_today(
    api: APIClient, course: MedicationCourse
) -> None:
    """Severe is never weaker than what the esketamine page says for dissociation; the
    rule for any severe symptom still shows, after it."""
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=1))

    response = api.post(
        "/api/v1/entries/", entry_body(side_effect="dissociation", severity=3), format="json"
    )

    assert response.status_code == 201
    actions = [flag["action"] for flag in response.json()["red_flags"]]
    assert actions == ["prescriber_today", "next_visit"]


def now_plus(hours: float) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"resolved_at": now_plus(-2)}, "resolved_at"),
        ({"onset_at": now_plus(2)}, "onset_at"),
        ({"onset_at": "this morning"}, "onset_at"),
        ({"onset_at": 1700000000}, "onset_at"),
        ({"onset_at": "0001-01-01T00:00:00Z"}, "onset_at"),
        ({"onset_at": "0001-01-01T00:02:00Z"}, "onset_at"),
        ({"side_effect": "no-such-symptom"}, "side_effect"),
        ({"side_effect": ["dizziness"]}, "side_effect"),
        ({"side_effect": None}, "side_effect"),
        ({"other_symptom": "Tingling"}, "other_symptom"),
        ({"other_symptom": "x" * 121, "side_effect": None}, "other_symptom"),
        ({"severity": 5}, "severity"),
        ({"severity": -1}, "severity"),
        ({"severity": "high"}, "severity"),
        ({"severity": 10**30}, "severity"),
        ({"severity": None}, "severity"),
        ({"interference": 7}, "interference"),
        ({"notes": ["a", "list"]}, "notes"),
        ({"dose": "the first one"}, "dose"),
        ({"dose": 10**30}, "dose"),
    ],
)
def test_bad_entry_input_is_a_400_naming_the_field_and_writes_nothing(
    api: APIClient, patient: User, changes: dict[str, object], field: str
) -> None:
    response = api.post("/api/v1/entries/", entry_body(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert SymptomEntry.objects.count() == 0


def test_a_dose_of_another_patient_is_not_found(api: APIClient, other_patient: User) -> None:
    theirs = DoseFactory.create(course=CourseFactory.create(patient=other_patient))

    response = api.post("/api/v1/entries/", entry_body(dose=theirs.pk), format="json")

    assert response.status_code == 400
    assert response.json() == {"dose": ["Not found."]}
    assert SymptomEntry.objects.count() == 0


def test_a_dose_taken_after_the_symptom_started_cannot_be_linked(
    api: APIClient, course: MedicationCourse
) -> None:
    later = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(minutes=10))

    response = api.post("/api/v1/entries/", entry_body(dose=later.pk), format="json")

    assert response.status_code == 400
    assert "dose" in response.json()
    assert SymptomEntry.objects.count() == 0


@pytest.mark.parametrize(
    "raw",
    ['{"side_effect": "dizziness",', "severity=2", "[]", '"dizziness"', "null"],
)
def test_a_body_that_is_not_a_json_object_is_a_400(api: APIClient, raw: str) -> None:
    response = api.post("/api/v1/entries/", raw, content_type="application/json")

    assert response.status_code == 400
    assert SymptomEntry.objects.count() == 0


def test_no_error_message_suggests_a_change_of_dose(
    api: APIClient, other_patient: User, course: MedicationCourse
) -> None:
    theirs = DoseFactory.create(course=CourseFactory.create(patient=other_patient))
    later = DoseFactory.create(course=course, taken_at=timezone.now())
    bodies = [
        entry_body(resolved_at=now_plus(-3), onset_at=now_plus(2), severity=9, interference=-1),
        entry_body(side_effect=None),
        entry_body(other_symptom="Shaky"),
        entry_body(dose=theirs.pk),
        entry_body(dose=later.pk),
        entry_body(side_effect="no-such-symptom", severity="high"),
    ]
    for body in bodies:
        response = api.post("/api/v1/entries/", body, format="json")
        assert response.status_code == 400
        for messages in response.json().values():
            for message in messages:
                assert find_dosage_advice(message) == [], message


# Changing and deleting


def test_patch_merges_keeps_the_dose_and_marks_the_entry_edited(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    chosen = DoseFactory.create(course=course, taken_at=summer(1, 8))
    DoseFactory.create(course=course, taken_at=summer(1, 9))  # the one that would be suggested
    entry = EntryFactory.create(patient=patient, onset_at=summer(1, 10), dose=chosen)

    response = api.patch(
        f"/api/v1/entries/{entry.pk}/", {"severity": 3, "notes": "Worse by lunch"}, format="json"
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.severity == 3
    assert entry.notes == "Worse by lunch"
    assert entry.dose == chosen
    assert entry.onset_at == summer(1, 10)
    assert entry.side_effect == seeded_side_effect("dizziness")
    assert response.json()["is_edited"] is True
    assert response.json()["severity_label"] == "Severe"
    assert [old.severity for old in entry.history.order_by("history_date")] == [2, 3]


def test_patch_can_unlink_the_dose(api: APIClient, patient: User, course: MedicationCourse) -> None:
    dose = DoseFactory.create(course=course, taken_at=summer(1, 8))
    entry = EntryFactory.create(patient=patient, onset_at=summer(1, 10), dose=dose)

    response = api.patch(f"/api/v1/entries/{entry.pk}/", {"dose": None}, format="json")

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.dose is None


def test_patch_is_checked_against_the_merged_entry(api: APIClient, patient: User) -> None:
    entry = EntryFactory.create(patient=patient, onset_at=summer(1, 10))

    both = api.patch(f"/api/v1/entries/{entry.pk}/", {"other_symptom": "Shaky"}, format="json")
    early = api.patch(
        f"/api/v1/entries/{entry.pk}/",
        {"resolved_at": summer(1, 9).isoformat()},
        format="json",
    )

    assert both.status_code == 400
    assert "other_symptom" in both.json()
    assert early.status_code == 400
    assert "resolved_at" in early.json()
    entry.refresh_from_db()
    assert entry.other_symptom == ""
    assert entry.resolved_at is None
    assert entry.edited_at is None


def test_put_replaces_the_entry_and_links_the_suggested_dose_when_none_is_given(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=summer(1, 8))
    entry = EntryFactory.create(patient=patient, onset_at=summer(1, 6), notes="Old note")

    response = api.put(
        f"/api/v1/entries/{entry.pk}/",
        {
            "side_effect": "nausea",
            "onset_at": summer(1, 9).isoformat(),
            "severity": 1,
            "interference": 0,
            "resolved_at": summer(1, 11).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.side_effect == seeded_side_effect("nausea")
    assert entry.dose == dose
    assert entry.notes == ""
    assert entry.resolved_at == summer(1, 11)


def test_deleting_an_entry_removes_it(api: APIClient, patient: User) -> None:
    entry = EntryFactory.create(patient=patient)

    assert api.delete(f"/api/v1/entries/{entry.pk}/").status_code == 204
    assert not SymptomEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_answers_every_field_as_it_was_logged_and_lists_the_same(
    api: APIClient, patient: User, course: MedicationCourse, time_machine: TimeMachineFixture
) -> None:
    now = datetime(LAST_YEAR, 7, 3, 9, 30, tzinfo=UTC)  # 10:30 in London
    time_machine.move_to(now, tick=False)
    dose = DoseFactory.create(course=course, taken_at=now - timedelta(hours=2))
    body = entry_body(
        side_effect="dissociation",
        onset_at=(now - timedelta(hours=1)).isoformat(),
        resolved_at=now.isoformat(),
        severity=4,
        interference=3,
        notes="Shaky.",
    )

    response = api.post("/api/v1/entries/", body, format="json")

    assert response.status_code == 201
    answer = response.json()
    flags = answer.pop("red_flags")
    entry = SymptomEntry.objects.get(patient=patient)
    assert answer == {
        "id": entry.pk,
        "side_effect": "dissociation",
        "other_symptom": "",
        "matched_side_effect": None,
        "match_set_by_patient": False,
        "onset_at": f"{LAST_YEAR}-07-03T09:30:00+01:00",
        "resolved_at": f"{LAST_YEAR}-07-03T10:30:00+01:00",
        "severity": 4,
        "severity_label": "Very severe",
        "interference": 3,
        "interference_label": "Quite a bit",
        "danger_signs": [],
        "notes": "Shaky.",
        "dose": dose.pk,
        "dose_suggested": dose.pk,
        "logged_by": "pat",
        "created_at": f"{LAST_YEAR}-07-03T10:30:00+01:00",
        "updated_at": f"{LAST_YEAR}-07-03T10:30:00+01:00",
        "is_backfilled": False,
        "is_edited": False,
    }
    assert flags[0]["action"] == "prescriber_today"
    assert flags[0]["action_label"] == "Contact your prescriber today"
    assert all(set(flag) == {"action", "action_label", "signs", "guidance"} for flag in flags)
    [listed] = api.get("/api/v1/entries/").json()["results"]
    assert listed == answer | {"red_flags": flags}


# The entry's answer is written out by hand for the list's speed; DRF's rendering of the
# same declared fields is the reference it must keep to.


def test_an_entry_reads_the_same_as_drfs_own_rendering_of_its_fields(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=2))
    for body in (
        entry_body(side_effect="dissociation", severity=4, interference=4, notes="Shaky."),
        entry_body(resolved_at=timezone.now().isoformat(), dose=None),
        entry_body(side_effect=None, other_symptom="Hiccups", onset_at=summer(3, 9).isoformat()),
        entry_body(side_effect="skin-rash", danger_signs=["fever"], severity=3),
    ):
        assert api.post("/api/v1/entries/", body, format="json").status_code == 201
    by_caregiver = EntryFactory.create(patient=patient, logged_by=CaregiverFactory.create())
    EntryFactory.create(patient=patient, logged_by=None, dose=dose, edited_at=timezone.now())

    with timezone.override(LONDON):
        entries = list(selectors.entry_list(patient=patient))
        selectors.relations_fill(patient=patient, entries=entries, suggest=True)
        serializer = EntryOutputSerializer(
            context={"red_flag_matcher": selectors.RedFlagMatcher(patient=patient)}
        )
        for entry in entries:
            by_hand = serializer.to_representation(entry)
            by_drf = serializers.ModelSerializer.to_representation(serializer, entry)
            assert by_hand == dict(by_drf)
            assert list(by_hand) == list(by_drf)
    assert by_caregiver.pk in {entry.pk for entry in entries}
    assert any(entry.dose_id == dose.pk and entry.is_edited for entry in entries)
    assert any(serializer.to_representation(entry)["red_flags"] for entry in entries)


def test_a_red_flag_reads_the_same_as_drfs_own_rendering_of_its_fields(patient: User) -> None:
    entry = EntryFactory.create(patient=patient, side_effect=seeded_side_effect("skin-rash"))
    entry.danger_signs = ["fever"]
    flags = selectors.RedFlagMatcher(patient=patient).for_entry(entry)
    assert flags

    for country in ("", "GB", "US"):
        context = {"country": country}
        by_drf = [RedFlagOutputSerializer(flag, context=context).data for flag in flags]
        assert [red_flag_data(flag, country) for flag in flags] == by_drf


@pytest.mark.parametrize("page", ["", "abc", "0", "3"])
def test_a_page_that_is_not_there_is_a_404_saying_so(
    api: APIClient, patient: User, page: str
) -> None:
    EntryFactory.create(patient=patient)

    response = api.get(f"/api/v1/entries/?page={page}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_the_last_page_can_be_asked_for_by_name(api: APIClient, patient: User) -> None:
    EntryFactory.create(patient=patient)

    assert api.get("/api/v1/entries/?page=last").json()["count"] == 1
