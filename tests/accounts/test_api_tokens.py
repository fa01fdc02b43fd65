"""API tokens: several per person, each named; they end like sessions (idle, 12 hours, a new
password, signing out); their owner lists and ends them in settings and the API, and no one
else can; only a hash of each is stored, so no one reads one back.

Deleting the account deletes its tokens: tests/privacy/test_privacy_delete.py."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from accounts.models import ApiToken
from tests.support.clients import logged_in_client
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
PROFILE_URL = "/api/v1/profile/"
SETTINGS_URL = "/accounts/settings/"
ENDED = {"detail": "This token has ended; sign in again for a new one."}
NEW_PASSWORD = "a brand new passphrase"
# Pat lives in London, on UTC in March.
NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


def sign_in(
    name: str = "phone", username: str = "pat", password: str = PASSWORD
) -> tuple[APIClient, dict[str, Any]]:
    """An app signing in as its user would: a client sending the new token, and the answer."""
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password, "name": name}, format="json"
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    return client, body


def status_of(client: APIClient) -> int:
    return client.get(PROFILE_URL).status_code


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


# Several apps, each with its own named token


def test_each_app_gets_a_token_of_its_own_listed_with_its_name_and_last_use(
    patient: User, clock: TimeMachineFixture
) -> None:
    phone, _ = sign_in("phone")
    clock.shift(timedelta(minutes=5))
    clinic_app, _ = sign_in("clinic app")
    clock.shift(timedelta(minutes=2))
    assert status_of(phone) == 200

    response = phone.get(TOKENS_URL)

    assert response.status_code == 200
    listed = response.json()["results"]
    assert [(t["name"], t["current"]) for t in listed] == [("phone", True), ("clinic app", False)]
    assert [when(t["last_used_at"]) for t in listed] == [
        NOW + timedelta(minutes=7),
        NOW + timedelta(minutes=5),
    ]
    assert when(listed[0]["created_at"]) == NOW
    assert when(listed[0]["ends_at"]) == NOW + timedelta(minutes=37)
    assert "token" not in listed[0]
    assert status_of(clinic_app) == 200


def test_a_token_without_a_name_is_called_api_token_and_a_long_name_is_refused(
    patient: User,
) -> None:
    unnamed = APIClient().post(TOKEN_URL, {"username": "pat", "password": PASSWORD}, format="json")
    too_long = APIClient().post(
        TOKEN_URL, {"username": "pat", "password": PASSWORD, "name": "x" * 51}, format="json"
    )

    assert unnamed.status_code == 200
    assert unnamed.json()["name"] == "API token"
    assert too_long.status_code == 400
    assert "name" in too_long.json()
    assert ApiToken.objects.count() == 1


def test_a_new_token_beyond_the_limit_ends_the_one_used_longest_ago(
    patient: User, settings: Any, clock: TimeMachineFixture
) -> None:
    settings.API_TOKENS_PER_PERSON = 3
    first, _ = sign_in("first")
    clock.shift(timedelta(minutes=2))
    second, _ = sign_in("second")
    clock.shift(timedelta(minutes=2))
    third, _ = sign_in("third")
    clock.shift(timedelta(minutes=2))
    assert status_of(first) == 200  # now used more recently than the second
    clock.shift(timedelta(minutes=2))

    fourth, _ = sign_in("fourth")

    assert [status_of(c) for c in (first, second, third, fourth)] == [200, 403, 200, 200]
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"first", "third", "fourth"}


# A token ends like a session


def test_a_token_unused_for_30_minutes_ends(patient: User, clock: TimeMachineFixture) -> None:
    phone, _ = sign_in()
    clock.shift(timedelta(minutes=29))
    assert status_of(phone) == 200
    clock.shift(timedelta(minutes=29))
    assert status_of(phone) == 200  # each use moves its end
    clock.shift(timedelta(minutes=30))

    response = phone.get(PROFILE_URL)

    assert response.status_code == 403
    assert response.json() == ENDED
    assert not ApiToken.objects.exists()


def test_a_token_in_use_ends_12_hours_after_sign_in(
    patient: User, clock: TimeMachineFixture
) -> None:
    phone, _ = sign_in()
    for _ in range(35):  # 11 hours 40 minutes
        clock.shift(timedelta(minutes=20))
        assert status_of(phone) == 200
    clock.shift(timedelta(minutes=20))

    response = phone.get(PROFILE_URL)

    assert response.status_code == 403
    assert response.json() == ENDED


def test_its_last_use_is_written_at_most_once_a_minute(
    patient: User, clock: TimeMachineFixture
) -> None:
    phone, _ = sign_in()
    clock.shift(timedelta(seconds=59))
    with CaptureQueriesContext(connection) as within_the_minute:
        assert status_of(phone) == 200
    clock.shift(timedelta(seconds=1))
    with CaptureQueriesContext(connection) as a_minute_on:
        assert status_of(phone) == 200

    def writes(queries: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]

    assert writes(within_the_minute) == []
    assert len(writes(a_minute_on)) == 1
    assert ApiToken.objects.get().last_used_at == NOW + timedelta(minutes=1)


def test_an_app_signs_itself_out_and_the_others_stay_signed_in(patient: User) -> None:
    phone, _ = sign_in("phone")
    clinic_app, _ = sign_in("clinic app")

    response = phone.delete(TOKEN_URL)

    assert response.status_code == 204
    assert status_of(phone) == 403
    assert status_of(clinic_app) == 200


def test_a_session_has_no_token_to_sign_out(patient: User, patient_client: Client) -> None:
    phone, _ = sign_in()

    response = patient_client.delete(TOKEN_URL)

    assert response.status_code == 404
    assert status_of(phone) == 200


def test_signing_out_every_app_in_settings_ends_every_token(
    patient: User, patient_client: Client
) -> None:
    phone, _ = sign_in("phone")
    clinic_app, _ = sign_in("clinic app")

    response = patient_client.post(f"{SETTINGS_URL}tokens/end-all/", follow=True)

    assert "Every app is signed out" in response.content.decode()
    assert "No app is signed in to your account." in response.content.decode()
    assert [status_of(phone), status_of(clinic_app)] == [403, 403]


def test_changing_the_password_ends_every_token(patient: User, patient_client: Client) -> None:
    phone, _ = sign_in("phone")
    clinic_app, _ = sign_in("clinic app")

    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Apps that signed in with\nthe old one are signed out." in response.content.decode()
    assert [status_of(phone), status_of(clinic_app)] == [403, 403]
    assert not ApiToken.objects.exists()
    again, _ = sign_in(password=NEW_PASSWORD)
    assert status_of(again) == 200


def test_resetting_the_password_ends_every_token(patient: User, client: Client) -> None:
    phone, _ = sign_in()
    client.post("/accounts/password_reset/", {"email": patient.email})
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert match
    form = client.get(match.group(1), follow=True)

    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your new password is saved." in done.content.decode()
    assert status_of(phone) == 403
    assert not ApiToken.objects.exists()


def test_a_password_set_anywhere_else_ends_every_token_too(patient: User) -> None:
    """The admin's password form and `manage.py changepassword` both call set_password."""
    phone, _ = sign_in()

    patient.set_password(NEW_PASSWORD)
    patient.save()

    response = phone.get(PROFILE_URL)
    assert response.status_code == 403
    assert response.json() == ENDED


