"""The provider API: shared reports with a token, the same rules and audit as the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import yaml
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Profile
from accounts.selectors import is_provider
from audit.models import AuditAction, AuditEvent, AuditOutcome
from reports.models import Report
from sharing import services
from sharing.models import CareRelationship, ProviderGrant, token_hash
from tests.support.clients import token_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    ProfileFactory,
    RedFlagFactory,
    SideEffectFactory,
    UserFactory,
)
from tests.support.providers import make_provider, share
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/provider/reports/"
NOTHING_SHARED = "There is nothing shared here."


def allowed_reads() -> list[AuditEvent]:
    reads = [AuditAction.REPORT_VIEWED, AuditAction.REPORT_DOWNLOADED]
    return list(
        AuditEvent.objects.filter(action__in=reads, outcome=AuditOutcome.ALLOWED).order_by("pk")
    )


@pytest.fixture
def provider(db: None) -> User:
    return make_provider()


@pytest.fixture
def report(patient: User) -> Report:
    """Pat's report of the last two weeks: a dose, a dizzy spell, and a red-flag rash."""
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=2))
    EntryFactory.create(
        patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=30), severity=2
    )
    rash = RedFlagFactory.create(side_effect=SideEffectFactory.create(name="Rash")).side_effect
    EntryFactory.create(patient=patient, side_effect=rash, severity=3)
    return ready_report(patient, days=14)


@pytest.fixture
def grant(patient: User, provider: User, report: Report) -> ProviderGrant:
    return share(patient, provider)


def test_the_list_shows_the_reports_shared_with_the_provider(
    grant: ProviderGrant, report: Report, provider: User, other_patient: User
) -> None:
    ready_report(other_patient)  # not shared

    response = token_client(provider).get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == report.pk
    assert row["patient"] == "pat"
    assert row["period_start"] == str(report.period_start)
    assert row["period_end"] == str(report.period_end)
    assert row["finished_at"]
    assert row["downloads"] == {
        kind: f"/api/v1/provider/reports/{report.pk}/{kind}" for kind in ("pdf", "csv", "fhir")
    }
    assert allowed_reads() == []  # a list of periods is not a read of the report


def test_a_chosen_reports_grant_lists_only_those(patient: User, provider: User) -> None:
    chosen, other = ready_report(patient), ready_report(patient, days_ago=20)
    share(patient, provider, reports=[chosen])
    client = token_client(provider)

    assert [row["id"] for row in client.get(LIST_URL).json()["results"]] == [chosen.pk]
    assert client.get(f"{LIST_URL}{other.pk}/").status_code == 404
    assert client.get(f"{LIST_URL}{other.pk}/pdf").status_code == 404


