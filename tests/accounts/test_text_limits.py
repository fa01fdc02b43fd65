"""Free text has one limit per kind of field (`accounts.text_limits`), the same on the pages
as in the API: one character over is refused by both in the same words, the page shows it
in its error summary, and nothing is saved; the limit itself is taken."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.serializers import TokenInputSerializer
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reports.models import Report
from sharing.models import ShareLink
from tests.support.clients import api_client_for
from tests.support.factories import PASSWORD, CourseFactory, seeded_drug
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOTE_TOO_LONG = "Enter at most 10,000 characters."
WORDS_TOO_LONG = "Enter at most 120 characters."
RECIPIENT_TOO_LONG = "Enter at most 200 characters."
AMOUNT_TOO_LONG = "Enter at most 100 characters."
REPORT_NAME_TOO_LONG = "Enter at most 120 characters."
PASSWORD_TOO_LONG = "Enter at most 4,096 characters."
USERNAME_TOO_LONG = NAME_TOO_LONG = "Enter at most 150 characters."


def summary_of(html: str) -> str:
    """The error summary at the top of the form."""
    start = html.index("There is a problem")
    return html[start : html.index("</div>", start)]


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class TextField:
    """A free-text field as a page's form and the API's endpoint take it."""

    label: str
    field: str
    limit: int
    message: str
    page: str
    page_data: Callable[[str], dict[str, Any]]
    api: str
    api_data: Callable[[str], dict[str, Any]]
    rows: type[Model]


def journal_fields(course: MedicationCourse, report_id: int) -> dict[str, TextField]:
    def entry_page(field: str) -> Callable[[str], dict[str, Any]]:
        return lambda text: {
            "side_effect": "" if field == "other_symptom" else "dizziness",
            "other_symptom": "",
            "onset_at": an_hour_ago(),
            "severity": "2",
            "interference": "1",
            "dose": "none",
            "notes": "",
            field: text,
        }

    def entry_api(field: str) -> Callable[[str], dict[str, Any]]:
        return lambda text: {
            "side_effect": None if field == "other_symptom" else "dizziness",
            "onset_at": timezone.now().isoformat(),
            "severity": 2,
            "interference": 1,
            "dose": None,
            field: text,
        }

    return {
        "entry notes": TextField(
            "Notes",
            "notes",
            10_000,
            NOTE_TOO_LONG,
            "/journal/entries/new/",
            entry_page("notes"),
            "/api/v1/entries/",
            entry_api("notes"),
            SymptomEntry,
        ),
        "a symptom in one's own words": TextField(
            "Or describe something else",
            "other_symptom",
            120,
            WORDS_TOO_LONG,
            "/journal/entries/new/",
            entry_page("other_symptom"),
            "/api/v1/entries/",
            entry_api("other_symptom"),
            SymptomEntry,
        ),
        "a dose's note": TextField(
            "Note",
            "note",
            10_000,
            NOTE_TOO_LONG,
            "/journal/doses/new/",
            lambda text: {
                "course": course.pk,
                "taken_at": an_hour_ago(),
                "setting": "home",
                "note": text,
            },
            "/api/v1/doses/",
            lambda text: {
                "course": course.pk,
                "taken_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                "note": text,
            },
            DoseEvent,
        ),
        "a dose's amount": TextField(
            "Amount (optional)",
            "amount",
            100,
            AMOUNT_TOO_LONG,
            "/journal/doses/new/",
            lambda text: {"course": course.pk, "taken_at": an_hour_ago(), "amount": text},
            "/api/v1/doses/",
            lambda text: {
                "course": course.pk,
                "taken_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                "amount": text,
            },
            DoseEvent,
        ),
        "a report's name": TextField(
            "Name (optional)",
            "name",
            120,
            REPORT_NAME_TOO_LONG,
            "/journal/reports/",
            lambda text: {
                "name": text,
                "period_start": str(timezone.localdate() - timedelta(days=6)),
                "period_end": str(timezone.localdate()),
                "paper_size": "A4",
            },
            "/api/v1/reports/",
            lambda text: {
                "name": text,
                "period_start": str(timezone.localdate() - timedelta(days=6)),
                "period_end": str(timezone.localdate()),
            },
            Report,
        ),
        "a course's regimen": TextField(
            "Regimen, as your prescriber wrote it",
            "regimen",
            10_000,
            NOTE_TOO_LONG,
            "/journal/courses/new/",
            lambda text: {
                "drug": seeded_drug("memantine").pk,
                "started_on": "2026-09-01",
                "route": "oral",
                "regimen": text,
            },
            "/api/v1/courses/",
            lambda text: {"drug": "memantine", "started_on": "2026-09-01", "regimen": text},
            MedicationCourse,
        ),
        "who a share link is for": TextField(
            "Who is it for?",
            "recipient",
            200,
            RECIPIENT_TOO_LONG,
            f"/journal/reports/{report_id}/shares/",
            lambda text: {"recipient": text, "days": "14"},
            f"/api/v1/reports/{report_id}/shares/",
            lambda text: {"recipient": text},
            ShareLink,
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "entry notes",
        "a symptom in one's own words",
        "a dose's note",
        "a dose's amount",
        "a report's name",
        "a course's regimen",
        "who a share link is for",
    ],
)
def test_one_character_over_is_refused_by_the_page_and_the_api_in_the_same_words(
    patient: User, patient_client: Client, name: str
) -> None:
    course = CourseFactory.create(patient=patient, started_on=timezone.localdate() - timedelta(30))
    text = journal_fields(course, ready_report(patient).pk)[name]
    over = "x" * (text.limit + 1)
    before = text.rows._default_manager.count()

    page = patient_client.post(text.page, text.page_data(over))
    api = api_client_for(patient).post(text.api, text.api_data(over), format="json")

    assert page.status_code == 200
    assert f"{text.label}: {text.message}" in summary_of(page.text)
    # What was typed comes back to be shortened; a browser cuts only a one-line field short.
    assert over in page.text
    element = re.search(rf'<(textarea|input)[^>]*name="{text.field}"[^>]*>', page.text)
    assert element is not None
    assert (f'maxlength="{text.limit}"' in element[0]) == (element[1] == "input")
    assert api.status_code == 400
    assert api.json()[text.field] == [text.message]
    assert text.rows._default_manager.count() == before
    patient_client.post(text.page, text.page_data("x" * text.limit))
    assert text.rows._default_manager.count() == before + 1


def test_the_name_on_reports_is_refused_by_settings_and_the_profile_api_in_the_same_words(
    patient: User, patient_client: Client
) -> None:
    over = "x" * 151

    page = patient_client.post(
        "/accounts/settings/",
        {"display_name": over, "email": patient.email, "time_zone": "Europe/London"},
    )
    api = api_client_for(patient).patch("/api/v1/profile/", {"display_name": over}, format="json")

    assert page.status_code == 200
    assert f"Your name on reports: {NAME_TOO_LONG}" in summary_of(page.text)
    assert api.status_code == 400
    assert api.json()["display_name"] == [NAME_TOO_LONG]
    patient.profile.refresh_from_db()
    assert patient.profile.display_name != over


# Passwords and usernames: as long as the API's sign-in takes


def test_the_login_page_refuses_what_the_token_endpoint_refuses_in_the_same_words(
    patient: User,
) -> None:
    for data, field, message in (
        ({"username": "pat", "password": "x" * 4097}, "password", PASSWORD_TOO_LONG),
        ({"username": "p" * 151, "password": PASSWORD}, "username", USERNAME_TOO_LONG),
    ):
        page = Client().post("/accounts/login/", data)
        api = APIClient().post("/api/v1/auth/token/", data, format="json")

        assert page.status_code == 200
        assert message in summary_of(page.text)
        assert api.status_code == 400
        assert api.json()[field] == [message]


def test_sign_up_refuses_a_password_longer_than_the_api_takes(client: Client) -> None:
    password = "a long and unusual passphrase " * 137  # 4,110 characters

    response = client.post(
        "/accounts/signup/",
        {
            "username": "sam",
            "email": "sam@example.org",
            "password1": password,
            "password2": password,
            "time_zone": "Europe/Lisbon",
        },
    )

    assert response.status_code == 200
    assert f"Password: {PASSWORD_TOO_LONG}" in summary_of(response.text)
    assert not User.objects.filter(username="sam").exists()


def test_a_password_change_refuses_a_new_password_longer_than_the_api_takes(
    patient: User, patient_client: Client
) -> None:
    new = "a brand new passphrase " * 180

    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    assert PASSWORD_TOO_LONG in summary_of(response.text)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_reset_refuses_a_new_password_longer_than_the_api_takes(
    client: Client, patient: User
) -> None:
    uid = urlsafe_base64_encode(force_bytes(patient.pk))
    token = default_token_generator.make_token(patient)
    form = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    new = "a brand new passphrase " * 180

    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert response.status_code == 200
    assert PASSWORD_TOO_LONG in summary_of(response.text)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_deleting_the_account_refuses_a_password_longer_than_the_api_takes(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post("/accounts/delete/", {"password": "x" * 4097})

    assert response.status_code == 200
    assert f"Your password: {PASSWORD_TOO_LONG}" in summary_of(response.text)
    assert User.objects.filter(pk=patient.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "entry notes",
        "a symptom in one's own words",
        "a dose's note",
        "a course's regimen",
        "who a share link is for",
    ],
)
def test_direction_controls_are_taken_out_of_text_from_the_page_and_the_api(
    patient: User, patient_client: Client, name: str
) -> None:
    """A right-to-left override pasted into text would show what follows it reversed."""
    course = CourseFactory.create(patient=patient, started_on=timezone.localdate() - timedelta(30))
    text = journal_fields(course, ready_report(patient).pk)[name]
    typed = "Felt \u202eyzzid\u202c after \u2066lunch\u2069\u200f"
    rows = text.rows._default_manager

    patient_client.post(text.page, text.page_data(typed))
    api = api_client_for(patient).post(text.api, text.api_data(typed), format="json")

    assert api.status_code == 201, api.content
    stored = list(rows.order_by("-pk").values_list(text.field, flat=True)[:2])
    assert stored == ["Felt yzzid after lunch"] * 2


def test_a_password_keeps_every_character_it_was_typed_with() -> None:
    typed = "pass\u202eword with a direction mark"
    serializer = TokenInputSerializer(data={"username": "pat", "password": typed})

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["password"] == typed
