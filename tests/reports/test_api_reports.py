from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from reports.models import Report
from tests.support.clients import api_client_for
from tests.support.factories import CourseFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def builds_run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run in a transaction that never commits: run each enqueued build at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda callback, *a, **k: callback())


def period(**changes: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "period_start": str(today - timedelta(days=29)),
        "period_end": str(today),
    }
    data.update(changes)
    return data


def test_asking_for_a_report_answers_202_with_its_id_and_status(patient: User) -> None:
    EntryFactory.create(patient=patient)

    response = api_client_for(patient).post("/api/v1/reports/", period(), format="json")

    assert response.status_code == 202
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert body["status"] in {"queued", "building", "ready"}
    assert report.patient == patient


def test_a_ready_report_links_its_downloads(patient: User) -> None:
    EntryFactory.create(patient=patient)
    client = api_client_for(patient)
    report_id = client.post("/api/v1/reports/", period(), format="json").json()["id"]

    body = client.get(f"/api/v1/reports/{report_id}/").json()

    assert body["status"] == "ready"
    assert body["progress"] == 100
    assert body["downloads"]["pdf"] == f"/api/v1/reports/{report_id}/pdf"
    pdf = client.get(body["downloads"]["pdf"])
    assert pdf.status_code == 200
    assert pdf.getvalue().startswith(b"%PDF-")
    assert client.get(body["downloads"]["fhir"])["Content-Type"] == "application/fhir+json"
    assert client.get(body["downloads"]["csv"])["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": "2020-01-01"}, "period_end"),
        ({"period_start": "yesterday"}, "period_start"),
        ({"paper_size": "A3"}, "paper_size"),
        ({"courses": [999999]}, "courses"),
        ({"courses": "all"}, "courses"),
        # A mistyped year: the comparison with the period before reached below year 1 (500).
        ({"period_start": "0001-01-01", "period_end": "0001-12-31"}, "period_start"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_written(
    patient: User, changes: dict[str, object], field: str
) -> None:
    response = api_client_for(patient).post("/api/v1/reports/", period(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Report.objects.count() == 0


def test_another_patients_course_is_not_found(patient: User, other_patient: User) -> None:
    theirs = CourseFactory.create(patient=other_patient)

    response = api_client_for(patient).post(
        "/api/v1/reports/", period(courses=[theirs.pk]), format="json"
    )

    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_another_patient_gets_404_and_anonymous_gets_nothing(
    patient: User, other_patient: User
) -> None:
    report_id = (
        api_client_for(patient).post("/api/v1/reports/", period(), format="json").json()["id"]
    )

    for url in [f"/api/v1/reports/{report_id}/", f"/api/v1/reports/{report_id}/pdf"]:
        assert api_client_for(other_patient).get(url).status_code == 404
        assert APIClient().get(url).status_code in {401, 403}
    assert api_client_for(other_patient).get("/api/v1/reports/").json()["results"] == []


def test_the_schema_describes_the_report_endpoints(client: APIClient) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    assert "202" in paths["/api/v1/reports/"]["post"]["responses"]
    assert "/api/v1/reports/{id}/" in paths
    downloads = paths["/api/v1/reports/{id}/{kind}"]["get"]
    kinds = next(p for p in downloads["parameters"] if p["name"] == "kind")
    assert set(kinds["schema"]["enum"]) == {"pdf", "csv", "fhir"}
