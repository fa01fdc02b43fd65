"""Provider accounts: signing up, accepting a patient's invitation, landing on /provider/."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from accounts.models import Profile
from sharing import selectors as sharing
from sharing import services
from sharing.models import ProviderGrant
from tests.support.clients import logged_in_client
from tests.support.factories import PASSWORD
from tests.support.providers import make_provider
from tests.support.signups import last_email_to, sign_up_finish

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/provider/"
ACCEPT = {"decision": "accept"}


def provider_data(**overrides: str) -> dict[str, Any]:
    return {
        "username": "jokafor",
        "email": "jane.okafor@clinic.example",
        "display_name": "Dr Jane Okafor",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        "time_zone": "Africa/Lagos",
        **overrides,
    }


def invite(patient: User, email: str = "jane.okafor@clinic.example") -> tuple[ProviderGrant, str]:
    new = services.provider_grant_create(
        patient=patient, provider_email=email, all_reports=True, reports=[]
    )
    return new.grant, reverse("sharing:provider-invitation", args=[new.invitation_token])


def test_the_provider_urls_are_where_the_invitation_email_points() -> None:
    assert reverse("accounts:provider-signup") == SIGNUP_URL
    assert reverse("sharing:provider-invitation", args=["abc"]) == "/accounts/provider/invite/abc/"
    assert reverse("sharing:provider-home") == "/provider/"


def test_the_form_labels_every_field_including_the_display_name(client: Client) -> None:
    html = client.get(SIGNUP_URL).text

    for name in ("username", "email", "display_name", "password1", "password2", "time_zone"):
        assert f'<label for="id_{name}"' in html
    assert "Dr Jane Okafor" in html  # the example in the help text


def test_signing_up_sends_a_link_that_makes_a_provider_and_opens_their_page(
    client: Client,
) -> None:
    sent = client.post(SIGNUP_URL, provider_data())

    assert sent.status_code == 200
    assert "We sent a link to <strong>jane.okafor@clinic.example</strong>" in sent.text
    assert "_auth_user_id" not in client.session
    assert "provider account" in last_email_to("jane.okafor@clinic.example").body
    response = sign_up_finish(client, "jane.okafor@clinic.example")

    assert response.status_code == 302
    assert response["Location"] == "/provider/"
    user = User.objects.get(username="jokafor")
    assert user.check_password("a long and unusual passphrase")
    assert user.profile.role == Profile.Role.PROVIDER
    assert user.profile.display_name == "Dr Jane Okafor"
    assert user.profile.time_zone == "Africa/Lagos"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/provider/").status_code == 200


def test_an_address_typed_at_sign_up_is_not_enough_to_receive_a_grant(
    client: Client, patient: User
) -> None:
    grant, invitation_url = invite(patient, email="Jane.Okafor@Clinic.example")

    client.post(SIGNUP_URL, provider_data())
    sign_up_finish(client, "jane.okafor@clinic.example")

    grant.refresh_from_db()
    assert grant.provider is None
    assert not sharing.provider_patients(provider=User.objects.get(username="jokafor")).exists()
    client.post(invitation_url, ACCEPT)
    grant.refresh_from_db()
    provider = User.objects.get(username="jokafor")
    assert grant.provider == provider
    assert list(sharing.provider_patients(provider=provider)) == [patient]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something else entirely"}, "password2", "didn’t match"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"display_name": "   "}, "display_name", "Enter your name as patients know you."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Choose a time zone from the list."),
        ({"username": "bad name!"}, "username", "Enter a valid username."),
    ],
)
def test_bad_input_shows_the_problem_and_creates_nothing(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    users_before, profiles_before = User.objects.count(), Profile.objects.count()

    response = client.post(SIGNUP_URL, provider_data(**changes))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert (User.objects.count(), Profile.objects.count()) == (users_before, profiles_before)
    assert "_auth_user_id" not in client.session


def test_a_taken_email_or_username_gets_the_page_a_free_one_gets_and_makes_nothing(
    patient: User,
) -> None:
    pages = []
    for data in (
        provider_data(),
        provider_data(email=patient.email.upper()),
        provider_data(username="PAT", email="jo@home.example"),
    ):
        response = Client().post(SIGNUP_URL, data)
        assert response.status_code == 200
        pages.append(response.text.replace(data["email"], "ADDRESS"))

    assert pages[1] == pages[0]
    assert pages[2] == pages[0]
    providers = User.objects.filter(profile__role=Profile.Role.PROVIDER)
    made = [("jokafor", "jane.okafor@clinic.example", False)]  # the free one, not yet finished
    assert list(providers.values_list("username", "email", "is_active")) == made
    assert last_email_to("PAT@example.org").subject == "You already have a Sidelog account"
    taken = last_email_to("jo@home.example")
    assert taken.subject == "Choose another username for Sidelog"
    assert "/accounts/signup/provider/" in taken.body


def test_a_logged_in_patient_is_asked_to_log_out_first_and_keeps_their_role(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post(SIGNUP_URL, provider_data())

    assert response.status_code == 200
    assert "Log out first" in response.text
    assert not User.objects.filter(username="jokafor").exists()
    patient.profile.refresh_from_db()
    assert patient.profile.role == Profile.Role.PATIENT


def test_a_provider_logs_in_to_what_is_shared_with_them(client: Client) -> None:
    make_provider()

    response = client.post("/accounts/login/", {"username": "okafor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/provider/"


# Invitations


def test_a_logged_in_provider_accepts_an_invitation_and_sees_the_patient(
    patient: User,
) -> None:
    provider = make_provider(email="another.address@clinic.example")
    grant, url = invite(patient)
    client = logged_in_client(provider)

    response = client.post(url, ACCEPT, follow=True)

    grant.refresh_from_db()
    assert grant.provider == provider
    assert response.redirect_chain == [("/provider/", 302)]
    assert "pat shares reports with you." in response.text


def test_someone_not_logged_in_is_offered_to_log_in_or_create_an_account(
    client: Client, patient: User
) -> None:
    grant, url = invite(patient)

    response = client.get(url)

    assert response.status_code == 200
    login_link = f"/accounts/login/?next={url.replace('/', '%2F')}"
    assert login_link in response.text
    signup = response.context["signup_url"]
    query = parse_qs(urlsplit(signup).query)
    assert urlsplit(signup).path == SIGNUP_URL
    assert query == {"email": [grant.provider_email], "next": [url]}
    grant.refresh_from_db()
    assert grant.provider is None


def test_logging_in_from_an_invitation_returns_to_it_to_accept(
    client: Client, patient: User
) -> None:
    provider = make_provider()
    grant, url = invite(patient)
    login_url = client.get(url).context["login_url"]

    response = client.post(login_url, {"username": "okafor", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "pat wants to share reports with you" in response.text
    grant.refresh_from_db()
    assert grant.provider is None
    client.post(url, ACCEPT)
    grant.refresh_from_db()
    assert grant.provider == provider


def test_the_sign_up_page_prefills_the_invited_email(client: Client, patient: User) -> None:
    invite(patient)

    response = client.get(SIGNUP_URL, {"email": "jane.okafor@clinic.example"})

    assert 'value="jane.okafor@clinic.example"' in response.text


def test_signing_up_from_an_invitation_with_another_email_still_accepts_it(
    client: Client, patient: User
) -> None:
    grant, url = invite(patient)
    signup = client.get(url).context["signup_url"]

    sent = client.post(signup, provider_data(email="jo@home.example"))
    assert "it brings you back to the invitation" in sent.text
    response = sign_up_finish(client, "jo@home.example", follow=True)
    accepted = client.post(url, ACCEPT, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "pat wants to share reports with you" in response.text
    grant.refresh_from_db()
    assert grant.provider == User.objects.get(username="jokafor")
    assert accepted.redirect_chain == [("/provider/", 302)]
    assert "pat shares reports with you." in accepted.text


def test_a_next_address_on_another_site_is_ignored(client: Client) -> None:
    client.post(f"{SIGNUP_URL}?next=https://evil.example/", provider_data())

    response = sign_up_finish(client, "jane.okafor@clinic.example")

    assert response["Location"] == "/provider/"


def test_a_patient_account_is_told_the_invitation_needs_a_provider_account(
    patient: User, other_patient: User, other_patient_client: Client
) -> None:
    grant, url = invite(patient)

    response = other_patient_client.get(url)

    assert response.status_code == 403
    assert "This invitation needs a provider account" in response.text
    grant.refresh_from_db()
    assert grant.provider is None


def test_an_invitation_from_a_revoked_grant_is_no_longer_valid(patient: User) -> None:
    grant, url = invite(patient)
    services.provider_grant_revoke(grant=grant)
    provider = make_provider()

    for client in (Client(), logged_in_client(provider)):
        response = client.get(url)

        assert response.status_code == 404
        assert "This invitation is no longer valid." in response.text
    grant.refresh_from_db()
    assert grant.provider is None


def test_an_invitation_never_issued_is_no_longer_valid(client: Client) -> None:
    response = client.get(reverse("sharing:provider-invitation", args=["made-up-token"]))

    assert response.status_code == 404
    assert "This invitation is no longer valid." in response.text


def test_an_invitation_accepted_by_one_provider_cannot_be_taken_by_another(
    patient: User,
) -> None:
    first, second = make_provider("first", email="a@clinic.example"), make_provider("second")
    grant, url = invite(patient)
    logged_in_client(first).post(url, ACCEPT)

    response = logged_in_client(second).get(url)

    assert response.status_code == 403
    assert "accepted by another account" in response.text
    grant.refresh_from_db()
    assert grant.provider == first


def test_the_invitation_email_links_to_the_invitation_page(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _, url = invite(patient)

    assert url in mail.outbox[0].body
