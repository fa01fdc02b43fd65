"""Logging in and out, and the lockout after repeated failed attempts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.support.factories import PASSWORD

LOGIN_URL = "/accounts/login/"
LOCKED_MESSAGE = "Too many failed attempts. For your security, logging in is paused for an hour."


def log_in(client: Client, username: str, password: str, *, ip: str = "127.0.0.1", **data: str):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, **data}, REMOTE_ADDR=ip
    )


def test_the_auth_urls_keep_djangos_names() -> None:
    assert reverse("login") == LOGIN_URL
    assert reverse("logout") == "/accounts/logout/"
    assert reverse("password_change") == "/accounts/password_change/"
    assert reverse("password_reset") == "/accounts/password_reset/"
    assert reverse("accounts:settings") == "/accounts/settings/"


@pytest.mark.django_db
def test_the_login_page_labels_its_fields_and_offers_a_reset(client: Client) -> None:
    html = client.get(LOGIN_URL).content.decode()

    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert reverse("password_reset") in html


@pytest.mark.django_db
def test_a_patient_logs_in_to_their_journal(client: Client, patient: User) -> None:
    response = log_in(client, "pat", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:dashboard")
    assert client.session["_auth_user_id"] == str(patient.pk)


@pytest.mark.django_db
def test_login_returns_to_the_page_asked_for(client: Client, patient: User) -> None:
    response = log_in(client, "pat", PASSWORD, next="/accounts/settings/")

    assert response["Location"] == "/accounts/settings/"


@pytest.mark.django_db
def test_a_content_editor_logs_in_to_the_usual_page(client: Client, content_editor: User) -> None:
    response = log_in(client, content_editor.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client: Client, patient: User) -> None:
    response = log_in(client, "pat", "not the password")

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logging_out_takes_a_post_and_ends_the_session(patient_client: Client) -> None:
    assert patient_client.get("/accounts/logout/").status_code == 405

    response = patient_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in patient_client.session


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client: Client, patient: User
) -> None:
    # Each try from its own address: only the account's count reaches the limit.
    for attempt in range(4):
        assert log_in(client, "pat", "wrong", ip=f"10.0.0.{attempt}").status_code == 200
    fifth = log_in(client, "pat", "wrong", ip="10.0.0.4")

    response = log_in(client, "pat", PASSWORD, ip="10.0.0.99")

    assert fifth.status_code == 429
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_MESSAGE in html
    assert "You can reset your password." in html
    assert reverse("password_reset") in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_out_other_accounts_from_it(
    client: Client, patient: User, other_patient: User
) -> None:
    for name in ("amy", "ben", "cat", "dan", "eve"):
        log_in(client, name, "guess", ip="192.0.2.7")

    from_that_address = log_in(client, "olga", PASSWORD, ip="192.0.2.7")
    from_elsewhere = log_in(client, "olga", PASSWORD, ip="198.51.100.1")

    assert from_that_address.status_code == 429
    assert LOCKED_MESSAGE in from_that_address.content.decode()
    assert from_elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(other_patient.pk)


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count(client: Client, patient: User) -> None:
    for _ in range(4):
        log_in(client, "pat", "wrong")
    assert log_in(client, "pat", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for _ in range(4):
        log_in(client, "pat", "wrong")

    assert log_in(client, "pat", PASSWORD).status_code == 302
