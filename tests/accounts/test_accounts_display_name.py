"""The patient's name on reports: chosen at sign-up or in settings, shown where others read
about them, and never replaced by their username (which is also what an attacker would need
to lock them out)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Profile
from sharing.services import share_link_create
from tests.support.clients import token_client, visitor
from tests.support.reports import dizzy_after_a_dose, ready_report

pytestmark = pytest.mark.django_db


def test_a_new_patient_may_give_the_name_reports_show(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "sam",
            "email": "sam@example.org",
            "display_name": "Sam Rivera",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "time_zone": "Europe/Berlin",
            "country": "",
        },
    )

    assert "Check your email" in response.text, response.content
    assert Profile.objects.get(user__username="sam").display_name == "Sam Rivera"


def test_settings_show_and_change_the_name(patient: User, patient_client: Client) -> None:
    page = patient_client.get("/accounts/settings/").text
    assert "Your name on reports" in page

    response = patient_client.post(
        "/accounts/settings/",
        {
            "display_name": "  Pat Rivera ",
            "email": "pat@example.org",
            "time_zone": "Europe/London",
            "country": "GB",
        },
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=patient).display_name == "Pat Rivera"
    assert 'value="Pat Rivera"' in patient_client.get("/accounts/settings/").text


def test_the_profile_api_reads_and_changes_the_name_and_keeps_it_when_left_out(
    patient: User,
) -> None:
    api = token_client(patient)

    changed = api.patch("/api/v1/profile/", {"display_name": "Pat Rivera"}, format="json")
    kept = api.patch("/api/v1/profile/", {"country": "IE"}, format="json")

    assert changed.status_code == kept.status_code == 200
    assert kept.json()["display_name"] == "Pat Rivera"
    too_long = api.patch("/api/v1/profile/", {"display_name": "x" * 151}, format="json")
    assert too_long.status_code == 400
    assert Profile.objects.get(user=patient).display_name == "Pat Rivera"


@pytest.mark.parametrize("display_name", ["Pat Rivera", ""])
def test_a_shared_report_never_shows_the_username(patient: User, display_name: str) -> None:
    patient.username = "pat_login_7"
    patient.save(update_fields=["username"])
    patient.profile.display_name = display_name
    patient.profile.save(update_fields=["display_name"])
    dizzy_after_a_dose(patient)
    link = share_link_create(
        report=ready_report(patient), recipient="Dr Okafor", created_by=patient
    )

    page = visitor().get(f"/s/{link.token}/").text
    csv = visitor().get(f"/s/{link.token}/csv/").getvalue().decode()

    assert f"Recorded in Sidelog by the patient, {display_name or 'Name not given'}," in page
    assert patient.username not in page
    assert patient.username not in csv
    assert ",patient," in csv  # who logged each entry


def test_a_name_that_is_not_text_is_refused(patient: User) -> None:
    response = token_client(patient).patch("/api/v1/profile/", {"display_name": 0}, format="json")

    assert response.status_code == 400
    assert "display_name" in response.json()
