"""Two workers sending at once never send a reminder twice: each is claimed by one
conditional UPDATE. The list API costs the same queries however many reminders."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from journal.services import dose_create
from reminders.models import Reminder
from reminders.services import reminders_send_due
from tests.support.factories import CourseFactory, PatientFactory
from tests.support.reminders import reminders_on
from tests.support.services import unavailable

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def doses_logged(patient: User, count: int) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        for number in range(count):
            dose_create(course=course, taken_at=NOW - timedelta(minutes=number), logged_by=patient)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once() -> None:
    if connection.vendor != "postgresql":
        unavailable("concurrent claims need PostgreSQL")
    patient = PatientFactory.create()
    doses_logged(patient, 20)
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            sent.append(reminders_send_due())
        finally:
            connections.close_all()

    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sum(sent) == 20
    ids = [message.extra_headers["X-Sidelog-Reminder"] for message in mail.outbox]
    assert len(ids) == len(set(ids)) == 20
    assert Reminder.objects.filter(point="40min", status="sent").count() == 20


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_3_or_45_reminders(
    patient: User, api: APIClient
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/reminders/").status_code == 200
        return len(captured)

    doses_logged(patient, 1)
    few = queries()
    doses_logged(patient, 14)

    # Each session: 40 minutes, 2 hours and the evening.
    assert Reminder.objects.filter(patient=patient).count() == 15 * 3
    assert queries() == few
