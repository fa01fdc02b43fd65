"""Signing up: the same answer whatever is taken, an email that says what happened, and a
link that finishes the account, once, for three days; or clear errors and nothing created."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from accounts.models import Profile
from reference.safety import find_dosage_advice
from tests.support.signups import (
    SIGN_UP_LINK,
    emails_to,
    last_email_to,
    sign_up_finish,
    sign_up_link,
)

SIGNUP_URL = "/accounts/signup/"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


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


# Free name and address: an email with a link that finishes the account


@pytest.mark.django_db
def test_signing_up_asks_to_check_email_and_makes_an_account_that_cannot_log_in_yet(
    client: Client,
) -> None:
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 200
    assert "Check your email" in response.text
    assert "We sent a link to <strong>sam@example.org</strong> to finish creating your account" in (
        response.text
    )
    assert "If nothing arrives" in response.text
    assert "_auth_user_id" not in client.session
    user = User.objects.get(username="sam")
    assert not user.is_active
    assert user.profile.role == Profile.Role.PATIENT
    login = Client().post(
        "/accounts/login/", {"username": "sam", "password": "a long and unusual passphrase"}
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in login.client.session


@pytest.mark.django_db
def test_the_email_carries_a_link_that_finishes_the_account_and_opens_the_journal(
    client: Client,
) -> None:
    client.post(SIGNUP_URL, signup_data())

    [email] = mail.outbox
    assert email.to == ["sam@example.org"]
    assert email.subject == "Finish creating your Sidelog account"
    assert '"sam"' in email.body
    assert "3 days" in email.body
    assert find_dosage_advice(f"{email.subject}\n{email.body}") == []
    page = client.get(sign_up_link("sam@example.org"))
    assert page.status_code == 200
    assert "Finish creating your account" in page.text
    assert "<strong>sam</strong>" in page.text

    response = sign_up_finish(client, "sam@example.org", follow=True)

    assert response.redirect_chain == [(reverse("journal:dashboard"), 302)]
    assert "Welcome to Sidelog. Your journal is ready." in response.text
    user = User.objects.get(username="sam")
    assert user.is_active
    assert user.email == "sam@example.org"
    assert user.check_password("a long and unusual passphrase")
    assert user.profile.time_zone == "Europe/Lisbon"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_opening_the_link_alone_finishes_nothing(client: Client) -> None:
    """A mail scanner, or an attacker's page sending a visitor to the attacker's own link (to
    log them in to it), only opens the link: finishing takes the page's button."""
    Client().post(SIGNUP_URL, signup_data())

    client.get(sign_up_link("sam@example.org"))

    assert not User.objects.get(username="sam").is_active
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_link_works_once(client: Client) -> None:
    client.post(SIGNUP_URL, signup_data())
    link = sign_up_link("sam@example.org")
    sign_up_finish(client, "sam@example.org")
    client.post("/accounts/logout/")

    for response in (Client().get(link), Client().post(link)):
        assert response.status_code == 410
        assert "This link has already been used" in response.text
        assert 'href="/accounts/login/"' in response.text
        assert 'href="/accounts/signup/"' in response.text


@pytest.mark.django_db
def test_the_link_expires_after_three_days_and_offers_to_sign_up_again(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(NOW, tick=False)
    Client().post(SIGNUP_URL, signup_data())
    link = sign_up_link("sam@example.org")

    time_machine.move_to(NOW + timedelta(days=3, minutes=1), tick=False)
    page, finish = Client().get(link), Client().post(link)

    for response in (page, finish):
        assert response.status_code == 410
        assert "This link has expired" in response.text
        assert 'href="/accounts/signup/">Sign up again</a>' in response.text
    assert not User.objects.get(username="sam").is_active


@pytest.mark.django_db
def test_the_link_still_works_just_before_three_days(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)
    Client().post(SIGNUP_URL, signup_data())

    time_machine.move_to(NOW + timedelta(days=3, minutes=-1), tick=False)
    response = sign_up_finish(Client(), "sam@example.org")

    assert response.status_code == 302
    assert User.objects.get(username="sam").is_active


@pytest.mark.django_db
def test_a_link_changed_by_hand_is_refused(client: Client) -> None:
    client.post(SIGNUP_URL, signup_data())
    link = sign_up_link("sam@example.org")
    forged = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]

    response = client.post(forged)

    assert response.status_code == 404
    assert "This link doesn't work" in response.text
    assert not User.objects.get(username="sam").is_active


