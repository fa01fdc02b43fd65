"""Inviting a caregiver, accepting the invitation, and ending the access."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from accounts.access import ACTING_FOR
from accounts.models import Profile
from audit.models import AuditAction, AuditEvent
from reference.safety import find_dosage_advice
from sharing.models import CareRelationship
from sharing.services import NewInvitation, caregiver_invite
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import PASSWORD, CaregiverFactory, PatientFactory, care_relationship
from tests.support.signups import last_email_to, sign_up_finish

pytestmark = pytest.mark.django_db

INVITATION_LINK = re.compile(r"https?://\S+(/accounts/caregiver/invite/[\w-]+/)")
ACCEPT = {"decision": "accept"}


def invite(patient: User, email: str = "sam@example.org") -> NewInvitation:
    invitation = caregiver_invite(patient=patient, email=email)
    mail.outbox.clear()
    return invitation


def invitation_url(invitation: NewInvitation) -> str:
    return f"/accounts/caregiver/invite/{invitation.token}/"


def sign_up_form(**changes: str) -> dict[str, str]:
    data = {
        "username": "sam",
        "email": "sam@example.org",
        "password1": "a long and private phrase 42",
        "password2": "a long and private phrase 42",
        "display_name": "Sam, Pat's son",
        "time_zone": "Europe/London",
    }
    data.update(changes)
    return data


def audit_actions(patient: User) -> list[str]:
    return list(AuditEvent.objects.filter(patient_key=patient.pk).values_list("action", flat=True))


# Inviting


def test_a_patient_invites_a_caregiver_by_an_email_with_the_link_and_no_dosing_advice(
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post("/journal/sharing/caregivers/", {"email": "sam@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/journal/sharing/"
    relationship = CareRelationship.objects.get(patient=patient)
    assert relationship.caregiver_email == "sam@example.org"
    assert relationship.is_pending
    [email] = mail.outbox
    assert email.to == ["sam@example.org"]
    match = INVITATION_LINK.search(str(email.body))
    assert match is not None
    assert find_dosage_advice(f"{email.subject}\n{email.body}") == []
    assert AuditAction.CAREGIVER_INVITED in audit_actions(patient)
    # The link in the email is the one that opens the invitation.
    page = Client().get(match.group(1))
    assert page.status_code == 200
    assert "Help keep pat's journal" in page.text


def test_the_sharing_page_lists_invitations_with_their_status_and_a_way_to_end_them(
    patient: User, patient_client: Client, caregiver: User
) -> None:
    pending = invite(patient, "sam@example.org").relationship
    ended = invite(patient, "old@example.org").relationship
    CareRelationship.objects.filter(pk=ended.pk).update(ended_at=ended.created_at)
    active = CareRelationship.objects.get(caregiver=caregiver)

    response = patient_client.get("/journal/sharing/")

    assert response.status_code == 200
    text = response.text
    assert "sam@example.org" in text and "Pending" in text
    assert "cara@example.org" in text and "Active" in text
    assert "old@example.org" in text and "Withdrawn" in text
    assert f"/journal/sharing/caregivers/{pending.pk}/end/" in text
    assert f"/journal/sharing/caregivers/{active.pk}/end/" in text
    assert f"/journal/sharing/caregivers/{ended.pk}/end/" not in text
    assert 'action="/journal/sharing/caregivers/"' in text


def test_an_invalid_email_shows_the_form_again_and_sends_nothing(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post("/journal/sharing/caregivers/", {"email": "not an email"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not CareRelationship.objects.exists()
    assert mail.outbox == []


def test_a_patient_cannot_invite_their_own_address(patient: User, patient_client: Client) -> None:
    response = patient_client.post("/journal/sharing/caregivers/", {"email": patient.email})

    assert response.status_code == 200
    assert "this is your own address" in response.text
    assert not CareRelationship.objects.exists()
    assert mail.outbox == []


def test_an_address_with_an_invitation_in_force_is_not_invited_twice(
    patient: User, patient_client: Client
) -> None:
    invite(patient, "sam@example.org")

    response = patient_client.post("/journal/sharing/caregivers/", {"email": "SAM@example.org"})

    assert response.status_code == 200
    assert "You have already invited this address" in response.text
    assert CareRelationship.objects.count() == 1
    assert mail.outbox == []


def test_a_caregiver_keeping_pats_journal_cannot_invite_anyone_else(
    patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)
    before = AuditEvent.objects.count()

    response = client.post("/journal/sharing/caregivers/", {"email": "friend@example.org"})

    assert response.status_code == 404
    assert not CareRelationship.objects.filter(caregiver_email="friend@example.org").exists()
    assert mail.outbox == []
    assert AuditEvent.objects.count() == before


def test_someone_not_logged_in_is_sent_to_log_in_before_inviting(client: Client) -> None:
    response = client.post("/journal/sharing/caregivers/", {"email": "sam@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CareRelationship.objects.exists()


# Accepting


def test_an_invited_person_with_an_account_accepts_and_lands_on_their_care_page(
    patient: User,
) -> None:
    invitation = invite(patient)
    sam = CaregiverFactory.create(username="sam")
    client = logged_in_client(sam)

    page = client.get(invitation_url(invitation))
    assert page.status_code == 200
    assert "Accept" in page.text
    response = client.post(invitation_url(invitation), ACCEPT)

    assert response.status_code == 302
    assert response["Location"] == "/care/"
    relationship = CareRelationship.objects.get(pk=invitation.relationship.pk)
    assert relationship.caregiver == sam
    assert relationship.is_active
    assert AuditAction.CAREGIVER_ACCEPTED in audit_actions(patient)
    assert "pat" in client.get("/care/").text


def test_a_patient_may_also_be_the_caregiver_of_someone_else(
    patient: User, patient_client: Client, other_patient: User
) -> None:
    invitation = invite(other_patient, patient.email)

    response = patient_client.post(invitation_url(invitation), ACCEPT)

    assert response["Location"] == "/care/"
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).caregiver == patient
    assert "olga" in patient_client.get("/care/").text
    # Pat keeps Pat's own journal, and their own account settings.
    assert patient_client.get("/journal/").status_code == 200
    assert patient_client.get("/accounts/settings/").status_code == 200


def test_the_invitation_offers_a_log_in_that_comes_back_to_it(patient: User) -> None:
    invitation = invite(patient)

    response = Client().get(invitation_url(invitation))

    assert response.status_code == 200
    assert f'href="/accounts/login/?next={invitation_url(invitation)}"' in response.text


def test_logging_in_from_the_invitation_returns_to_it(patient: User) -> None:
    invitation = invite(patient)
    CaregiverFactory.create(username="sam")

    response = Client().post(
        "/accounts/login/",
        {"username": "sam", "password": PASSWORD, "next": invitation_url(invitation)},
    )

    assert response.status_code == 302
    assert response["Location"] == invitation_url(invitation)


def test_a_new_caregiver_signs_up_from_the_invitation_and_accepts_it(patient: User) -> None:
    invitation = invite(patient)
    client = Client()

    page = client.get(invitation_url(invitation))
    assert 'value="sam@example.org"' in page.text
    sent = client.post(invitation_url(invitation), sign_up_form())

    assert sent.status_code == 200
    assert "We sent a link to <strong>sam@example.org</strong>" in sent.text
    assert "it brings you back to the invitation" in sent.text
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).is_pending
    finished = sign_up_finish(client, "sam@example.org")
    assert finished.status_code == 302
    assert finished["Location"] == invitation_url(invitation)
    sam = User.objects.get(username="sam")
    assert sam.check_password("a long and private phrase 42")
    assert sam.profile.role == Profile.Role.CAREGIVER
    assert sam.profile.display_name == "Sam, Pat's son"
    # Back at the invitation, now logged in: it says who invites them, and they accept.
    assert "Help keep pat's journal" in client.get(invitation_url(invitation)).text
    response = client.post(invitation_url(invitation), ACCEPT)
    assert response["Location"] == "/care/"
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).caregiver == sam
    care_page = client.get("/care/")
    assert care_page.status_code == 200
    assert "Open journal" in care_page.text


def test_a_sign_up_with_a_weak_password_creates_nothing(patient: User) -> None:
    invitation = invite(patient)

    response = Client().post(
        invitation_url(invitation), sign_up_form(password1="12345678", password2="12345678")
    )

    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert not User.objects.filter(username="sam").exists()
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).is_pending
    assert mail.outbox == []


def test_a_sign_up_with_an_email_already_in_use_gets_the_same_page_and_an_email_to_log_in(
    patient: User,
) -> None:
    invitation = invite(patient)
    CaregiverFactory.create(username="samuel", email="sam@example.org")

    taken = Client().post(invitation_url(invitation), sign_up_form())
    free = Client().post(invitation_url(invitation), sign_up_form(email="sam@home.example"))

    assert taken.status_code == free.status_code == 200
    assert taken.text.replace("sam@example.org", "ADDRESS") == free.text.replace(
        "sam@home.example", "ADDRESS"
    )
    assert not User.objects.filter(username="sam", email="sam@example.org").exists()
    email = last_email_to("sam@example.org")
    assert 'its username is "samuel"' in email.body
    # Logging in from the email comes back to the invitation.
    assert f"/accounts/login/?next={invitation_url(invitation).replace('/', '%2F')}" in email.body


def test_an_unknown_invitation_says_it_is_not_valid(client: Client) -> None:
    response = client.get("/accounts/caregiver/invite/not-a-real-token/")

    assert response.status_code == 404
    assert "This invitation can't be used" in response.text


def test_an_invitation_already_accepted_cannot_be_accepted_by_someone_else(
    patient: User,
) -> None:
    invitation = invite(patient)
    first = CaregiverFactory.create(username="sam")
    logged_in_client(first).post(invitation_url(invitation), ACCEPT)
    second = logged_in_client(CaregiverFactory.create(username="mallory"))

    response = second.post(invitation_url(invitation), ACCEPT)

    assert response.status_code == 404
    assert "This invitation can't be used" in response.text
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).caregiver == first


def test_an_ended_invitation_cannot_be_accepted_even_by_signing_up(
    patient: User, patient_client: Client
) -> None:
    invitation = invite(patient)
    patient_client.post(f"/journal/sharing/caregivers/{invitation.relationship.pk}/end/")

    response = Client().post(invitation_url(invitation), sign_up_form())

    assert response.status_code == 404
    assert not User.objects.filter(username="sam").exists()
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).caregiver is None


def test_a_patient_cannot_accept_their_own_invitation(
    patient: User, patient_client: Client
) -> None:
    invitation = invite(patient)

    page = patient_client.get(invitation_url(invitation))
    response = patient_client.post(invitation_url(invitation), ACCEPT)

    assert "This is your own invitation" in page.text
    assert response.status_code == 404
    assert "be your own caregiver." in response.text
    assert CareRelationship.objects.get(pk=invitation.relationship.pk).is_pending


# Ending


def test_a_patient_ends_a_caregivers_access(
    patient: User, patient_client: Client, caregiver: User
) -> None:
    relationship = CareRelationship.objects.get(caregiver=caregiver)

    response = patient_client.post(f"/journal/sharing/caregivers/{relationship.pk}/end/")

    assert response.status_code == 302
    assert response["Location"] == "/journal/sharing/"
    relationship.refresh_from_db()
    assert relationship.ended_at is not None
    assert AuditAction.CAREGIVER_ENDED in audit_actions(patient)


def test_a_caregiver_cannot_end_pats_other_caregivers(patient: User, caregiver: User) -> None:
    other = care_relationship(patient=patient, caregiver=CaregiverFactory.create(username="sam"))
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post(f"/journal/sharing/caregivers/{other.pk}/end/")

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_another_patient_cannot_end_pats_caregiver(
    caregiver: User, other_patient_client: Client
) -> None:
    relationship = CareRelationship.objects.get(caregiver=caregiver)

    response = other_patient_client.post(f"/journal/sharing/caregivers/{relationship.pk}/end/")

    assert response.status_code == 404
    relationship.refresh_from_db()
    assert relationship.is_active


def test_a_caregiver_can_stop_keeping_a_patients_journal(patient: User, caregiver: User) -> None:
    relationship = CareRelationship.objects.get(caregiver=caregiver)
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post(f"/journal/sharing/caregivers/{relationship.pk}/end/")

    assert response.status_code == 302
    assert response["Location"] == "/care/"
    relationship.refresh_from_db()
    assert relationship.ended_at is not None
    assert ACTING_FOR not in client.session
    assert client.get("/journal/").status_code == 404


def test_ending_needs_a_post(patient_client: Client, caregiver: User) -> None:
    relationship = CareRelationship.objects.get(caregiver=caregiver)

    response = patient_client.get(f"/journal/sharing/caregivers/{relationship.pk}/end/")

    assert response.status_code == 405
    relationship.refresh_from_db()
    assert relationship.is_active


def test_someone_invited_by_two_patients_sees_both_on_their_care_page(
    patient: User, caregiver: User
) -> None:
    sue = PatientFactory.create(username="sue")
    care_relationship(patient=sue, caregiver=caregiver)

    response = logged_in_client(caregiver).get("/care/")

    assert response.text.count("Open journal") == 2
    assert f"/care/switch/{patient.pk}/" in response.text
    assert f"/care/switch/{sue.pk}/" in response.text
