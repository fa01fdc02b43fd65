"""Reminder settings: asked for at sign-up, changed on the settings page or the API; bad
input is refused with an error summary (page) or field errors (API) and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from reminders.models import Reminder, ReminderSettings
from tests.support.clients import acting_for, logged_in_client
from tests.support.signups import sign_up_finish

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


SIGN_UP = {
    "username": "sam",
    "email": "sam@example.org",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "time_zone": "Europe/Berlin",
    "country": "",
}


def test_the_sign_up_form_offers_check_in_reminders_unticked(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()

    assert "Remind me to check in after ketamine or esketamine sessions" in page
    assert 'name="checkin_reminders"' in page
    assert 'name="checkin_reminders" checked' not in page


def test_ticking_it_at_sign_up_turns_check_in_reminders_on(client: Client) -> None:
    client.post("/accounts/signup/", {**SIGN_UP, "checkin_reminders": "on"})
    sign_up_finish(client, "sam@example.org")

    chosen = ReminderSettings.objects.get(patient__username="sam")
    assert chosen.checkin_reminders is True
    assert chosen.daily_reminder is False


def test_without_ticking_it_no_reminders_are_on(client: Client) -> None:
    client.post("/accounts/signup/", SIGN_UP)

    assert User.objects.filter(username="sam").exists()
    assert not ReminderSettings.objects.exists()


def test_a_provider_sign_up_has_no_such_checkbox(client: Client) -> None:
    assert 'name="checkin_reminders"' not in client.get("/accounts/signup/provider/").text


def test_the_account_page_links_to_reminder_settings(patient_client: Client) -> None:
    assert 'href="/accounts/reminders/"' in patient_client.get("/accounts/settings/").text


def test_the_settings_page_saves_and_schedules(patient: User) -> None:
    client = logged_in_client(patient)
    response = client.post(
        "/accounts/reminders/",
        {
            "checkin_reminders": "on",
            "daily_reminder": "on",
            "daily_at": "21:15",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
        follow=True,
    )

    assert "Your reminder settings are saved." in response.text
    saved = ReminderSettings.objects.get(patient=patient)
    assert (saved.checkin_reminders, saved.daily_at, saved.quiet_start, saved.quiet_end) == (
        True,
        time(21, 15),
        time(22),
        time(7),
    )
    assert Reminder.objects.get(kind="daily").due_at == datetime(2026, 3, 10, 21, 15, tzinfo=UTC)
    page = client.get("/accounts/reminders/").text
    assert 'value="21:15"' in page


def test_the_settings_page_shows_every_error_at_the_top(patient: User) -> None:
    response = logged_in_client(patient).post(
        "/accounts/reminders/",
        {"daily_reminder": "on", "daily_at": "half past eight", "quiet_start": "22:00"},
    )

    page = response.text
    summary = page[
        page.index("There is a problem") : page.index("</ul>", page.index("There is a problem"))
    ]
    assert 'href="#id_daily_at"' in summary and "Enter a time of day" in summary
    assert 'href="#id_quiet_end"' in summary and "Enter when quiet hours end" in summary
    assert not ReminderSettings.objects.exists()


def test_a_caregiver_cannot_change_the_patients_reminders(patient: User, caregiver: User) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    assert client.post("/accounts/reminders/", {"checkin_reminders": "on"}).status_code == 404
    assert not ReminderSettings.objects.exists()


def test_the_api_reads_the_defaults_then_what_was_put(api: APIClient) -> None:
    assert api.get("/api/v1/reminders/settings/").json() == {
        "checkin_reminders": False,
        "daily_reminder": False,
        "daily_at": "20:00",
        "quiet_start": None,
        "quiet_end": None,
    }

    answer = api.put(
        "/api/v1/reminders/settings/",
        {
            "checkin_reminders": True,
            "daily_reminder": True,
            "daily_at": "08:30",
            "quiet_start": "23:00",
            "quiet_end": "06:30",
        },
        format="json",
    )

    assert answer.status_code == 200, answer.content
    assert answer.json()["quiet_end"] == "06:30"
    assert api.get("/api/v1/reminders/settings/").json()["daily_at"] == "08:30"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quiet_start": "23:00"}, "quiet_end"),
        ({"quiet_start": "23:00", "quiet_end": "23:00"}, "quiet_end"),
        ({"daily_at": "soon"}, "daily_at"),
        ({"checkin_reminders": "perhaps"}, "checkin_reminders"),
    ],
)
def test_the_api_refuses_bad_settings_field_by_field(
    api: APIClient, body: dict[str, str], field: str
) -> None:
    answer = api.put("/api/v1/reminders/settings/", body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not ReminderSettings.objects.exists()


def test_the_api_lists_pending_and_sent_reminders(api: APIClient, patient: User) -> None:
    api.put("/api/v1/reminders/settings/", {"daily_reminder": True}, format="json")
    Reminder.objects.create(
        patient=patient,
        kind="daily",
        due_at=datetime(2026, 3, 9, 20, tzinfo=UTC),
        status="sent",
        sent_at=datetime(2026, 3, 9, 20, 0, 5, tzinfo=UTC),
    )
    Reminder.objects.create(
        patient=patient,
        kind="daily",
        due_at=datetime(2026, 3, 8, 20, tzinfo=UTC),
        status="cancelled",
    )

    listed = api.get("/api/v1/reminders/").json()

    assert listed["count"] == 2
    assert [(r["kind"], r["status"]) for r in listed["results"]] == [
        ("daily", "pending"),
        ("daily", "sent"),
    ]
    assert listed["results"][1]["sent_at"] == "2026-03-09T20:00:05Z"
