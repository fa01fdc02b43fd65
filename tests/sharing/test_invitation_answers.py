"""Invitations need a yes: the invited person sees who invites them and what they will see,
then accepts or declines with a POST; invitations expire and can be withdrawn; every answer
is in the patient's audit log.

The clock is pinned: invitations expire INVITATION_DAYS after they are sent. A session lasts
12 hours at most, so whoever opens an invitation days later is logged in after the clock
moves.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from audit.models import AuditAction, AuditEvent, AuditOutcome
from reference.safety import find_dosage_advice
from reports.models import Report
from sharing import selectors as sharing
from sharing import services
from sharing.models import CareRelationship, ProviderGrant
from tests.support.clients import logged_in_client
from tests.support.factories import CaregiverFactory, PatientFactory
from tests.support.providers import make_provider
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
ACCEPT = {"decision": "accept"}
DECLINE = {"decision": "decline"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def invite_provider(
    patient: User, *, reports: list[Report] | None = None
) -> tuple[ProviderGrant, str]:
    new = services.provider_grant_create(
        patient=patient,
        provider_email="jane.okafor@clinic.example",
        all_reports=reports is None,
        reports=reports or [],
    )
    mail.outbox.clear()
    return new.grant, reverse("sharing:provider-invitation", args=[new.invitation_token])


def invite_caregiver(patient: User, email: str = "sam@example.org") -> tuple[CareRelationship, str]:
    new = services.caregiver_invite(patient=patient, email=email)
    mail.outbox.clear()
    return new.relationship, reverse("sharing:caregiver-invitation", args=[new.token])


def actions(patient: User) -> list[str]:
    rows = AuditEvent.objects.filter(patient_key=patient.pk).order_by("pk")
    return list(rows.values_list("action", flat=True))


# The emails


def test_each_invitation_email_says_it_asks_for_an_answer_and_how_long_it_works(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.provider_grant_create(
            patient=patient, provider_email="jo@clinic.example", all_reports=True, reports=[]
        )
        services.caregiver_invite(patient=patient, email="sam@example.org")

    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert "accept or decline" in email.body
        assert "The invitation works for 14 days." in email.body
        assert find_dosage_advice(f"{email.subject}\n{email.body}") == []


# Providers: seeing the invitation changes nothing


def test_opening_a_provider_invitation_shows_who_shares_what_and_changes_nothing(
    patient: User,
) -> None:
    patient.profile.display_name = "Pat Jones"
    patient.profile.save(update_fields=["display_name"])
    grant, url = invite_provider(patient)
    client = logged_in_client(make_provider())

    response = client.get(url)

    assert response.status_code == 200
    assert "Pat Jones wants to share reports with you" in response.text
    assert "All of Pat Jones's reports: those ready now and any they build later." in response.text
    assert "Until Pat Jones ends it" in response.text
    assert "You can answer this invitation until 17 Nov 2026, 09:00." in response.text
    assert 'name="decision" value="accept"' in response.text
    assert 'name="decision" value="decline"' in response.text
    assert find_dosage_advice(response.text) == []
    assert response["Cache-Control"].startswith("max-age=0")
    grant.refresh_from_db()
    assert grant.provider is None
    assert actions(patient) == [AuditAction.GRANT_CREATED]


def test_an_invitation_to_chosen_reports_lists_their_periods(patient: User) -> None:
    chosen = ready_report(patient, days=14)
    ready_report(patient, days_ago=40)
    _, url = invite_provider(patient, reports=[chosen])

    response = logged_in_client(make_provider()).get(url)

    assert "1 report, each over the period shown:" in response.text
    assert f"{chosen.period_start:%-d %b %Y} – {chosen.period_end:%-d %b %Y}" in response.text
    assert "All of pat's reports" not in response.text


def test_a_page_that_loads_the_link_or_a_forged_form_cannot_accept_for_a_provider(
    patient: User,
) -> None:
    """An <img src> or a link opened while signed in is a GET; another site's form has no
    CSRF token."""
    grant, url = invite_provider(patient)
    provider = make_provider()
    client = Client(enforce_csrf_checks=True)
    client.force_login(provider, backend="accounts.backends.ModelBackend")

    loaded = client.get(url)
    forged = client.post(url, ACCEPT)

    assert loaded.status_code == 200
    assert forged.status_code == 403
    grant.refresh_from_db()
    assert grant.provider is None
    assert not sharing.provider_patients(provider=provider).exists()
    token = CSRF_FIELD.search(loaded.text)
    assert token is not None
    accepted = client.post(url, {**ACCEPT, "csrfmiddlewaretoken": token.group(1)})
    assert accepted.status_code == 302
    grant.refresh_from_db()
    assert grant.provider == provider


def test_a_post_without_an_answer_shows_the_problem_and_accepts_nothing(patient: User) -> None:
    grant, url = invite_provider(patient)

    response = logged_in_client(make_provider()).post(url, {})

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Choose Accept or Decline." in response.text
    grant.refresh_from_db()
    assert grant.provider is None


# Providers: accepting and declining


def test_accepting_gives_access_and_the_patient_sees_it_in_their_audit_log(
    patient: User, patient_client: Client
) -> None:
    grant, url = invite_provider(patient)
    provider = make_provider()

    response = logged_in_client(provider).post(url, ACCEPT, REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    assert response["Location"] == "/provider/"
    grant.refresh_from_db()
    assert (grant.provider, grant.accepted_at) == (provider, NOW)
    event = AuditEvent.objects.get(action=AuditAction.GRANT_ACCEPTED)
    assert (event.patient_key, event.actor_key) == (patient.pk, provider.pk)
    assert event.ip_address == "192.0.2.10"
    log = patient_client.get("/journal/audit/").text
    assert "Accepted an invitation to see reports" in log
    assert "Dr Jane Okafor (provider)" in log
    sharing_page = patient_client.get("/journal/sharing/").text
    assert "Can see it: accepted 3 Nov 2026" in sharing_page


def test_a_provider_declines_sees_nothing_and_the_patient_is_told(
    patient: User, patient_client: Client
) -> None:
    ready_report(patient)
    grant, url = invite_provider(patient)
    provider = make_provider()
    client = logged_in_client(provider)

    response = client.post(url, DECLINE, follow=True)

    assert response.redirect_chain == [("/provider/", 302)]
    assert "You declined pat&#x27;s invitation. Nothing is shared." in response.text
    grant.refresh_from_db()
    assert grant.provider is None
    assert grant.declined_at == NOW
    assert not sharing.provider_reports(provider=provider).exists()
    assert actions(patient) == [AuditAction.GRANT_CREATED, AuditAction.GRANT_DECLINED]
    assert "Declined an invitation to see reports" in patient_client.get("/journal/audit/").text
    sharing_page = patient_client.get("/journal/sharing/").text
    assert "Declined 3 Nov 2026, 09:00" in sharing_page
    assert f'action="/journal/sharing/providers/{grant.pk}/revoke/"' not in sharing_page
    # The link is spent: declining cannot be turned into accepting.
    again = client.post(url, ACCEPT)
    assert again.status_code == 404
    assert "This invitation is no longer valid." in again.text
    grant.refresh_from_db()
    assert grant.provider is None


def test_only_a_provider_account_can_answer_a_provider_invitation(
    patient: User, other_patient: User
) -> None:
    grant, url = invite_provider(patient)

    for answer in (ACCEPT, DECLINE):
        response = logged_in_client(other_patient).post(url, answer)

        assert response.status_code == 403
        assert "This invitation needs a provider account" in response.text
    grant.refresh_from_db()
    assert (grant.provider, grant.declined_at) == (None, None)
    assert actions(patient) == [AuditAction.GRANT_CREATED]


# Providers: expiry and withdrawal


def test_a_provider_invitation_expires_fourteen_days_after_it_is_sent(
    patient: User, time_machine: TimeMachineFixture
) -> None:
    grant, url = invite_provider(patient)
    provider = make_provider()

    time_machine.move_to(NOW + timedelta(days=14) - timedelta(minutes=1), tick=False)
    still_open = logged_in_client(provider).get(url)
    time_machine.move_to(NOW + timedelta(days=14), tick=False)
    client = logged_in_client(provider)
    expired = client.get(url)
    accepted = client.post(url, ACCEPT)
    anonymous = Client().get(url)

    assert still_open.status_code == 200
    assert "Accept" in still_open.text
    for response in (expired, accepted, anonymous):
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
        assert "can be answered for 14 days" in response.text
    grant.refresh_from_db()
    assert grant.provider is None
    assert not sharing.provider_patients(provider=provider).exists()
    sharing_page = logged_in_client(patient).get("/journal/sharing/").text
    assert "Invitation expired 17 Nov 2026, 09:00" in sharing_page
    assert "Withdraw the invitation" not in sharing_page


def test_how_long_an_invitation_lasts_is_a_setting(
    patient: User, settings: Settings, time_machine: TimeMachineFixture
) -> None:
    settings.INVITATION_DAYS = 3
    _, url = invite_provider(patient)

    time_machine.move_to(NOW + timedelta(days=3), tick=False)
    response = logged_in_client(make_provider()).get(url)

    assert response.status_code == 410
    assert "can be answered for 3 days" in response.text


def test_the_patient_withdraws_an_invitation_from_the_sharing_page(
    patient: User, patient_client: Client
) -> None:
    grant, url = invite_provider(patient)
    page = patient_client.get("/journal/sharing/").text
    assert "Invited: waiting for them to accept, until 17 Nov 2026, 09:00" in page
    assert 'aria-label="Withdraw the invitation to jane.okafor@clinic.example"' in page

    response = patient_client.post(f"/journal/sharing/providers/{grant.pk}/revoke/", follow=True)

    assert "The invitation to jane.okafor@clinic.example is withdrawn." in response.text
    assert "Invitation withdrawn 3 Nov 2026, 09:00" in response.text
    assert actions(patient) == [AuditAction.GRANT_CREATED, AuditAction.GRANT_WITHDRAWN]
    assert "Withdrew a provider&#x27;s invitation" in patient_client.get("/journal/audit/").text
    opened = logged_in_client(make_provider()).post(url, ACCEPT)
    assert opened.status_code == 404
    grant.refresh_from_db()
    assert grant.provider is None


# Caregivers


def test_a_caregiver_invitation_says_what_they_will_see_and_do_and_until_when(
    patient: User,
) -> None:
    _, url = invite_caregiver(patient)
    sam = CaregiverFactory.create(username="sam")

    signed_in = logged_in_client(sam).get(url)
    anonymous = Client().get(url)

    for response in (signed_in, anonymous):
        assert response.status_code == 200
        assert "pat's whole journal: their medicines, doses, symptoms, check-ins and" in (
            response.text
        )
        assert "You can't share their reports, invite anyone else" in response.text
        assert "Until pat ends it, or until you end it yourself" in response.text
        assert find_dosage_advice(response.text) == []
        assert "You can answer this invitation until 17 Nov 2026, 09:00." in response.text
    assert 'name="decision" value="decline"' in signed_in.text


def test_a_caregiver_declines_and_the_patient_is_told(
    patient: User, patient_client: Client
) -> None:
    relationship, url = invite_caregiver(patient)
    sam = CaregiverFactory.create(username="sam")
    client = logged_in_client(sam)

    response = client.post(url, DECLINE, follow=True)

    assert response.redirect_chain == [("/care/", 302)]
    assert "You declined pat&#x27;s invitation." in response.text
    assert "Open journal" not in response.text
    relationship.refresh_from_db()
    assert (relationship.caregiver, relationship.accepted_at) == (None, None)
    assert relationship.declined_at == NOW
    assert actions(patient) == [AuditAction.CAREGIVER_INVITED, AuditAction.CAREGIVER_DECLINED]
    event = AuditEvent.objects.get(action=AuditAction.CAREGIVER_DECLINED)
    assert event.actor_key == sam.pk
    assert "Declined to be a caregiver" in patient_client.get("/journal/audit/").text
    page = patient_client.get("/journal/sharing/").text
    item = page.split("sam@example.org")[1].split("</li>")[0]
    assert '<span class="tag">Declined</span>' in item
    assert "declined 3 Nov 2026" in item
    assert "Withdraw" not in item
    assert client.post(url, ACCEPT).status_code == 404


def test_a_post_without_an_answer_makes_no_one_a_caregiver(patient: User) -> None:
    relationship, url = invite_caregiver(patient)

    response = logged_in_client(CaregiverFactory.create(username="sam")).post(url, {})

    assert response.status_code == 400
    assert "Choose Accept or Decline." in response.text
    relationship.refresh_from_db()
    assert relationship.is_pending


def test_a_provider_account_cannot_answer_a_caregiver_invitation(patient: User) -> None:
    relationship, url = invite_caregiver(patient, "jane.okafor@clinic.example")
    client = logged_in_client(make_provider())

    page = client.get(url)
    response = client.post(url, ACCEPT)

    assert page.status_code == response.status_code == 403
    assert "This invitation needs a patient or caregiver account" in response.text
    relationship.refresh_from_db()
    assert relationship.is_pending
    assert actions(patient) == [AuditAction.CAREGIVER_INVITED]


def test_a_caregiver_invitation_expires_for_account_holders_and_new_sign_ups_alike(
    patient: User, time_machine: TimeMachineFixture
) -> None:
    relationship, url = invite_caregiver(patient)

    time_machine.move_to(NOW + timedelta(days=14), tick=False)
    sam = CaregiverFactory.create(username="sam")
    accepted = logged_in_client(sam).post(url, ACCEPT)
    signed_up = Client().post(
        url,
        {
            "username": "sam2",
            "email": "sam@example.org",
            "password1": "a long and private phrase 42",
            "password2": "a long and private phrase 42",
            "display_name": "Sam",
            "time_zone": "Europe/London",
        },
    )

    for response in (accepted, signed_up):
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
    assert not User.objects.filter(username="sam2").exists()
    relationship.refresh_from_db()
    assert relationship.caregiver is None
    page = logged_in_client(patient).get("/journal/sharing/").text
    item = page.split("sam@example.org")[1].split("</li>")[0]
    assert '<span class="tag">Expired</span>' in item
    assert "expired 17 Nov 2026, 09:00" in item


def test_withdrawing_a_caregiver_invitation_is_audited_as_a_withdrawal(
    patient: User, patient_client: Client
) -> None:
    relationship, url = invite_caregiver(patient)

    response = patient_client.post(
        f"/journal/sharing/caregivers/{relationship.pk}/end/", follow=True
    )

    assert "The invitation to sam@example.org is withdrawn." in response.text
    assert actions(patient) == [AuditAction.CAREGIVER_INVITED, AuditAction.CAREGIVER_WITHDRAWN]
    event = AuditEvent.objects.get(action=AuditAction.CAREGIVER_WITHDRAWN)
    assert (event.target, event.outcome) == ("invitation to sam@example.org", AuditOutcome.ALLOWED)
    assert "Withdrew a caregiver&#x27;s invitation" in patient_client.get("/journal/audit/").text
    assert logged_in_client(CaregiverFactory.create()).post(url, ACCEPT).status_code == 404


def test_an_invitation_that_was_declined_or_expired_does_not_stop_a_new_one(
    patient: User, time_machine: TimeMachineFixture
) -> None:
    _, url = invite_caregiver(patient, "sam@example.org")
    logged_in_client(CaregiverFactory.create(username="sam")).post(url, DECLINE)
    invite_caregiver(patient, "kim@example.org")
    time_machine.move_to(NOW + timedelta(days=15), tick=False)
    patient_client = logged_in_client(patient)

    for email in ("sam@example.org", "kim@example.org"):
        response = patient_client.post("/journal/sharing/caregivers/", {"email": email})

        assert response.status_code == 302, email
    assert CareRelationship.objects.filter(patient=patient).count() == 4


def test_someone_invited_by_two_patients_answers_each_on_its_own(patient: User) -> None:
    _, pats_url = invite_caregiver(patient)
    _, sues_url = invite_caregiver(PatientFactory.create(username="sue"))
    client = logged_in_client(CaregiverFactory.create(username="sam"))

    client.post(pats_url, DECLINE)
    client.post(sues_url, ACCEPT)

    care_page = client.get("/care/").text
    assert care_page.count("Open journal") == 1
    assert "sue" in care_page
