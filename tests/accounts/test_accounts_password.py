"""Changing a password, and resetting a forgotten one by email."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from reference.safety import find_dosage_advice
from tests.support.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def reset_link(body: str) -> str:
    match = re.search(r"(https?://\S+/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db
def test_a_patient_changes_their_password(patient_client: Client, patient: User) -> None:
    form = patient_client.get("/accounts/password_change/")
    assert '<label for="id_old_password"' in form.content.decode()

    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "Your password is changed." in response.content.decode()
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_wrong_current_password_changes_nothing(patient_client: Client, patient: User) -> None:
    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_needs_a_login(client: Client) -> None:
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_reset_email_links_to_a_new_password_that_then_works(
    client: Client, patient: User
) -> None:
    response = client.post("/accounts/password_reset/", {"email": patient.email}, follow=True)

    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [patient.email]
    assert email.subject == "Reset your Sidelog password"
    link = reset_link(str(email.body))
    assert link.startswith(f"{settings.SITE_URL}/accounts/reset/")

    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is saved." in done.content.decode()
    login = client.post("/accounts/login/", {"username": "pat", "password": NEW_PASSWORD})
    assert login.status_code == 302


@pytest.mark.django_db
def test_the_reset_email_gives_no_dosing_advice(client: Client, patient: User) -> None:
    client.post("/accounts/password_reset/", {"email": patient.email})

    email = mail.outbox[0]
    assert find_dosage_advice(str(email.subject)) == []
    assert find_dosage_advice(str(email.body)) == []


@pytest.mark.django_db
def test_an_unknown_email_sends_nothing_and_says_the_same(client: Client, patient: User) -> None:
    response = client.post(
        "/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True
    )

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_reset_link_no_longer_works(client: Client, patient: User) -> None:
    client.post("/accounts/password_reset/", {"email": patient.email})
    path = reset_link(str(mail.outbox[0].body)).removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = client.get(path, follow=True)

    assert "This link no longer works" in again.content.decode()


@pytest.mark.django_db
def test_resetting_the_password_lifts_a_lockout(client: Client, patient: User) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"username": "pat", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})
    assert locked.status_code == 429

    client.post("/accounts/password_reset/", {"email": patient.email})
    form = client.get(
        reset_link(str(mail.outbox[0].body)).removeprefix(settings.SITE_URL), follow=True
    )
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    response = client.post("/accounts/login/", {"username": "pat", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(patient.pk)


@pytest.mark.django_db
def test_the_admin_keeps_its_own_password_change_page(editor_client: Client) -> None:
    response = editor_client.get("/admin/password_change/")

    assert response.status_code == 200
    assert "admin/base_site.html" in [template.name for template in response.templates]
