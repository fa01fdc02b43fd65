"""The patient's country: set at sign-up (from the time zone unless chosen), changed in settings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Profile

pytestmark = pytest.mark.django_db


def signup(client: Client, **overrides: str) -> Profile:
    data = {
        "username": "sam",
        "email": "sam@example.org",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        "time_zone": "Europe/Berlin",
        "country": "",
        **overrides,
    }
    response = client.post("/accounts/signup/", data)
    assert "Check your email" in response.text, response.content
    return Profile.objects.get(user__username="sam")


def test_the_sign_up_form_offers_the_countries_with_help_numbers_first(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()

    assert '<label for="id_country"' in page
    first = page.index("Countries Sidelog has help numbers for")
    assert first < page.index('<option value="DE">Germany</option>') < page.index("All countries")


def test_without_a_choice_the_country_is_that_of_the_time_zone(client: Client) -> None:
    assert signup(client).country == "DE"


def test_a_chosen_country_is_kept(client: Client) -> None:
    assert signup(client, time_zone="Europe/London", country="IE").country == "IE"


def test_an_unknown_country_is_refused_and_no_account_made(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "sam",
            "email": "sam@example.org",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "time_zone": "Europe/Berlin",
            "country": "ZZ",
        },
    )

    assert response.status_code == 200
    assert "Choose a country from the list." in response.content.decode()
    assert not User.objects.filter(username="sam").exists()


def test_settings_change_the_country(patient: User, patient_client: Client) -> None:
    response = patient_client.post(
        "/accounts/settings/",
        {"email": "pat@example.org", "time_zone": "Europe/London", "country": "US"},
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=patient).country == "US"
    page = patient_client.get("/accounts/settings/").content.decode()
    assert '<option value="US" selected>' in page
