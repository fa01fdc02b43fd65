"""Every text reminders show or send passes the dosing-advice guard; the dashboard shows a
due reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from reference.safety import find_dosage_advice
from reminders.forms import ReminderSettingsForm
from reminders.services import reminders_send_due
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "reminders"


def test_the_emails_sent_pass_the_guard(patient: User, patient_client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient, daily=True)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    for minutes in (40, 120, 360):
        with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
            reminders_send_due()

    # At 20:00 the evening's check-in and the daily reminder are both due.
    assert sorted(str(m.subject) for m in mail.outbox) == [
        "Sidelog: your check-in about 2 hours after your Esketamine session",
        "Sidelog: your check-in about 40 minutes after your Esketamine session",
        "Sidelog: your check-in for the evening after your Esketamine session",
        "Sidelog: your daily journal",
    ]
    evening = next(m for m in mail.outbox if "evening" in str(m.subject))
    assert (
        "It is time for your check-in for the evening after your Esketamine session"
        " of 10 Mar, 14:00." in str(evening.body)
    )
    for message in mail.outbox:
        assert find_dosage_advice(str(message.subject)) == []
        assert find_dosage_advice(str(message.body)) == []


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.*")), ids=lambda p: p.name)
def test_every_reminders_template_passes_the_guard(path: Path) -> None:
    assert find_dosage_advice(path.read_text()) == []


def test_the_settings_forms_words_pass_the_guard() -> None:
    form = ReminderSettingsForm()
    for field in form.fields.values():
        assert find_dosage_advice(f"{field.label}. {field.help_text}") == []
        for message in field.error_messages.values():
            assert find_dosage_advice(str(message)) == []


def test_the_dashboard_shows_a_due_check_in_reminder(patient: User) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        logged_in_client(patient).post(f"/journal/courses/{course.pk}/taken-now/")
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        before = logged_in_client(patient).get("/journal/").text
    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        reminders_send_due()
        due = logged_in_client(patient).get("/journal/").text

    assert "Time to check in" not in before
    assert "Time to check in: Esketamine, 14:00" in due
    assert find_dosage_advice(due[due.index('id="reminders-heading"') :][:800]) == []


def test_the_dashboard_drops_the_notice_once_the_step_is_rated(patient: User) -> None:
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        client = logged_in_client(patient)
        dose_page = client.post(f"/journal/courses/{course.pk}/taken-now/")
    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        reminders_send_due()
        client = logged_in_client(patient)
        assert "Time to check in" in client.get("/journal/").text
        session = ("dissociation", "drowsiness", "dizziness", "nausea")
        ratings = {f"{slug}-severity": "1" for slug in session}
        saved = client.post(f"{dose_page['Location']}40min/", ratings)
        assert saved.status_code == 302
        assert "Time to check in" not in client.get("/journal/").text


def test_the_email_gives_the_sessions_time_in_the_patients_zone(
    patient: User, patient_client: Client
) -> None:
    patient.profile.time_zone = "Asia/Tokyo"
    patient.profile.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    # Beat sends it outside any request, where the active zone is UTC.
    with time_machine.travel(NOW + timedelta(minutes=40), tick=False):
        reminders_send_due()

    [sent] = mail.outbox
    assert "your Esketamine session of 10 Mar, 23:00." in str(sent.body)
