"""A patient's account settings: their time zone and email."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

SETTINGS_URL = "/accounts/settings/"


@pytest.mark.django_db
def test_the_page_shows_the_current_email_and_time_zone(patient_client: Client) -> None:
    response = patient_client.get(SETTINGS_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="pat@example.org"' in html
    assert '<option value="Europe/London" selected>' in html
    assert '<label for="id_time_zone"' in html


@pytest.mark.django_db
def test_a_patient_changes_their_time_zone_and_email(patient_client: Client, patient: User) -> None:
    response = patient_client.post(
        SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "America/Chicago"}, follow=True
    )

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Your settings are saved." in response.content.decode()
    patient.refresh_from_db()
    patient.profile.refresh_from_db()
    assert patient.profile.time_zone == "America/Chicago"
    assert patient.email == "pat@new.example.org"


@pytest.mark.django_db
def test_an_unknown_time_zone_changes_nothing(patient_client: Client, patient: User) -> None:
    response = patient_client.post(
        SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "Europe/Atlantis"}
    )

    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    patient.refresh_from_db()
    patient.profile.refresh_from_db()
    assert patient.profile.time_zone == "Europe/London"
    assert patient.email == "pat@example.org"


@pytest.mark.django_db
def test_another_accounts_email_is_refused(
    patient_client: Client, patient: User, other_patient: User
) -> None:
    response = patient_client.post(
        SETTINGS_URL, {"email": other_patient.email, "time_zone": "Europe/Paris"}
    )

    assert response.status_code == 200
    assert "Another account already uses this email." in response.content.decode()
    patient.profile.refresh_from_db()
    assert patient.profile.time_zone == "Europe/London"


@pytest.mark.django_db
def test_a_content_editor_gets_404(editor_client: Client) -> None:
    assert editor_client.get(SETTINGS_URL).status_code == 404
    assert editor_client.post(SETTINGS_URL, {"time_zone": "UTC"}).status_code == 404


@pytest.mark.django_db
def test_a_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"
