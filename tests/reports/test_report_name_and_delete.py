"""A patient names a report and deletes one: the name shows in lists and on the report; a
deleted report's files go, its share links stop working and a provider who was shown only
that report no longer sees the patient's reports."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent
from reference.safety import find_dosage_advice
from reports.content import report_content
from reports.models import Report
from reports.pdf import pdf_context
from sharing.models import ProviderGrant, ShareLink
from sharing.services import share_link_create
from tests.support.clients import logged_in_client
from tests.support.providers import make_provider, share
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def stored_files(report: Report) -> list[Path]:
    return [Path(field.path) for field in (report.pdf, report.csv, report.fhir, report.chart)]


# Naming


def test_a_named_report_shows_its_name_in_the_list_and_on_its_page(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)

    response = patient_client.post(
        f"/journal/reports/{report.pk}/name/", {"name": "Before the March review"}
    )
    listed = patient_client.get("/journal/reports/").text
    page = patient_client.get(f"/journal/reports/{report.pk}/").text

    assert response.status_code == 302
    assert '<span class="item-title">Before the March review</span>' in listed
    assert "<h1>Before the March review</h1>" in page
    assert "<title>Before the March review" in page
    assert f"Report of {report.period_start:%-d %b %Y}" in page


def test_an_empty_name_goes_back_to_the_period(patient: User, patient_client: Client) -> None:
    report = ready_report(patient)
    Report.objects.filter(pk=report.pk).update(name="March")

    patient_client.post(f"/journal/reports/{report.pk}/name/", {"name": "  "})
    page = patient_client.get(f"/journal/reports/{report.pk}/").text

    assert Report.objects.get(pk=report.pk).name == ""
    assert f"<h1>Report: {report.period_start:%-d %b %Y}" in page


def test_too_long_a_name_is_refused_in_the_error_summary(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)

    response = patient_client.post(f"/journal/reports/{report.pk}/name/", {"name": "x" * 121})

    assert response.status_code == 400
    assert 'href="#id_name"' in response.text
    assert "Enter at most 120 characters." in response.text
    assert Report.objects.get(pk=report.pk).name == ""


def test_a_name_given_when_asking_is_the_pdfs_title(patient: User, patient_client: Client) -> None:
    today = timezone.localdate()
    patient_client.post(
        "/journal/reports/",
        {
            "name": "For Dr Okafor",
            "period_start": str(today - timedelta(days=6)),
            "period_end": str(today),
            "paper_size": "A4",
        },
    )
    report = Report.objects.get(patient=patient)

    context = pdf_context(report_content(report=report), chart_svg="", page_size="A4")

    assert report.name == "For Dr Okafor"
    assert context["report_name"] == "For Dr Okafor"


def test_the_api_names_a_report(api: APIClient, patient: User) -> None:
    report = ready_report(patient)

    named = api.patch(f"/api/v1/reports/{report.pk}/", {"name": "Spring"}, format="json")
    too_long = api.patch(f"/api/v1/reports/{report.pk}/", {"name": "x" * 121}, format="json")
    shown = api.get(f"/api/v1/reports/{report.pk}/").json()

    assert named.status_code == 200
    assert named.json()["name"] == "Spring"
    assert too_long.status_code == 400
    assert too_long.json() == {"name": ["Enter at most 120 characters."]}
    assert shown["name"] == "Spring"


def test_another_patients_report_cant_be_named_or_deleted(
    patient: User, other_patient_client: Client
) -> None:
    report = ready_report(patient)

    named = other_patient_client.post(f"/journal/reports/{report.pk}/name/", {"name": "Mine"})
    asked = other_patient_client.get(f"/journal/reports/{report.pk}/delete/")
    deleted = other_patient_client.post(f"/journal/reports/{report.pk}/delete/")

    assert (named.status_code, asked.status_code, deleted.status_code) == (404, 404, 404)
    assert Report.objects.get(pk=report.pk).name == ""


# Deleting


def test_deleting_asks_first_then_removes_the_report_and_its_files(
    patient: User, patient_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report = ready_report(patient)
    files = stored_files(report)
    assert all(path.exists() for path in files)

    asked = patient_client.get(f"/journal/reports/{report.pk}/delete/")
    assert Report.objects.filter(pk=report.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(f"/journal/reports/{report.pk}/delete/", follow=True)

    assert "Delete this report?" in asked.text
    assert 'method="post"' in asked.text
    assert response.redirect_chain[-1][0] == "/journal/reports/"
    assert "deleted." in response.text
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not any(path.exists() for path in files)
    assert patient_client.get(f"/journal/reports/{report.pk}/").status_code == 404


def test_deleting_a_shared_report_ends_its_links_and_the_access_it_alone_gave(
    patient: User, patient_client: Client
) -> None:
    report = ready_report(patient)
    kept = ready_report(patient, days_ago=40)
    link = share_link_create(report=report, recipient="Dr Okafor", created_by=patient)
    okafor = make_provider("okafor")
    only_this = share(patient, okafor, reports=[report])
    this_and_more = share(patient, make_provider("lee"), reports=[report, kept])
    everything = share(patient, make_provider("ng"), reports=None)
    assert Client().get(f"/s/{link.token}/").status_code == 200

    patient_client.post(f"/journal/reports/{report.pk}/delete/")

    assert Client().get(f"/s/{link.token}/").status_code == 404
    assert not ShareLink.objects.filter(pk=link.link.pk).exists()
    grants = {grant.pk: grant for grant in ProviderGrant.objects.all()}
    assert grants[only_this.pk].revoked_at is not None
    assert grants[this_and_more.pk].revoked_at is None
    assert list(grants[this_and_more.pk].reports.all()) == [kept]
    assert grants[everything.pk].revoked_at is None
    as_okafor = logged_in_client(okafor)
    assert as_okafor.get(f"/provider/reports/{report.pk}/").status_code == 404
    assert as_okafor.get(f"/provider/reports/{kept.pk}/").status_code == 404
    actions = list(
        AuditEvent.objects.filter(patient_key=patient.pk).values_list("action", "target")
    )
    assert (AuditAction.SHARE_REVOKED, f"{report.period_label}, link for Dr Okafor") in actions
    assert (AuditAction.GRANT_REVOKED, "access for okafor@clinic.example") in actions


def test_a_caregiver_can_name_a_report_but_not_delete_it(patient: User, caregiver: User) -> None:
    report = ready_report(patient)
    client = logged_in_client(caregiver)
    client.post(f"/care/switch/{patient.pk}/")

    named = client.post(f"/journal/reports/{report.pk}/name/", {"name": "For the clinic"})
    asked = client.get(f"/journal/reports/{report.pk}/delete/")
    deleted = client.post(f"/journal/reports/{report.pk}/delete/")

    assert named.status_code == 302
    assert Report.objects.get(pk=report.pk).name == "For the clinic"
    assert (asked.status_code, deleted.status_code) == (404, 404)
    targets = AuditEvent.objects.filter(
        patient_key=patient.pk, action=AuditAction.CAREGIVER_ACTED, actor_key=caregiver.pk
    ).values_list("target", flat=True)
    assert "renamed a report" in targets


def test_the_api_deletes_a_report(api: APIClient, patient: User, other_patient: User) -> None:
    report = ready_report(patient)
    theirs = ready_report(other_patient)

    response = api.delete(f"/api/v1/reports/{report.pk}/")
    again = api.delete(f"/api/v1/reports/{report.pk}/")
    not_mine = api.delete(f"/api/v1/reports/{theirs.pk}/")

    assert response.status_code == 204
    assert again.status_code == 404
    assert not_mine.status_code == 404
    assert Report.objects.filter(pk=theirs.pk).exists()


def test_a_deleted_report_still_counts_towards_the_hourly_limit(
    api: APIClient, patient: User, settings: object
) -> None:
    settings.REPORTS_PER_HOUR = 1  # type: ignore[attr-defined]
    report = ready_report(patient)
    api.delete(f"/api/v1/reports/{report.pk}/")

    today = timezone.localdate()
    response = api.post(
        "/api/v1/reports/",
        {"period_start": str(today - timedelta(days=6)), "period_end": str(today)},
        format="json",
    )

    assert response.status_code == 429
    assert "1 reports in the last hour" in response.json()["detail"]


def test_the_new_words_are_not_dosing_advice(patient: User, patient_client: Client) -> None:
    report = ready_report(patient)

    page = patient_client.get(f"/journal/reports/{report.pk}/delete/").text
    body = page[page.index("<h1>") : page.index("</form>")]

    assert find_dosage_advice(body) == []
