"""An optional date of birth, set in settings or `PATCH /api/v1/profile/`: not in the
future, not before 1900, and shown on the patient's reports."""

from __future__ import annotations

import html
import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Profile
from reference.safety import find_dosage_advice

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/accounts/settings/"
# 23:30 on 1 March in London is already 2 March in Auckland, not for the patient.
NOW = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
FUTURE = "A date of birth can't be in the future."
TOO_EARLY = "Check the year: a date of birth can't be before 1900."


def settings_form(patient: User, **changes: str) -> dict[str, str]:
    return {"email": patient.email, "time_zone": "Europe/London", **changes}


def birth_date(patient: User) -> date | None:
    return Profile.objects.get(user=patient).date_of_birth


def test_settings_set_shows_and_removes_the_date_of_birth(
    patient: User, patient_client: Client
) -> None:
    saved = patient_client.post(SETTINGS_URL, settings_form(patient, date_of_birth="1980-04-23"))
    page = patient_client.get(SETTINGS_URL).text
    kept = birth_date(patient)
    patient_client.post(SETTINGS_URL, settings_form(patient, date_of_birth=""))

    assert saved.status_code == 302
    assert kept == date(1980, 4, 23)
    assert 'name="date_of_birth" value="1980-04-23"' in page
    assert 'autocomplete="bday"' in page
    assert birth_date(patient) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2026-03-02", FUTURE), ("1899-12-31", TOO_EARLY), ("23/04/80x", "Enter a date")],
)
def test_settings_refuse_an_impossible_date_of_birth_in_the_error_summary(
    patient: User, patient_client: Client, typed: str, message: str
) -> None:
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post(SETTINGS_URL, settings_form(patient, date_of_birth=typed))

    assert response.status_code == 200
    summary = html.unescape(response.text[response.text.index("There is a problem") :])
    assert 'href="#id_date_of_birth"' in summary
    assert message in summary
    assert birth_date(patient) is None


def test_a_future_date_of_birth_shows_with_a_bad_email_at_once(
    patient: User, patient_client: Client
) -> None:
    typed = settings_form(patient, email="not an address", date_of_birth="2026-03-02")
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post(SETTINGS_URL, typed)

    summary = html.unescape(response.text[response.text.index("There is a problem") :])
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_email"' in summary
    assert 'href="#id_date_of_birth"' in summary
    assert FUTURE in summary


def test_today_in_the_patients_zone_is_a_possible_date_of_birth(
    patient: User, patient_client: Client
) -> None:
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post(
            SETTINGS_URL, settings_form(patient, date_of_birth="2026-03-01")
        )

    assert response.status_code == 302
    assert birth_date(patient) == date(2026, 3, 1)


def test_the_profile_api_sets_keeps_and_removes_it(api: APIClient, patient: User) -> None:
    with time_machine.travel(NOW, tick=False):
        set_ = api.patch("/api/v1/profile/", {"date_of_birth": "1980-04-23"}, format="json")
        kept = api.patch("/api/v1/profile/", {"country": "DE"}, format="json")
        future = api.patch("/api/v1/profile/", {"date_of_birth": "2026-03-02"}, format="json")
        early = api.patch("/api/v1/profile/", {"date_of_birth": "1899-12-31"}, format="json")
        shown = api.get("/api/v1/profile/").json()
        removed = api.patch("/api/v1/profile/", {"date_of_birth": None}, format="json")

    assert set_.status_code == 200
    assert set_.json()["date_of_birth"] == "1980-04-23"
    assert kept.json()["date_of_birth"] == "1980-04-23"
    assert (future.status_code, future.json()) == (400, {"date_of_birth": [FUTURE]})
    assert (early.status_code, early.json()) == (400, {"date_of_birth": [TOO_EARLY]})
    assert shown["date_of_birth"] == "1980-04-23"
    assert removed.json()["date_of_birth"] is None
    assert birth_date(patient) is None


def test_the_new_words_are_not_dosing_advice() -> None:
    from accounts.forms import AccountSettingsForm

    field = AccountSettingsForm.base_fields["date_of_birth"]
    for text in (FUTURE, TOO_EARLY, str(field.label), str(field.help_text)):
        assert find_dosage_advice(text) == []


def test_the_date_of_birth_is_in_the_patients_data_export(
    patient: User, patient_client: Client
) -> None:
    Profile.objects.filter(user=patient).update(date_of_birth=date(1980, 4, 23))

    response = patient_client.post("/accounts/export/")

    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    account = json.loads(archive.read("account.json"))
    assert account[0]["date_of_birth"] == "1980-04-23"
