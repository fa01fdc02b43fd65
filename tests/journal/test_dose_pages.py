from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from journal.models import DoseEvent
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_taken_now_records_a_dose_in_one_tap_and_offers_the_check_in(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)

    response = patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    dose = DoseEvent.objects.get(course=course)
    assert timedelta(0) <= timezone.now() - dose.taken_at < timedelta(minutes=1)
    assert dose.taken_at.second == 0
    assert dose.logged_by == patient
    assert response.status_code == 302
    assert response["Location"] == f"/journal/doses/{dose.pk}/check-in/"


def test_taken_now_on_lamotrigine_goes_back_to_the_dashboard(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"), route="oral")

    response = patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert response["Location"] == "/journal/"
    assert DoseEvent.objects.filter(course=course).count() == 1


def test_taken_now_needs_a_post(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)

    assert patient_client.get(f"/journal/courses/{course.pk}/taken-now/").status_code == 405
    assert DoseEvent.objects.count() == 0


def test_recording_an_earlier_dose(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)
    when = (timezone.now() - timedelta(days=2)).astimezone(LONDON)

    patient_client.post(
        "/journal/doses/new/",
        {
            "course": course.pk,
            "taken_at": when.strftime("%Y-%m-%dT%H:%M"),
            "setting": "clinic",
            "note": "",
        },
    )

    dose = DoseEvent.objects.get(course=course)
    assert dose.taken_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") == when.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert dose.is_backfilled


@pytest.mark.parametrize(
    ("taken_at", "message"),
    [("2099-01-01T09:00", "can't be in the future"), ("2000-01-01T09:00", "outside the course")],
)
def test_a_dose_out_of_bounds_is_refused(
    patient: User, patient_client: Client, taken_at: str, message: str
) -> None:
    course = CourseFactory.create(patient=patient)

    response = patient_client.post(
        "/journal/doses/new/",
        {"course": course.pk, "taken_at": taken_at, "setting": "home", "note": ""},
    )

    assert message in " ".join(response.context["form"].errors["taken_at"])
    assert DoseEvent.objects.count() == 0


def test_there_is_no_check_in_for_memantine(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("memantine"), route="oral")
    dose = DoseFactory.create(course=course)

    assert patient_client.get(f"/journal/doses/{dose.pk}/check-in/").status_code == 404
