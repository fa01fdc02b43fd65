"""A patient gives a provider access on the Sharing page, and takes it back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from accounts.access import ACTING_FOR
from audit.models import AuditAction, AuditEvent
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, token_hash
from tests.support.clients import logged_in_client
from tests.support.factories import PatientFactory
from tests.support.providers import make_provider, share
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

CREATE_URL = "/journal/sharing/providers/"


def grant_data(**overrides: Any) -> dict[str, Any]:
    return {"provider_email": "okafor@clinic.example", "scope": "all", **overrides}


def test_the_sharing_page_offers_the_patients_ready_reports_to_share(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)
    Report.objects.create(
        patient=patient, period_start=report.period_start, period_end=report.period_end
    )  # still queued: not offered

    html = patient_client.get("/journal/sharing/").text

    assert 'action="/journal/sharing/providers/"' in html
    assert html.count('name="reports"') == 1
    assert f'value="{report.pk}"' in html
    assert "You haven't shared with a provider yet." in html


def test_sharing_everything_invites_the_provider_and_is_audited(
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(CREATE_URL, grant_data(), follow=True)

    grant = ProviderGrant.objects.get()
    assert response.redirect_chain == [("/journal/sharing/#providers", 302)]
    assert "We emailed an invitation to okafor@clinic.example." in response.text
    assert (grant.patient, grant.all_reports, grant.provider) == (patient, True, None)
    assert mail.outbox[0].to == ["okafor@clinic.example"]
    assert "/accounts/provider/invite/" in mail.outbox[0].body
    event = AuditEvent.objects.get(action=AuditAction.GRANT_CREATED)
    assert event.patient_key == patient.pk
    assert "Invited: waiting for them to accept, until" in response.text
    assert "All your reports, including new ones" in response.text


def test_a_provider_with_an_account_still_gets_access_only_through_the_emailed_link(
    patient: User, patient_client: Client
) -> None:
    make_provider()

    response = patient_client.post(CREATE_URL, grant_data(), follow=True)

    assert ProviderGrant.objects.get().provider is None
    assert "We emailed an invitation to okafor@clinic.example." in response.text


def test_sharing_chosen_reports_shares_only_those(patient: User, patient_client: Client) -> None:
    chosen, _not_chosen = ready_report(patient), ready_report(patient, days_ago=20)

    patient_client.post(CREATE_URL, grant_data(scope="chosen", reports=[chosen.pk]))

    grant = ProviderGrant.objects.get()
    assert grant.all_reports is False
    assert list(grant.reports.all()) == [chosen]
    page = patient_client.get("/journal/sharing/").text
    assert "1 report:" in page
    assert f"{chosen.period_start:%-d %b %Y} – {chosen.period_end:%-d %b %Y}" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"provider_email": ""}, "Enter your provider&#x27;s email address."),
        ({"provider_email": "not-an-address"}, "Enter an email address"),
        ({"provider_email": "PAT@example.org"}, "not your own"),
        ({"scope": ""}, "Choose what to share."),
        ({"scope": "chosen"}, "Tick the reports to share, or share all of them."),
        ({"scope": "everything"}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_the_problem_and_shares_nothing(
    patient: User, patient_client: Client, changes: dict[str, str], message: str
) -> None:
    response = patient_client.post(CREATE_URL, grant_data(**changes))

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not ProviderGrant.objects.exists()
    assert not mail.outbox
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT_CREATED).exists()


def test_what_was_typed_is_kept_when_the_form_comes_back(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)

    response = patient_client.post(
        CREATE_URL, grant_data(provider_email="", scope="chosen", reports=[report.pk])
    )

    html = response.text
    assert 'id="grant-scope-chosen" checked' in html
    assert f'id="grant-report-{report.pk}" checked' in html


def test_another_patients_report_cannot_be_shared(
    patient: User, patient_client: Client, other_patient: User
) -> None:
    theirs = ready_report(other_patient)

    response = patient_client.post(CREATE_URL, grant_data(scope="chosen", reports=[theirs.pk]))

    assert response.status_code == 200
    assert "Choose from your own ready reports." in response.text
    assert not ProviderGrant.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "caregiver", "provider", "content editor"])
def test_only_the_patient_can_share(patient: User, content_editor: User, who: str) -> None:
    caregiver = PatientFactory.create(username="carol")
    CareRelationship.objects.create(
        patient=patient,
        caregiver_email=caregiver.email,
        caregiver=caregiver,
        invitation_hash=token_hash("care"),
        accepted_at=timezone.now(),
    )
    clients = {
        "anonymous": Client(),
        "caregiver": logged_in_client(caregiver),
        "provider": logged_in_client(make_provider("someone", "someone@clinic.example")),
        "content editor": logged_in_client(content_editor),
    }
    client = clients[who]
    if who == "caregiver":
        session = client.session
        session[ACTING_FOR] = patient.pk
        session.save()

    response = client.post(CREATE_URL, grant_data())

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404
    assert not ProviderGrant.objects.exists()
    assert not mail.outbox


def test_the_form_only_answers_posts(patient_client: Client) -> None:
    assert patient_client.get(CREATE_URL).status_code == 405


def revoke_url(grant: ProviderGrant) -> str:
    return f"/journal/sharing/providers/{grant.pk}/revoke/"


def test_revoking_ends_the_access_and_is_audited(patient: User, patient_client: Client) -> None:
    grant = share(patient, make_provider())

    response = patient_client.post(revoke_url(grant), follow=True)

    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert "okafor@clinic.example can no longer see your reports." in response.text
    assert "Revoked " in response.text
    assert f'action="{revoke_url(grant)}"' not in response.text
    assert AuditEvent.objects.filter(action=AuditAction.GRANT_REVOKED).count() == 1


def test_nobody_else_can_revoke_a_patients_grant(
    patient: User, patient_client: Client, other_patient_client: Client
) -> None:
    provider = make_provider()
    patient_client.post(CREATE_URL, grant_data())
    grant = ProviderGrant.objects.get()

    assert other_patient_client.post(revoke_url(grant)).status_code == 404
    assert logged_in_client(provider).post(revoke_url(grant)).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_the_sharing_page_lists_grants_without_a_query_per_grant(
    patient: User, patient_client: Client, django_assert_max_num_queries: Any
) -> None:
    reports = [ready_report(patient), ready_report(patient, days_ago=20)]
    patient_client.post(CREATE_URL, grant_data(scope="chosen", reports=[r.pk for r in reports]))
    patient_client.post(CREATE_URL, grant_data(provider_email="b@clinic.example"))
    patient_client.get("/journal/sharing/")  # warm up: sessions, content types
    with django_assert_max_num_queries(30) as two_grants:
        patient_client.get("/journal/sharing/")
    queries_for_two = len(two_grants.captured_queries)

    for index in range(5):
        patient_client.post(CREATE_URL, grant_data(provider_email=f"{index}@clinic.example"))
    with django_assert_max_num_queries(queries_for_two):
        patient_client.get("/journal/sharing/")
