"""Signing up: a patient account with a journal, or clear errors and nothing created."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Profile

SIGNUP_URL = "/accounts/signup/"


def signup_data(**overrides: str) -> dict[str, Any]:
    return {
        "username": "sam",
        "email": "sam@example.org",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        "time_zone": "Europe/Lisbon",
        **overrides,
    }


def test_the_sign_up_url_is_named_signup() -> None:
    assert reverse("accounts:signup") == SIGNUP_URL


@pytest.mark.django_db
def test_the_form_labels_every_field_and_offers_common_time_zones_first(client: Client) -> None:
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("username", "email", "password1", "password2", "time_zone"):
        assert f'<label for="id_{name}"' in html
    common, everything = html.index('<optgroup label="Common">'), html.index("All time zones")
    assert common < html.index('<option value="Europe/London">') < everything
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in html


@pytest.mark.django_db
def test_signing_up_creates_a_patient_logs_them_in_and_opens_the_journal(client: Client) -> None:
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:dashboard")
    user = User.objects.get(username="sam")
    assert user.email == "sam@example.org"
    assert user.check_password("a long and unusual passphrase")
    assert user.profile.role == Profile.Role.PATIENT
    assert user.profile.time_zone == "Europe/Lisbon"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_taken_username_is_refused_whatever_its_case(client: Client, patient: User) -> None:
    response = client.post(SIGNUP_URL, signup_data(username="PAT"))

    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert not User.objects.filter(username="PAT").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_taken_email_is_refused(client: Client, patient: User) -> None:
    response = client.post(SIGNUP_URL, signup_data(email=patient.email.upper()))

    assert response.status_code == 200
    assert "An account already uses this email." in response.content.decode()
    assert not User.objects.filter(username="sam").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("83920174652", "This password is entirely numeric."),
        ("short", "This password is too short."),
    ],
)
def test_a_weak_password_is_refused(client: Client, password: str, message: str) -> None:
    response = client.post(SIGNUP_URL, signup_data(password1=password, password2=password))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_passwords_that_differ_are_refused(client: Client) -> None:
    response = client.post(SIGNUP_URL, signup_data(password2="another long passphrase"))

    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_and_the_error_is_tied_to_its_field(
    client: Client,
) -> None:
    response = client.post(SIGNUP_URL, signup_data(time_zone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a time zone from the list." in html
    assert 'id="id_time_zone_error"' in html
    assert 'aria-describedby="id_time_zone_helptext id_time_zone_error"' in html
    assert '<a href="#id_time_zone">' in html
    assert not User.objects.exists()
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_a_missing_time_zone_is_refused(client: Client) -> None:
    response = client.post(SIGNUP_URL, signup_data(time_zone=""))

    assert response.status_code == 200
    assert "Choose your time zone." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_patient_is_sent_to_their_journal(patient_client: Client) -> None:
    response = patient_client.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:dashboard")
