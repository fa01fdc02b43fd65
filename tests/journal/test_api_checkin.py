"""`/api/v1/doses/<id>/check-in/`: the steps of a dose, and one step recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from journal.models import CheckInRating, DoseEvent, SymptomEntry
from tests.support.clients import token_client
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 14, 41, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def dose(patient: User) -> DoseEvent:
    course = CourseFactory.create(patient=patient)
    return DoseFactory.create(course=course, taken_at=NOW - timedelta(minutes=41))


@pytest.fixture
def client(patient: User) -> APIClient:
    return token_client(patient)


def test_it_lists_the_steps_with_their_times_and_statuses(
    client: APIClient, dose: DoseEvent
) -> None:
    response = client.get(f"/api/v1/doses/{dose.pk}/check-in/")

    assert response.status_code == 200
    steps = {step["point"]: step for step in response.json()}
    assert list(steps) == ["before", "40min", "2h", "evening", "morning"]
    assert steps["40min"]["due_at"] == "2026-03-10T14:40:00Z"
    assert {point: step["status"] for point, step in steps.items()} == {
        "before": "due",
        "40min": "due",
        "2h": "upcoming",
        "evening": "upcoming",
        "morning": "upcoming",
    }
    assert steps["morning"]["optional"] is True
    assert steps["40min"]["ratings"] == []


def test_a_step_posted_answers_201_with_its_entries_and_red_flags(
    client: APIClient, dose: DoseEvent
) -> None:
    body = {
        "point": "40min",
        "ratings": [
            {"side_effect": "dissociation", "severity": 4, "interference": 3, "gone": False},
            {"side_effect": "nausea", "severity": 0},
        ],
    }

    response = client.post(f"/api/v1/doses/{dose.pk}/check-in/", body, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["step"]["status"] == "done"
    assert [(r["side_effect"], r["severity"]) for r in answer["step"]["ratings"]] == [
        ("dissociation", 4),
        ("nausea", 0),
    ]
    [entry] = answer["entries"]
    assert (entry["side_effect"], entry["severity"], entry["dose"]) == ("dissociation", 4, dose.pk)
    assert entry["red_flags"][0]["action"] == "prescriber_today"
    got = client.get(f"/api/v1/doses/{dose.pk}/check-in/").json()
    assert got[1]["status"] == "done"


def test_a_step_not_yet_due_answers_400_saying_when(client: APIClient, dose: DoseEvent) -> None:
    body = {"point": "2h", "ratings": [{"side_effect": "nausea", "severity": 1}]}

    response = client.post(f"/api/v1/doses/{dose.pk}/check-in/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "point": ["This step is not due yet: it opens at 16:00 on Tuesday 10 March."]
    }
    assert not CheckInRating.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"point": "noon", "ratings": [{"side_effect": "nausea", "severity": 1}]},
        {"point": "40min", "ratings": []},
        {"point": "40min", "ratings": [{"side_effect": "nausea", "severity": 5}]},
        {"point": "40min", "ratings": [{"side_effect": "nausea", "severity": "2"}]},
        {"point": "40min", "ratings": [{"side_effect": "no-such", "severity": 1}]},
        {"point": "40min", "ratings": [{"side_effect": "nausea", "severity": 1, "gone": 1}]},
        {
            "point": "40min",
            "ratings": [
                {"side_effect": "nausea", "severity": 1},
                {"side_effect": "nausea", "severity": 2},
            ],
        },
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    client: APIClient, dose: DoseEvent, body: dict[str, object]
) -> None:
    response = client.post(f"/api/v1/doses/{dose.pk}/check-in/", body, format="json")

    assert response.status_code == 400
    assert not CheckInRating.objects.exists()
    assert not SymptomEntry.objects.exists()


def test_another_patients_dose_and_a_memantine_dose_are_not_found(
    client: APIClient, patient: User, dose: DoseEvent
) -> None:
    theirs = DoseFactory.create(taken_at=NOW - timedelta(minutes=41))
    course = CourseFactory.create(patient=patient, drug=seeded_drug("memantine"), route="oral")
    memantine = DoseFactory.create(course=course)

    assert client.get(f"/api/v1/doses/{theirs.pk}/check-in/").status_code == 404
    assert client.get(f"/api/v1/doses/{memantine.pk}/check-in/").status_code == 404