def test_the_detail_gives_the_stored_summary_and_is_audited(
    grant: ProviderGrant, report: Report, provider: User
) -> None:
    response = token_client(provider).get(f"{LIST_URL}{report.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["patient"] == "pat"
    assert {s["symptom"] for s in body["symptoms"]} >= {"Dizziness"}
    dizziness = next(s for s in body["symptoms"] if s["symptom"] == "Dizziness")
    assert dizziness["episodes"] == 1
    assert dizziness["median_minutes_from_dose"] == 30
    assert [event["severity"] for event in body["red_flag_events"]] == [3]
    assert body["red_flag_events"][0]["red_flag"]
    assert body["courses"][0]["regimen"] == "56 mg twice a week in clinic"
    assert "no dosing advice" in body["footer"]
    [event] = allowed_reads()
    assert (event.action, event.actor_label) == (
        AuditAction.REPORT_VIEWED,
        "Dr Jane Okafor (provider)",
    )
    assert event.patient_key == report.patient_id
    assert event.target.endswith(", summary via the API")


def test_the_files_download_and_each_download_is_audited(
    grant: ProviderGrant, report: Report, provider: User
) -> None:
    client = token_client(provider)

    pdf = client.get(f"{LIST_URL}{report.pk}/pdf")
    csv = client.get(f"{LIST_URL}{report.pk}/csv")
    fhir = client.get(f"{LIST_URL}{report.pk}/fhir")

    assert pdf.status_code == 200
    assert pdf.getvalue().startswith(b"%PDF-")
    assert "Dizziness" in csv.getvalue().decode("utf-8-sig")
    assert json.loads(fhir.getvalue())["resourceType"] == "Bundle"
    assert [(e.action, e.target.rsplit(", ", 1)[1]) for e in allowed_reads()] == [
        (AuditAction.REPORT_DOWNLOADED, "pdf"),
        (AuditAction.REPORT_DOWNLOADED, "csv"),
        (AuditAction.REPORT_DOWNLOADED, "fhir"),
    ]


def test_revocation_takes_effect_on_the_next_call(
    grant: ProviderGrant, report: Report, provider: User
) -> None:
    client = token_client(provider)
    assert client.get(f"{LIST_URL}{report.pk}/").status_code == 200

    services.provider_grant_revoke(grant=grant)

    assert client.get(LIST_URL).json()["count"] == 0
    detail = client.get(f"{LIST_URL}{report.pk}/")
    assert (detail.status_code, detail.json()) == (404, {"detail": NOTHING_SHARED})
    assert client.get(f"{LIST_URL}{report.pk}/pdf").status_code == 404
    assert len(allowed_reads()) == 1


def others(patient: User, content_editor: User) -> dict[str, User]:
    caregiver = UserFactory.create(username="carol")
    ProfileFactory.create(user=caregiver, role=Profile.Role.CAREGIVER)
    CareRelationship.objects.create(
        patient=patient,
        caregiver_email=caregiver.email,
        caregiver=caregiver,
        invitation_hash=token_hash("care"),
        accepted_at=timezone.now(),
    )
    former = make_provider("former", "Dr Former")
    services.provider_grant_revoke(grant=share(patient, former))
    return {
        "the patient": patient,
        "another patient": PatientFactory.create(username="olga"),
        "a caregiver": caregiver,
        "another provider": make_provider("house", "Dr Gregory House"),
        "a provider whose grant was revoked": former,
        "a content editor": content_editor,
    }


def test_everyone_else_gets_404_and_nothing_is_audited(
    grant: ProviderGrant, report: Report, patient: User, content_editor: User
) -> None:
    for who, user in others(patient, content_editor).items():
        client = token_client(user)
        for url in (f"{LIST_URL}{report.pk}/", f"{LIST_URL}{report.pk}/pdf"):
            response = client.get(url)

            assert response.status_code == 404, (who, url)
            assert response.json() == {"detail": NOTHING_SHARED}
        listing = client.get(LIST_URL)
        if is_provider(user):
            assert listing.json()["count"] == 0, who
        else:
            assert listing.status_code == 404, who
    assert allowed_reads() == []


def test_someone_without_credentials_is_refused(grant: ProviderGrant, report: Report) -> None:
    client = APIClient()

    for url in (LIST_URL, f"{LIST_URL}{report.pk}/", f"{LIST_URL}{report.pk}/pdf"):
        assert client.get(url).status_code in {401, 403}
    assert allowed_reads() == []


def test_a_provider_session_works_as_well_as_a_token(
    grant: ProviderGrant, report: Report, provider: User
) -> None:
    client = APIClient()
    client.force_login(provider)

    assert client.get(f"{LIST_URL}{report.pk}/").status_code == 200


def test_the_schema_documents_the_provider_endpoints(client: APIClient) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)

    paths = schema["paths"]
    assert "get" in paths["/api/v1/provider/reports/"]
    assert "get" in paths["/api/v1/provider/reports/{id}/"]
    assert "get" in paths["/api/v1/provider/reports/{id}/{kind}"]
    operation_ids = [
        operation["operationId"] for path in paths.values() for operation in path.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    detail = schema["components"]["schemas"]["SharedReportDetail"]["properties"]
    assert {"symptoms", "red_flag_events", "courses", "status"} <= set(detail)