# The owner lists and ends them; no one else can


def test_the_settings_page_lists_each_app_with_its_last_use(
    patient: User, patient_client: Client, clock: TimeMachineFixture
) -> None:
    _, phone = sign_in("phone")
    clock.shift(timedelta(minutes=3))
    _, clinic_app = sign_in("clinic app")

    html = patient_client.get(SETTINGS_URL).content.decode()

    section = html[html.index('id="api-tokens"') :]
    assert section.index(">clinic app<") < section.index(">phone<")
    assert 'last used <time datetime="2026-03-14T09:03:00+00:00">14 Mar 2026, 09:03' in section
    assert 'aria-label="Sign out phone"' in section
    assert 'aria-label="Sign out clinic app"' in section
    assert phone["key_id"] in section
    for body in (phone, clinic_app):
        assert body["token"].split(".")[1] not in html


def test_signing_one_app_out_in_settings_ends_only_its_token(
    patient: User, patient_client: Client
) -> None:
    phone, phone_body = sign_in("phone")
    clinic_app, _ = sign_in("clinic app")

    response = patient_client.post(f"{SETTINGS_URL}tokens/{phone_body['id']}/end/", follow=True)

    assert response.redirect_chain == [(f"{SETTINGS_URL}#api-tokens", 302)]
    html = response.content.decode()
    assert "“phone” is signed out: its token no longer works." in html
    assert 'aria-label="Sign out phone"' not in html
    assert 'aria-label="Sign out clinic app"' in html
    assert [status_of(phone), status_of(clinic_app)] == [403, 200]


