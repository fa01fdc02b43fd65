"""Beat sends each due reminder once: claimed by one conditional UPDATE, marked sent after.
Late is possible (a dead worker, Redis or the mail server down); twice never is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from reminders.models import Reminder
from reminders.services import reminder_send, reminders_send_due
from reminders.tasks import reminders_send_due_task
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def dosed(patient: User, patient_client: Client) -> Iterator[User]:
    """Pat, who asked for check-in reminders, took esketamine at 14:00."""
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    assert [r.point for r in Reminder.objects.filter(patient=patient).order_by("due_at")] == [
        "40min",
        "2h",
        "evening",
    ]
    yield patient


def run_beat_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders_send_due_task.delay().get()


def test_nothing_is_sent_before_it_is_due(dosed: User) -> None:
    assert run_beat_at(NOW + timedelta(minutes=39)) == 0
    assert mail.outbox == []


def test_a_due_reminder_is_sent_once_however_often_beat_runs(dosed: User) -> None:
    assert run_beat_at(NOW + timedelta(minutes=40)) == 1
    assert run_beat_at(NOW + timedelta(minutes=41)) == 0
    assert run_beat_at(NOW + timedelta(minutes=40)) == 0

    assert len(mail.outbox) == 1
    sent = Reminder.objects.get(point="40min")
    assert (sent.status, sent.sent_at) == ("sent", NOW + timedelta(minutes=40))
    assert mail.outbox[0].to == [dosed.email]
    assert "check-in about 40 minutes after your Esketamine session" in mail.outbox[0].subject
    assert re.search(r"http://127.0.0.1:8000/r/[\w-]{20,}/", str(mail.outbox[0].body))


def test_a_reminder_claimed_by_another_worker_is_not_sent(dosed: User) -> None:
    reminder = Reminder.objects.get(point="40min")
    Reminder.objects.filter(pk=reminder.pk).update(status="claimed", claimed_at=NOW)

    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        assert reminder_send(reminder_id=reminder.pk) is False

    assert mail.outbox == []


def test_a_claim_a_dead_worker_left_is_sent_a_few_minutes_late(dosed: User) -> None:
    reminder = Reminder.objects.get(point="40min")
    Reminder.objects.filter(pk=reminder.pk).update(
        status="claimed", claimed_at=NOW + timedelta(minutes=40)
    )

    assert run_beat_at(NOW + timedelta(minutes=44)) == 0  # the claim may still be working
    assert run_beat_at(NOW + timedelta(minutes=46)) == 1  # five minutes on: released

    assert len(mail.outbox) == 1


def test_a_reminder_left_sending_is_never_sent_again(dosed: User) -> None:
    """The worker died while handing it to the mail server: it may have gone out."""
    reminder = Reminder.objects.get(point="40min")
    Reminder.objects.filter(pk=reminder.pk).update(
        status="sending", claimed_at=NOW + timedelta(minutes=40)
    )

    run_beat_at(NOW + timedelta(minutes=50))
    run_beat_at(NOW + timedelta(minutes=60))

    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.UNKNOWN


def test_a_slow_worker_whose_claim_was_released_does_not_send(dosed: User) -> None:
    reminder = Reminder.objects.get(point="40min")
    with time_machine.travel(NOW + timedelta(minutes=40), tick=False):
        Reminder.objects.filter(pk=reminder.pk).update(
            status="claimed", claimed_at=NOW + timedelta(minutes=40)
        )
    run_beat_at(NOW + timedelta(minutes=46))  # released and sent by another run

    with time_machine.travel(NOW + timedelta(minutes=47), tick=False):
        assert reminder_send(reminder_id=reminder.pk) is False

    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_leaves_it_pending_for_the_next_run(
    dosed: User, settings: object
) -> None:
    setattr(settings, "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")  # noqa: B010
    setattr(settings, "EMAIL_HOST", "127.0.0.1")  # noqa: B010
    setattr(settings, "EMAIL_PORT", 1)  # noqa: B010 (nothing listens)

    assert run_beat_at(NOW + timedelta(minutes=40)) == 0

    assert Reminder.objects.get(point="40min").status == Reminder.Status.PENDING


def test_a_check_in_reminder_3_hours_late_is_cancelled_not_sent(dosed: User) -> None:
    assert run_beat_at(NOW + timedelta(hours=5, minutes=1)) == 0

    assert mail.outbox == []
    statuses = dict(Reminder.objects.values_list("point", "status"))
    # The evening's (due at 20:00) is still to come.
    assert statuses == {"40min": "cancelled", "2h": "cancelled", "evening": "pending"}
    assert run_beat_at(NOW + timedelta(hours=9, minutes=1)) == 0
    assert mail.outbox == []
    assert Reminder.objects.get(point="evening").status == "cancelled"


def test_a_daily_reminder_is_sent_and_the_next_one_scheduled(patient: User) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient, checkin=False, daily=True, daily_at=time(20, 0))

    assert run_beat_at(datetime(2026, 3, 10, 20, 0, 30, tzinfo=UTC)) == 1

    assert mail.outbox[0].subject == "Sidelog: your daily journal"
    waiting = Reminder.objects.get(kind="daily", status="pending")
    assert waiting.due_at == datetime(2026, 3, 11, 20, 0, tzinfo=UTC)


def test_an_account_without_an_address_is_not_emailed(dosed: User) -> None:
    User.objects.filter(pk=dosed.pk).update(email="")

    with time_machine.travel(NOW + timedelta(minutes=40), tick=False):
        assert reminders_send_due() == 0

    assert mail.outbox == []


def test_a_step_rated_while_its_reminder_waited_is_not_reminded_of(dosed: User) -> None:
    # Beat was down at 14:40; Pat opened the check-in themselves at 14:45.
    with time_machine.travel(NOW + timedelta(minutes=45), tick=False):
        dose = Reminder.objects.get(point="40min").dose
        session = ("dissociation", "drowsiness", "dizziness", "nausea")
        rated = logged_in_client(dosed).post(
            f"/journal/doses/{dose.pk}/check-in/40min/",  # type: ignore[union-attr]
            {f"{slug}-severity": "0" for slug in session},
        )
    assert rated.status_code == 302
    assert not rated["Location"].startswith("/accounts/login/")

    assert run_beat_at(NOW + timedelta(minutes=50)) == 0

    assert mail.outbox == []
    statuses = dict(Reminder.objects.values_list("point", "status"))
    assert statuses == {"40min": "cancelled", "2h": "pending", "evening": "pending"}
