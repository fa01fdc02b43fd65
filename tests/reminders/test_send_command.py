"""`manage.py reminders_send_due`: what beat does, for `make run`, which has no broker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from reminders.models import Reminder
from tests.support.factories import CourseFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def send_due_at(moment: datetime) -> str:
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("reminders_send_due", stdout=out)
    return out.getvalue()


def test_it_sends_the_due_check_in_reminder_once(patient: User, patient_client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")

    assert send_due_at(NOW + timedelta(minutes=39)) == "0 due reminders sent.\n"
    assert send_due_at(NOW + timedelta(minutes=40)) == "1 due reminders sent.\n"
    assert send_due_at(NOW + timedelta(minutes=41)) == "0 due reminders sent.\n"

    [sent] = mail.outbox
    assert "about 40 minutes after your Esketamine session" in str(sent.subject)
    assert "/r/" in str(sent.body)
    assert Reminder.objects.get(point="40min").status == "sent"
