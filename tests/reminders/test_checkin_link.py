"""A check-in reminder's link opens that dose's check-in for 6 hours, signed in or not, and
nothing else of the journal; every open is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from audit.models import AuditEvent
from journal.models import DoseEvent
from reminders.models import CheckinLink
from reminders.services import reminders_send_due
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
SENT = NOW + timedelta(minutes=40)


@pytest.fixture
def link(patient: User, patient_client: Client) -> Iterator[str]:
    """The path of the link in Pat's 40-minute reminder after a 14:00 esketamine dose."""
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    with time_machine.travel(SENT, tick=False):
        reminders_send_due()
    found = re.search(r"https?://[^/]+(/r/[\w-]+/)", str(mail.outbox[0].body))
    assert found
    yield found.group(1)


def test_the_link_opens_the_check_in_signed_out(link: str) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        response = Client().get(link)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your check-in about 40 minutes after your Esketamine session" in page
    assert "10 Mar, 14:00" in page
    assert "This step is due at" in page and "14:40" in page
    assert response["Referrer-Policy"] == "no-referrer"


def test_opening_it_is_audited_for_the_patient(link: str, patient: User) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        Client().get(link)

    event = AuditEvent.objects.get(action="checkin_link.opened")
    assert event.patient_key == patient.pk
    assert event.outcome == "allowed"
    assert event.actor_label == "Someone not logged in"


def test_it_works_for_6_hours_then_is_refused(link: str, patient: User) -> None:
    with time_machine.travel(SENT + timedelta(hours=5, minutes=59), tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(SENT + timedelta(hours=6), tick=False):
        assert Client().get(link).status_code == 404

    refused = AuditEvent.objects.get(action="checkin_link.opened", outcome="refused")
    assert refused.patient_key == patient.pk


def test_an_unknown_token_opens_nothing(link: str) -> None:
    with time_machine.travel(SENT, tick=False):
        assert Client().get(link[:-3] + "xx/").status_code == 404


def test_the_link_opens_nothing_else_of_the_journal(link: str) -> None:
    visitor = Client()
    with time_machine.travel(SENT, tick=False):
        visitor.get(link)
        dashboard = visitor.get("/journal/")
        doses = visitor.get("/api/v1/doses/")

    assert dashboard.status_code == 302 and "/accounts/login/" in dashboard["Location"]
    assert doses.status_code in (401, 403)


def test_it_opens_its_own_dose_not_another_patients(
    link: str, patient: User, other_patient: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        other_course = CourseFactory.create(patient=other_patient, started_on=date(2026, 1, 1))
        DoseEvent.objects.create(
            course=other_course, taken_at=NOW - timedelta(hours=1), logged_by=other_patient
        )
    signed_in_as_other = logged_in_client(other_patient)

    with time_machine.travel(SENT, tick=False):
        page = signed_in_as_other.get(link).content.decode()

    assert "10 Mar, 14:00" in page
    assert "13:00" not in page
    assert CheckinLink.objects.get().dose.course.patient == patient


def test_only_the_tokens_hash_is_stored(link: str) -> None:
    token = link.strip("/").split("/")[-1]

    stored = CheckinLink.objects.get()

    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_deleting_the_dose_ends_its_link(link: str, patient: User) -> None:
    dose = DoseEvent.objects.get()
    with time_machine.travel(SENT, tick=False):
        logged_in_client(patient).post(f"/journal/doses/{dose.pk}/delete/")
        assert not DoseEvent.objects.exists()
        assert Client().get(link).status_code == 404
