"""A patient's account settings: their time zone, and their email, which changes once the
new address confirms it, and never says whether another account uses an address."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from time_machine import TimeMachineFixture

from reference.safety import find_dosage_advice
from tests.support.clients import logged_in_client
from tests.support.signups import EMAIL_CHANGE_LINK, last_email_to, link_in

SETTINGS_URL = "/accounts/settings/"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.mark.django_db
def test_the_page_shows_the_current_email_and_time_zone(patient_client: Client) -> None:
    response = patient_client.get(SETTINGS_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="pat@example.org"' in html
    assert '<option value="Europe/London" selected>' in html
    assert '<label for="id_time_zone"' in html


@pytest.mark.django_db
def test_a_patient_changes_their_time_zone_at_once_and_their_email_once_it_is_confirmed(
    patient_client: Client, patient: User
) -> None:
    response = patient_client.post(
        SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "America/Chicago"}, follow=True
    )

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Your settings are saved." in response.text
    assert "We sent a link to pat@new.example.org to confirm it." in response.text
    patient.refresh_from_db()
    assert patient.profile.time_zone == "America/Chicago"
    assert patient.email == "pat@example.org"
    email = last_email_to("pat@new.example.org")
    assert email.subject == "Confirm your new email address for Sidelog"
    assert find_dosage_advice(str(email.body)) == []

    confirmed = patient_client.get(link_in(email, EMAIL_CHANGE_LINK), follow=True)

    assert confirmed.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Your email is now pat@new.example.org." in confirmed.text
    assert 'value="pat@new.example.org"' in confirmed.text
    patient.refresh_from_db()
    assert patient.email == "pat@new.example.org"


@pytest.mark.django_db
def test_saving_the_same_email_sends_nothing(patient_client: Client) -> None:
    patient_client.post(SETTINGS_URL, {"email": "pat@example.org", "time_zone": "Europe/Paris"})

    assert mail.outbox == []


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
def test_another_accounts_email_gets_the_answer_a_free_one_gets_and_changes_nothing(
    patient: User, other_patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)  # the page shows the time
    pages = {}
    for email in (other_patient.email, "pat@new.example.org"):
        client = logged_in_client(patient)
        response = client.post(SETTINGS_URL, {"email": email, "time_zone": "Europe/Paris"})
        assert response.status_code == 302
        page = client.get(response["Location"]).text.replace(email, "ADDRESS")
        pages[email] = CSRF_TOKEN.sub("", page)  # a new one on every page

    assert pages[other_patient.email] == pages["pat@new.example.org"]
    assert "There is a problem" not in pages[other_patient.email]
    sent = last_email_to(other_patient.email)
    assert sent.subject == "Someone tried to use your address on Sidelog"
    assert 'It already belongs to your account "olga", so nothing was changed' in sent.body
    assert EMAIL_CHANGE_LINK.search(str(sent.body)) is None
    patient.refresh_from_db()
    other_patient.refresh_from_db()
    assert (patient.email, other_patient.email) == ("pat@example.org", "olga@example.org")


@pytest.mark.django_db
def test_an_address_held_only_by_a_sign_up_not_finished_can_be_confirmed(
    patient_client: Client, patient: User
) -> None:
    Client().post(
        "/accounts/signup/",
        {
            "username": "squatter",
            "email": "pat@new.example.org",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "time_zone": "UTC",
        },
    )
    patient_client.post(SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "UTC"})

    patient_client.get(link_in(last_email_to("pat@new.example.org"), EMAIL_CHANGE_LINK))

    patient.refresh_from_db()
    assert patient.email == "pat@new.example.org"
    # The sign-up is gone: its link no longer works, and its username is free.
    assert not User.objects.filter(username="squatter").exists()


@pytest.mark.django_db
def test_the_confirmation_link_works_once(patient_client: Client, patient: User) -> None:
    patient_client.post(SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "UTC"})
    link = link_in(last_email_to("pat@new.example.org"), EMAIL_CHANGE_LINK)
    patient_client.get(link)
    patient_client.post(SETTINGS_URL, {"email": "pat@third.example.org", "time_zone": "UTC"})
    patient_client.get(link_in(last_email_to("pat@third.example.org"), EMAIL_CHANGE_LINK))

    response = patient_client.get(link)

    assert response.status_code == 410
    assert "This link has already been used" in response.text
    patient.refresh_from_db()
    assert patient.email == "pat@third.example.org"


@pytest.mark.django_db
def test_the_confirmation_link_expires_after_three_days(
    patient_client: Client, patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    patient_client.force_login(patient, backend="accounts.backends.ModelBackend")
    patient_client.post(SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "UTC"})
    link = link_in(last_email_to("pat@new.example.org"), EMAIL_CHANGE_LINK)

    time_machine.move_to(NOW + timedelta(days=3, minutes=1), tick=False)
    patient_client.force_login(patient, backend="accounts.backends.ModelBackend")
    response = patient_client.get(link)

    assert response.status_code == 410
    assert "This link has expired" in response.text
    patient.refresh_from_db()
    assert patient.email == "pat@example.org"


@pytest.mark.django_db
def test_a_confirmation_link_is_refused_to_another_account_and_asks_a_visitor_to_log_in(
    patient_client: Client, patient: User, other_patient_client: Client
) -> None:
    patient_client.post(SETTINGS_URL, {"email": "pat@new.example.org", "time_zone": "UTC"})
    link = link_in(last_email_to("pat@new.example.org"), EMAIL_CHANGE_LINK)

    refused = other_patient_client.get(link)
    visitor = Client().get(link)

    assert refused.status_code == 404
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/accounts/login/?next=/accounts/settings/email/")
    patient.refresh_from_db()
    assert patient.email == "pat@example.org"
    # Logging in comes back to the link, which then confirms the address.
    assert patient_client.get(link).status_code == 302
    patient.refresh_from_db()
    assert patient.email == "pat@new.example.org"


@pytest.mark.django_db
def test_a_content_editor_gets_404(editor_client: Client) -> None:
    assert editor_client.get(SETTINGS_URL).status_code == 404
    assert editor_client.post(SETTINGS_URL, {"time_zone": "UTC"}).status_code == 404


@pytest.mark.django_db
def test_a_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"
