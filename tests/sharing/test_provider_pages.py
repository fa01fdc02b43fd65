"""A provider's pages: exactly the reports shared with them, for as long as they are shared.

Everyone else gets a 404 (anonymous is sent to log in), and each read by the provider is
written to the patient's audit log.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts.access import ACTING_FOR
from accounts.models import Profile
from audit.models import AuditAction, AuditEvent, AuditOutcome
from reports.models import Report
from sharing import services
from sharing.models import CareRelationship, ProviderGrant, token_hash
from tests.support.clients import logged_in_client
from tests.support.factories import EntryFactory, PatientFactory, ProfileFactory, UserFactory
from tests.support.providers import make_provider, share
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

READS = [AuditAction.REPORT_VIEWED, AuditAction.REPORT_DOWNLOADED]


def allowed_reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=READS, outcome=AuditOutcome.ALLOWED))


@pytest.fixture
def provider(db: None) -> User:
    return make_provider()


@pytest.fixture
def provider_client(provider: User) -> Client:
    return logged_in_client(provider)


@pytest.fixture
def report(patient: User) -> Report:
    """Pat's report, with a dizzy spell yesterday, shared with Dr Okafor by an all-reports
    grant."""
    EntryFactory.create(patient=patient, onset_at=timezone.now() - timedelta(days=1))
    return ready_report(patient)


@pytest.fixture
def grant(patient: User, provider: User, report: Report) -> ProviderGrant:
    return share(patient, provider)


def test_an_all_reports_grant_shows_every_ready_report_including_later_ones(
    patient: User, provider: User, provider_client: Client
) -> None:
    first = ready_report(patient, days_ago=20)
    share(patient, provider)
    later = ready_report(patient)
    Report.objects.create(
        patient=patient, period_start=later.period_start, period_end=later.period_end
    )  # queued: nothing to read yet

    response = provider_client.get("/provider/")

    assert response.status_code == 200
    shown = response.context["patients"]
    assert [p.name for p in shown] == ["pat"]
    assert shown[0].reports == [later, first]
    assert f'href="/provider/reports/{later.pk}/"' in response.text
    assert f"{later.period_start:%-d %b %Y} – {later.period_end:%-d %b %Y}" in response.text
    assert "Finished " in response.text


def test_a_chosen_reports_grant_shows_only_those(
    patient: User, provider: User, provider_client: Client
) -> None:
    chosen, other = ready_report(patient), ready_report(patient, days_ago=20)
    share(patient, provider, reports=[chosen])

    home = provider_client.get("/provider/")

    assert home.context["patients"][0].reports == [chosen]
    assert provider_client.get(f"/provider/reports/{chosen.pk}/").status_code == 200
    assert provider_client.get(f"/provider/reports/{other.pk}/").status_code == 404
    assert provider_client.get(f"/provider/reports/{other.pk}/pdf/").status_code == 404


def test_another_patients_reports_stay_out_of_sight(
    grant: ProviderGrant, other_patient: User, provider_client: Client
) -> None:
    theirs = ready_report(other_patient)

    home = provider_client.get("/provider/")

    assert [p.name for p in home.context["patients"]] == ["pat"]
    assert provider_client.get(f"/provider/reports/{theirs.pk}/").status_code == 404


def test_patients_are_named_as_they_name_themselves(
    patient: User, provider: User, provider_client: Client
) -> None:
    patient.profile.display_name = "Patricia A."
    patient.profile.save()
    share(patient, provider)

    assert "Patricia A." in provider_client.get("/provider/").text


def test_a_provider_with_nothing_shared_sees_an_empty_page(provider_client: Client) -> None:
    response = provider_client.get("/provider/")

    assert response.status_code == 200
    assert "No patient is sharing reports with you at the moment." in response.text


def test_the_report_page_shows_the_summary_and_is_audited(
    grant: ProviderGrant, report: Report, provider: User, provider_client: Client
) -> None:
    response = provider_client.get(f"/provider/reports/{report.pk}/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.text
    assert "Dizziness" in html
    assert "contains no dosing advice" in html
    for kind in ("pdf", "csv", "fhir"):
        assert f'href="/provider/reports/{report.pk}/{kind}/"' in html
    [event] = allowed_reads()
    assert event.action == AuditAction.REPORT_VIEWED
    assert event.patient_key == report.patient_id
    assert event.actor_key == provider.pk
    assert event.actor_label == "Dr Jane Okafor (provider)"
    assert event.target == (
        f"report of {report.period_start:%d %b %Y} to {report.period_end:%d %b %Y}, summary page"
    )


def test_every_download_is_a_real_file_and_is_audited(
    grant: ProviderGrant, report: Report, provider_client: Client
) -> None:
    pdf = provider_client.get(f"/provider/reports/{report.pk}/pdf/")
    csv = provider_client.get(f"/provider/reports/{report.pk}/csv/")
    fhir = provider_client.get(f"/provider/reports/{report.pk}/fhir/")
    chart = provider_client.get(f"/provider/reports/{report.pk}/chart/")

    assert pdf.getvalue().startswith(b"%PDF-")
    assert pdf["Cache-Control"] == "no-store"
    assert "Dizziness" in csv.getvalue().decode("utf-8-sig")
    assert json.loads(fhir.getvalue())["resourceType"] == "Bundle"
    assert chart["Content-Type"] == "image/svg+xml"
    events = sorted(allowed_reads(), key=lambda event: event.pk)
    assert [(e.action, e.target.rsplit(", ", 1)[1]) for e in events] == [
        (AuditAction.REPORT_DOWNLOADED, "pdf"),
        (AuditAction.REPORT_DOWNLOADED, "csv"),
        (AuditAction.REPORT_DOWNLOADED, "fhir"),
        (AuditAction.REPORT_VIEWED, "chart"),
    ]
    assert {e.actor_label for e in events} == {"Dr Jane Okafor (provider)"}


def test_an_unknown_kind_of_file_is_404_and_not_audited(
    grant: ProviderGrant, report: Report, provider_client: Client
) -> None:
    assert provider_client.get(f"/provider/reports/{report.pk}/zip/").status_code == 404
    assert allowed_reads() == []


def test_after_revocation_the_very_next_request_is_404(
    grant: ProviderGrant, report: Report, patient_client: Client, provider_client: Client
) -> None:
    assert provider_client.get(f"/provider/reports/{report.pk}/").status_code == 200

    patient_client.post(f"/journal/sharing/providers/{grant.pk}/revoke/")

    assert provider_client.get(f"/provider/reports/{report.pk}/").status_code == 404
    assert provider_client.get(f"/provider/reports/{report.pk}/pdf/").status_code == 404
    home = provider_client.get("/provider/")
    assert home.context["patients"] == []
    assert len(allowed_reads()) == 1  # the read before the revocation


def test_a_new_grant_after_a_revoked_one_gives_access_again(
    grant: ProviderGrant, report: Report, patient: User, provider: User, provider_client: Client
) -> None:
    services.provider_grant_revoke(grant=grant)
    assert provider_client.get(f"/provider/reports/{report.pk}/").status_code == 404

    share(patient, provider, reports=[report])

    assert provider_client.get(f"/provider/reports/{report.pk}/").status_code == 200


def reader_client(who: str, patient: User, content_editor: User) -> Client:
    """Everyone but the provider the report was shared with."""
    if who == "anonymous":
        return Client()
    if who == "the patient":
        return logged_in_client(patient)
    if who == "another patient":
        return logged_in_client(PatientFactory.create(username="olga"))
    if who == "a caregiver":
        caregiver = UserFactory.create(username="carol")
        ProfileFactory.create(user=caregiver, role=Profile.Role.CAREGIVER)
        CareRelationship.objects.create(
            patient=patient,
            caregiver_email=caregiver.email,
            caregiver=caregiver,
            invitation_hash=token_hash("care"),
            accepted_at=timezone.now(),
        )
        client = logged_in_client(caregiver)
        session = client.session
        session[ACTING_FOR] = patient.pk  # keeping Pat's journal right now
        session.save()
        return client
    if who == "another provider":
        return logged_in_client(make_provider("house", "Dr Gregory House"))
    if who == "a provider whose grant was revoked":
        former = make_provider("former", "Dr Former")
        services.provider_grant_revoke(grant=share(patient, former))
        return logged_in_client(former)
    assert who == "a content editor"
    return logged_in_client(content_editor)


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "the patient",
        "another patient",
        "a caregiver",
        "another provider",
        "a provider whose grant was revoked",
        "a content editor",
    ],
)
def test_nobody_else_reaches_a_shared_report(
    grant: ProviderGrant, report: Report, patient: User, content_editor: User, who: str
) -> None:
    client = reader_client(who, patient, content_editor)
    urls = [
        f"/provider/reports/{report.pk}/",
        *(f"/provider/reports/{report.pk}/{kind}/" for kind in ("pdf", "csv", "fhir", "chart")),
    ]

    for url in urls:
        response = client.get(url)

        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        else:
            assert response.status_code == 404, url
    assert allowed_reads() == []


@pytest.mark.parametrize(
    "who", ["anonymous", "the patient", "a caregiver", "a content editor", "another patient"]
)
def test_the_provider_home_page_is_for_providers_only(
    grant: ProviderGrant, patient: User, content_editor: User, who: str
) -> None:
    response = reader_client(who, patient, content_editor).get("/provider/")

    assert response.status_code == (302 if who == "anonymous" else 404)


def test_the_home_page_costs_the_same_queries_for_one_patient_or_many(
    grant: ProviderGrant,
    provider: User,
    provider_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    provider_client.get("/provider/")  # warm up: sessions, content types
    with django_assert_max_num_queries(20) as one_patient:
        provider_client.get("/provider/")
    queries_for_one = len(one_patient.captured_queries)

    for name in ("ann", "bob", "cat"):
        other = PatientFactory.create(username=name)
        ready_report(other)
        share(other, provider)
    with django_assert_max_num_queries(queries_for_one):
        response = provider_client.get("/provider/")
    assert len(response.context["patients"]) == 4