def test_a_person_ends_one_of_their_tokens_through_the_api(patient: User) -> None:
    phone, phone_body = sign_in("phone")
    clinic_app, _ = sign_in("clinic app")

    response = clinic_app.delete(f"{TOKENS_URL}{phone_body['id']}/")

    assert response.status_code == 204
    assert [status_of(phone), status_of(clinic_app)] == [403, 200]
    assert [t["name"] for t in clinic_app.get(TOKENS_URL).json()["results"]] == ["clinic app"]
    assert clinic_app.delete(f"{TOKENS_URL}{phone_body['id']}/").status_code == 404


def test_no_one_else_sees_or_ends_a_persons_tokens(
    patient: User, other_patient: User, provider: User
) -> None:
    pats_phone, pats = sign_in("Pat's phone")
    olgas_phone, _ = sign_in("Olga's phone", username="olga")
    olga_online = logged_in_client(other_patient)

    listed = olgas_phone.get(TOKENS_URL).json()["results"]
    by_api = olgas_phone.delete(f"{TOKENS_URL}{pats['id']}/")
    by_page = olga_online.post(f"{SETTINGS_URL}tokens/{pats['id']}/end/")
    by_provider = logged_in_client(provider).post(f"{SETTINGS_URL}tokens/{pats['id']}/end/")

    assert [t["name"] for t in listed] == ["Olga's phone"]
    assert "Pat&#x27;s phone" not in olga_online.get(SETTINGS_URL).content.decode()
    assert (by_api.status_code, by_page.status_code, by_provider.status_code) == (404, 404, 404)
    assert by_api.json() == {"detail": "You have no token with this id."}
    assert status_of(pats_phone) == 200


def test_ending_a_token_in_settings_takes_a_post(patient: User, patient_client: Client) -> None:
    phone, body = sign_in()

    assert patient_client.get(f"{SETTINGS_URL}tokens/{body['id']}/end/").status_code == 405
    assert patient_client.get(f"{SETTINGS_URL}tokens/end-all/").status_code == 405
    assert status_of(phone) == 200


# Stored as a hash: no one reads a token back, the admin included


def test_only_a_hash_of_the_token_is_stored(patient: User) -> None:
    _, body = sign_in()
    key_id, secret = body["token"].split(".")

    with connection.cursor() as cursor:
        cursor.execute('SELECT * FROM "accounts_apitoken"')
        [row] = cursor.fetchall()

    assert not any(secret in str(value) for value in row)
    stored = ApiToken.objects.get()
    assert stored.key_id == key_id
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_a_wrong_or_malformed_token_is_refused(patient: User) -> None:
    _, body = sign_in()
    key_id, secret = body["token"].split(".")

    answers = []
    sent_instead = (
        f"{key_id}.{secret[:-1]}x",
        f"{key_id}.",
        key_id,
        secret,
        f".{secret}",
        f"{key_id[:-1]}\x00.{secret}",  # a NUL that PostgreSQL would refuse to compare
    )
    for sent in sent_instead:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {sent}")
        answers.append(client.get(PROFILE_URL).json())

    assert answers == [{"detail": "Invalid token."}] * len(sent_instead)


def test_the_admin_has_no_tokens_to_show(patient: User, admin_client: Client) -> None:
    _, body = sign_in()
    secret = body["token"].split(".")[1]

    index = admin_client.get("/admin/").content.decode()
    user_page = admin_client.get(f"/admin/auth/user/{patient.pk}/change/").content.decode()

    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert admin_client.get("/admin/authtoken/token/").status_code == 404
    assert "authtoken" not in index
    assert secret not in user_page
