"""The share-links API: a patient makes, lists and revokes links to their own ready reports."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent
from reports.models import Report
from sharing.models import ShareLink
from sharing.services import NewShareLink, share_link_create
from tests.support.clients import api_client_for, visitor
from tests.support.reports import dizzy_after_a_dose, ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(patient: User) -> Report:
    dizzy_after_a_dose(patient)
    return ready_report(patient)


@pytest.fixture
def new_link(patient: User, report: Report) -> NewShareLink:
    return share_link_create(report=report, recipient="Dr Okafor", created_by=patient)


def test_a_patient_makes_a_link_and_gets_its_url_once(patient: User, report: Report) -> None:
    response = api_client_for(patient).post(
        f"/api/v1/reports/{report.pk}/shares/", {"recipient": "Dr Okafor"}, format="json"
    )

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"id", "recipient", "expires_at", "url", "access_code"}
    assert body["recipient"] == "Dr Okafor"
    assert body["access_code"] is None
    assert body["url"].startswith("http")
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get(pk=body["id"])
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert abs(link.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    assert AuditEvent.objects.filter(action=AuditAction.SHARE_CREATED).count() == 1
    assert "Dizziness" in visitor().get(f"/s/{token}/").text


def test_a_link_may_last_a_chosen_number_of_days_and_ask_for_a_code(
    patient: User, report: Report
) -> None:
    body = (
        api_client_for(patient)
        .post(
            f"/api/v1/reports/{report.pk}/shares/",
            {"recipient": "Dr Okafor", "days": 90, "access_code": True},
            format="json",
        )
        .json()
    )

    link = ShareLink.objects.get(pk=body["id"])
    assert len(body["access_code"]) == 6 and body["access_code"].isdigit()
    assert link.needs_access_code
    assert body["access_code"] not in link.access_code_hash
    assert abs(link.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "recipient"),
        ({"recipient": ""}, "recipient"),
        ({"recipient": "   "}, "recipient"),
        ({"recipient": "x" * 201}, "recipient"),
        ({"recipient": "Dr Okafor", "days": 0}, "days"),
        ({"recipient": "Dr Okafor", "days": 91}, "days"),
        ({"recipient": "Dr Okafor", "days": "a fortnight"}, "days"),
        ({"recipient": "Dr Okafor", "access_code": "perhaps"}, "access_code"),
    ],
)
def test_bad_input_gets_400_with_field_errors_and_writes_nothing(
    patient: User, report: Report, data: dict[str, object], field: str
) -> None:
    response = api_client_for(patient).post(
        f"/api/v1/reports/{report.pk}/shares/", data, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE_CREATED).exists()


def test_a_report_that_is_not_ready_gets_400(patient: User) -> None:
    today = timezone.localdate()
    queued = Report.objects.create(
        patient=patient, requested_by=patient, period_start=today, period_end=today
    )

    response = api_client_for(patient).post(
        f"/api/v1/reports/{queued.pk}/shares/", {"recipient": "Dr Okafor"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"report": ["Only a ready report can be shared."]}
    assert not ShareLink.objects.exists()


def test_listing_shows_each_link_without_its_token(
    patient: User, report: Report, new_link: NewShareLink
) -> None:
    response = api_client_for(patient).get(f"/api/v1/reports/{report.pk}/shares/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == new_link.link.pk
    assert row["recipient"] == "Dr Okafor"
    assert row["status"] == "active"
    assert row["needs_access_code"] is False
    assert new_link.token not in response.content.decode()
    assert "url" not in row and "token_hash" not in row


def test_revoking_a_link_answers_204_and_the_link_stops_working(
    patient: User, new_link: NewShareLink
) -> None:
    client = api_client_for(patient)

    response = client.delete(f"/api/v1/shares/{new_link.link.pk}/")
    again = client.delete(f"/api/v1/shares/{new_link.link.pk}/")

    assert response.status_code == again.status_code == 204
    new_link.link.refresh_from_db()
    assert new_link.link.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.SHARE_REVOKED).count() == 1
    assert client.get(f"/api/v1/shares/{new_link.link.pk}/").json()["status"] == "revoked"
    assert visitor().get(f"/s/{new_link.token}/").status_code == 410


@pytest.mark.parametrize(
    "someone", ["other_patient", "caregiver", "provider", "content_editor", "former_provider"]
)
def test_no_one_else_reaches_the_patients_links(
    request: pytest.FixtureRequest, someone: str, report: Report, new_link: NewShareLink
) -> None:
    client = api_client_for(request.getfixturevalue(someone))

    made = client.post(
        f"/api/v1/reports/{report.pk}/shares/", {"recipient": "Mallory"}, format="json"
    )
    listed = client.get(f"/api/v1/reports/{report.pk}/shares/")
    read = client.get(f"/api/v1/shares/{new_link.link.pk}/")
    revoked = client.delete(f"/api/v1/shares/{new_link.link.pk}/")

    assert [made.status_code, listed.status_code, read.status_code, revoked.status_code] == [
        404
    ] * 4
    assert ShareLink.objects.count() == 1
    new_link.link.refresh_from_db()
    assert new_link.link.revoked_at is None


def test_someone_not_logged_in_is_refused(report: Report, new_link: NewShareLink) -> None:
    client = APIClient()

    made = client.post(f"/api/v1/reports/{report.pk}/shares/", {"recipient": "X"}, format="json")
    revoked = client.delete(f"/api/v1/shares/{new_link.link.pk}/")

    assert made.status_code in {401, 403}
    assert revoked.status_code in {401, 403}
    assert ShareLink.objects.count() == 1


def test_the_schema_describes_the_share_endpoints(client: Client) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    shares = paths["/api/v1/reports/{id}/shares/"]
    assert set(shares["post"]["responses"]) >= {"201", "400", "404"}
    assert "200" in shares["get"]["responses"]
    assert "204" in paths["/api/v1/shares/{id}/"]["delete"]["responses"]
