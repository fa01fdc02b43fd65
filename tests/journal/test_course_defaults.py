"""What Sidelog assumes when a patient leaves it out: how a medicine is taken, and where."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from journal.models import DoseEvent, MedicationCourse
from tests.support.factories import CourseFactory, seeded_drug

pytestmark = pytest.mark.django_db

# 23:30 UTC on 9 June is already 00:30 on the 10th in London, where the patient lives.
NOW = datetime(2026, 6, 9, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.mark.parametrize(
    ("drug", "route"), [("esketamine", "nasal"), ("ketamine", "iv"), ("lamotrigine", "oral")]
)
def test_a_course_without_a_route_is_taken_the_usual_way(
    api: APIClient, drug: str, route: str
) -> None:
    response = api.post(
        "/api/v1/courses/", {"drug": drug, "started_on": "2026-06-01"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["route"] == route


def test_the_course_page_adds_esketamine_as_a_nasal_spray(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post(
        "/journal/courses/new/",
        {
            "drug": seeded_drug("esketamine").pk,
            "started_on": "2026-06-01",
            "route": "",
            "regimen": "",
        },
    )

    assert response.status_code == 302
    assert MedicationCourse.objects.get(patient=patient).route == "nasal"


def test_a_course_cannot_start_in_the_future(api: APIClient, patient: User) -> None:
    response = api.post(
        "/api/v1/courses/", {"drug": "memantine", "started_on": "2026-06-11"}, format="json"
    )

    assert response.status_code == 400
    assert "can't be in the future" in response.json()["started_on"][0]
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_today_in_the_patients_zone_is_not_the_future(api: APIClient) -> None:
    response = api.post(
        "/api/v1/courses/", {"drug": "memantine", "started_on": "2026-06-10"}, format="json"
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("drug", "setting"), [("esketamine", "clinic"), ("ketamine", "clinic"), ("memantine", "home")]
)
def test_a_dose_without_a_setting_is_where_the_medicine_is_usually_given(
    api: APIClient, patient: User, drug: str, setting: str
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug(drug))

    response = api.post(
        "/api/v1/doses/", {"course": course.pk, "taken_at": "2026-06-09T10:00:00Z"}, format="json"
    )

    assert response.json()["setting"] == setting


def test_a_dose_written_around_save_without_a_setting_is_refused(patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseEvent(course=course, taken_at=datetime(2026, 6, 9, 10, tzinfo=UTC))

    with pytest.raises(IntegrityError), transaction.atomic():
        DoseEvent.objects.bulk_create([dose])

    assert not DoseEvent.objects.exists()


def test_taken_now_records_an_esketamine_session_in_clinic(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))

    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert DoseEvent.objects.get(course=course).setting == "clinic"


def test_the_dose_form_for_an_esketamine_course_starts_in_clinic(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))

    page = patient_client.get(f"/journal/doses/new/?course={course.pk}").content.decode()

    assert re.search(r'<input[^>]*value="clinic"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="home"[^>]*checked', page)