@pytest.mark.django_db
def test_signing_up_again_with_the_same_address_replaces_the_unfinished_sign_up() -> None:
    Client().post(SIGNUP_URL, signup_data())
    first = sign_up_link("sam@example.org")
    Client().post(
        SIGNUP_URL,
        signup_data(password1="another long passphrase", password2="another long passphrase"),
    )
    second = sign_up_link("sam@example.org")

    assert Client().post(first).status_code == 410
    assert Client().post(second).status_code == 302
    user = User.objects.get(username="sam")
    assert user.check_password("another long passphrase")


# Taken name or address: the same page, and an email that says what happened


@pytest.fixture
def pages_and_emails(patient: User) -> dict[str, tuple[str, int]]:
    """The page each sign-up answered (its address written as ADDRESS) and its status."""
    attempts = {
        "both free": signup_data(username="sam", email="sam@example.org"),
        "username taken": signup_data(username="PAT", email="someone@example.org"),
        "email taken": signup_data(username="newname", email=patient.email.upper()),
        "both taken": signup_data(username="pat", email=patient.email),
    }
    pages = {}
    for case, data in attempts.items():
        response = Client().post(SIGNUP_URL, data)
        pages[case] = (response.text.replace(data["email"], "ADDRESS"), response.status_code)
    return pages


@pytest.mark.django_db
def test_a_taken_username_or_email_gets_exactly_the_page_a_free_one_gets(
    pages_and_emails: dict[str, tuple[str, int]],
) -> None:
    free = pages_and_emails["both free"]

    assert free[1] == 200
    assert "We sent a link to <strong>ADDRESS</strong> to finish creating your account" in free[0]
    for case, page in pages_and_emails.items():
        assert page == free, case


@pytest.mark.django_db
def test_a_taken_email_makes_nothing_and_tells_its_owner_how_to_log_in(
    client: Client, patient: User
) -> None:
    response = client.post(SIGNUP_URL, signup_data(email="Pat@Example.org"))

    assert response.status_code == 200
    assert not User.objects.filter(username="sam").exists()
    [email] = mail.outbox
    assert email.to == ["Pat@example.org"]
    assert email.subject == "You already have a Sidelog account"
    assert 'its username is "pat"' in email.body
    assert "http://127.0.0.1:8000/accounts/login/" in email.body
    assert "http://127.0.0.1:8000/accounts/password_reset/" in email.body
    assert SIGN_UP_LINK.search(str(email.body)) is None
    assert find_dosage_advice(str(email.body)) == []


@pytest.mark.django_db
def test_a_taken_username_makes_nothing_and_the_email_asks_for_another(
    client: Client, patient: User
) -> None:
    response = client.post(SIGNUP_URL, signup_data(username="PAT"))

    assert response.status_code == 200
    assert list(User.objects.values_list("username", flat=True)) == ["pat"]
    [email] = mail.outbox
    assert email.to == ["sam@example.org"]
    assert email.subject == "Choose another username for Sidelog"
    assert 'the username "PAT". That username is already taken' in email.body
    assert "http://127.0.0.1:8000/accounts/signup/\n" in email.body
    assert SIGN_UP_LINK.search(str(email.body)) is None
    assert find_dosage_advice(str(email.body)) == []


@pytest.mark.django_db
def test_a_username_held_by_an_unfinished_sign_up_is_taken_until_it_is_deleted() -> None:
    Client().post(SIGNUP_URL, signup_data())

    Client().post(SIGNUP_URL, signup_data(email="someone.else@example.org"))

    assert (
        last_email_to("someone.else@example.org").subject == "Choose another username for Sidelog"
    )
    assert User.objects.get(username="sam").email == "sam@example.org"
    assert len(emails_to("sam@example.org")) == 1


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting what it hashes."""

    algorithm = "counting_md5"
    hashed: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed.append(password)
        return super().encode(password, salt)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [{}, {"username": "PAT"}, {"email": "pat@example.org"}],
    ids=["free", "username taken", "email taken"],
)
def test_every_answer_pays_for_hashing_the_password(
    settings: Settings, patient: User, overrides: dict[str, str]
) -> None:
    """Hashing (Argon2 in production) is most of a sign-up's time: a branch that skipped it
    would answer faster, and tell which names and addresses are taken."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed.clear()

    Client().post(SIGNUP_URL, signup_data(**overrides))

    assert CountingHasher.hashed == ["a long and unusual passphrase"]


# Bad input: the form says what is wrong, nothing is made and nothing is sent


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
    assert mail.outbox == []


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
    assert "There is a problem" in html
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
