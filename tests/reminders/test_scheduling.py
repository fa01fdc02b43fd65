"""Check-in reminders follow the dose: logged, moved or deleted, from the pages, the API or
a caregiver, its reminders are made, moved or cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from journal.models import DoseEvent
from reminders.models import Reminder
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import CourseFactory, seeded_drug
from tests.support.reminders import live_checkins, reminders_on

pytestmark = pytest.mark.django_db

# A Tuesday in March: London keeps GMT, so UTC times read as London's.
NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_taken_now_schedules_the_40_minute_2_hour_and_evening_reminders(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)

    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert live_checkins(patient) == [("40min", "14:40"), ("2h", "16:00"), ("evening", "20:00")]


def test_a_session_late_in_the_day_is_reminded_of_its_evening_6_hours_after(
    patient: User,
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)

    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        logged_in_client(patient).post(f"/journal/courses/{course.pk}/taken-now/")

    # Taken at 17:00: the evening step is due at 23:00, not at 20:00.
    assert live_checkins(patient) == [("40min", "17:40"), ("2h", "19:00"), ("evening", "23:00")]


def test_the_evening_reminder_is_at_20_00_in_the_patients_zone(
    patient: User, patient_client: Client
) -> None:
    patient.profile.time_zone = "America/New_York"
    patient.profile.save()
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)

    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    # 10:00 in New York (daylight time since 8 March); 20:00 there is 00:00 UTC.
    assert live_checkins(patient) == [("40min", "14:40"), ("2h", "16:00"), ("evening", "00:00")]
    evening = Reminder.objects.get(point="evening")
    assert evening.due_at == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)


def test_nothing_is_scheduled_for_a_patient_who_did_not_ask(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)

    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert not Reminder.objects.exists()


def test_a_medicine_without_a_check_in_gets_no_reminder(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"))

    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert live_checkins(patient) == []


def test_a_dose_logged_hours_later_gets_no_reminder_for_points_long_past(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)

    patient_client.post(
        "/journal/doses/new/",
        {"course": course.pk, "taken_at": "2026-03-10T12:30", "setting": "clinic", "note": ""},
    )

    assert live_checkins(patient) == [("2h", "14:30"), ("evening", "20:00")]


def test_editing_the_dose_time_moves_its_reminders(patient: User, patient_client: Client) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    dose = DoseEvent.objects.get(course=course)

    patient_client.post(
        f"/journal/doses/{dose.pk}/",
        {"course": course.pk, "taken_at": "2026-03-10T13:50", "setting": "clinic", "note": ""},
    )

    assert live_checkins(patient) == [("40min", "14:30"), ("2h", "15:50"), ("evening", "20:00")]
    assert Reminder.objects.filter(status=Reminder.Status.CANCELLED).count() == 0


def test_deleting_the_dose_removes_its_reminders(patient: User, patient_client: Client) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    dose = DoseEvent.objects.get(course=course)

    patient_client.post(f"/journal/doses/{dose.pk}/delete/")

    assert not DoseEvent.objects.exists()
    assert not Reminder.objects.exists()


def test_the_api_schedules_moves_and_deletes_them_too(patient: User, api: APIClient) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)

    created = api.post(
        "/api/v1/doses/",
        {"course": course.pk, "taken_at": "2026-03-10T14:00:00Z", "setting": "clinic"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert live_checkins(patient) == [("40min", "14:40"), ("2h", "16:00"), ("evening", "20:00")]

    dose_id = created.json()["id"]
    moved = api.patch(
        f"/api/v1/doses/{dose_id}/", {"taken_at": "2026-03-10T13:45:00Z"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert live_checkins(patient) == [("40min", "14:25"), ("2h", "15:45"), ("evening", "20:00")]

    assert api.delete(f"/api/v1/doses/{dose_id}/").status_code == 204
    assert live_checkins(patient) == []


def test_a_caregiver_logging_the_dose_schedules_the_patients_reminders(
    patient: User, caregiver: User
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)
    client = acting_for(logged_in_client(caregiver), patient)

    client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert live_checkins(patient) == [("40min", "14:40"), ("2h", "16:00"), ("evening", "20:00")]
    assert Reminder.objects.get(point="40min").patient == patient


def test_a_sent_reminder_is_not_scheduled_again_when_the_dose_moves(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    dose = DoseEvent.objects.get(course=course)
    Reminder.objects.filter(point="40min").update(status=Reminder.Status.SENT, sent_at=NOW)

    patient_client.post(
        f"/journal/doses/{dose.pk}/",
        {"course": course.pk, "taken_at": "2026-03-10T13:55", "setting": "clinic", "note": ""},
    )

    assert live_checkins(patient) == [("2h", "15:55"), ("evening", "20:00")]
    assert Reminder.objects.filter(point="40min", status="sent").count() == 1


def test_turning_check_in_reminders_off_cancels_the_pending_ones(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient)
    course = CourseFactory.create(patient=patient)
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    reminders_on(patient, checkin=False)

    assert live_checkins(patient) == []
    assert Reminder.objects.filter(status=Reminder.Status.CANCELLED).count() == 3


def test_turning_them_on_after_a_dose_schedules_its_remaining_points(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    with time_machine.travel(NOW + timedelta(minutes=50), tick=False):
        reminders_on(patient)

    assert live_checkins(patient) == [("2h", "16:00"), ("evening", "20:00")]


def test_a_daily_reminder_is_due_at_the_chosen_local_time(patient: User) -> None:
    patient.profile.time_zone = "America/New_York"
    patient.profile.save()

    reminders_on(patient, checkin=False, daily=True, daily_at=time(20, 30))

    daily = Reminder.objects.get(kind=Reminder.Kind.DAILY, status=Reminder.Status.PENDING)
    # 20:30 in New York, on daylight time since 8 March: 00:30 UTC the next day.
    assert daily.due_at == datetime(2026, 3, 11, 0, 30, tzinfo=UTC)


def test_changing_the_time_zone_moves_the_daily_reminder(patient: User, api: APIClient) -> None:
    reminders_on(patient, checkin=False, daily=True, daily_at=time(20, 0))

    api.patch("/api/v1/profile/", {"time_zone": "Asia/Tokyo"}, format="json")

    daily = Reminder.objects.get(kind=Reminder.Kind.DAILY, status=Reminder.Status.PENDING)
    # 20:00 in Tokyo (UTC+9) is 11:00 UTC, passed today: tomorrow's.
    assert daily.due_at == datetime(2026, 3, 11, 11, 0, tzinfo=UTC)
