""" "Download all my data" holds the reminder settings and reminders; deleting the account
removes them, and the check-in links, with it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from pytest_django import DjangoCaptureOnCommitCallbacks

from reminders.models import CheckinLink, Reminder, ReminderSettings
from reminders.services import reminders_send_due
from tests.support.clients import logged_in_client
from tests.support.factories import PASSWORD, CourseFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def reminded(patient: User) -> User:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient, daily=True, daily_at=time(21), quiet=(time(23), time(6, 30)))
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        logged_in_client(patient).post(f"/journal/courses/{course.pk}/taken-now/")
    with time_machine.travel(NOW + timedelta(minutes=40), tick=False):
        reminders_send_due()
    assert CheckinLink.objects.count() == 1
    return patient


def test_the_export_holds_the_settings_and_every_reminder(reminded: User) -> None:
    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        response = logged_in_client(reminded).post("/accounts/export/")
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))

    chosen = json.loads(archive.read("reminder_settings.json"))
    listed = json.loads(archive.read("reminders.json"))

    assert chosen == [
        {
            "checkin_reminders": True,
            "daily_reminder": True,
            "daily_at": "21:00",
            "quiet_start": "23:00",
            "quiet_end": "06:30",
        }
    ]
    assert [(r["kind"], r["point"], r["status"]) for r in listed] == [
        ("checkin", "40min", "sent"),
        ("checkin", "2h", "pending"),
        ("checkin", "evening", "pending"),
        ("daily", "", "pending"),
    ]
    assert listed[0]["sent_at"] == "2026-03-10T14:40:00+00:00"
    assert "reminders.csv" in archive.namelist()


def test_deleting_the_account_removes_them(
    reminded: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with (
        time_machine.travel(NOW + timedelta(minutes=41), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = logged_in_client(reminded).post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 200
    assert not ReminderSettings.objects.exists()
    assert not Reminder.objects.exists()
    assert not CheckinLink.objects.exists()
