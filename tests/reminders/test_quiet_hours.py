"""Quiet hours, in the patient's time zone: a reminder due in them waits until they end; a
check-in reminder that would wait more than 3 hours is skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from journal.models import DoseEvent
from reminders.models import Reminder
from reminders.timing import CHECKIN_QUIET_DELAY_LIMIT, due_outside_quiet_hours, next_daily
from tests.support.factories import CourseFactory
from tests.support.reminders import live_checkins, reminders_on

LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (at(21, 59), at(21, 59)),  # before quiet hours
        (at(22, 0), at(7, 0, day=11)),  # at their start: waits until 07:00
        (at(3, 0), at(7, 0)),  # after midnight, in them
        (at(7, 0), at(7, 0)),  # at their end: sent
    ],
)
def test_quiet_hours_across_midnight(due: datetime, expected: datetime) -> None:
    assert due_outside_quiet_hours(due, start=time(22), end=time(7), zone=LONDON) == expected


def test_quiet_hours_within_a_day() -> None:
    def waited(due: datetime) -> datetime | None:
        return due_outside_quiet_hours(due, start=time(13), end=time(15), zone=LONDON)

    assert waited(at(14)) == at(15)
    assert waited(at(16)) == at(16)


def test_quiet_hours_are_read_in_the_patients_zone() -> None:
    # 12:00 UTC is 23:00 in Sydney (daylight time, UTC+11): in quiet hours there.
    waited = due_outside_quiet_hours(at(12), start=time(22), end=time(7), zone=SYDNEY)

    assert waited == datetime(2026, 3, 11, 7, 0, tzinfo=SYDNEY)


def test_a_check_in_reminder_more_than_3_hours_late_is_skipped() -> None:
    limit = CHECKIN_QUIET_DELAY_LIMIT
    assert due_outside_quiet_hours(
        at(4, 30), start=time(22), end=time(7), zone=LONDON, delay_limit=limit
    ) == at(7)
    assert (
        due_outside_quiet_hours(at(23), start=time(22), end=time(7), zone=LONDON, delay_limit=limit)
        is None
    )


def test_the_next_daily_time_across_the_clock_change() -> None:
    # London moves to BST at 01:00 UTC on 29 March 2026: 20:00 is then 19:00 UTC.
    assert next_daily(at(21, day=28), at=time(20), zone=LONDON) == datetime(
        2026, 3, 29, 19, 0, tzinfo=UTC
    )


@pytest.mark.django_db
def test_a_late_session_gets_the_reminders_quiet_hours_allow(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient, quiet=(time(22), time(7)))
    course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))

    with time_machine.travel(at(21, 30), tick=False):
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    # 22:10 would wait 9 hours: skipped; 23:30 likewise.
    assert DoseEvent.objects.filter(course=course).exists()
    assert live_checkins(patient) == []


@pytest.mark.django_db
def test_a_session_just_before_quiet_hours_end_is_reminded_when_they_end(
    patient: User, patient_client: Client
) -> None:
    reminders_on(patient, quiet=(time(22), time(7)))
    course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))

    with time_machine.travel(at(5, 0), tick=False):
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert live_checkins(patient) == [("40min", "07:00"), ("2h", "07:00"), ("evening", "20:00")]


@pytest.mark.django_db
def test_a_daily_reminder_in_quiet_hours_waits_until_they_end(patient: User) -> None:
    with time_machine.travel(at(12), tick=False):
        reminders_on(
            patient, checkin=False, daily=True, daily_at=time(23), quiet=(time(22), time(7))
        )

    assert Reminder.objects.get(kind="daily", status="pending").due_at == at(7, day=11)
