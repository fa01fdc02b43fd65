"""From "new report" to a downloaded PDF, on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from reports.models import Report
from reports.services import report_build
from tests.support.browser import PHONE
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_patient_builds_a_report_and_downloads_the_pdf(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="ria")
    course = CourseFactory.create(patient=patient)
    for days_ago in (2, 5, 9):
        dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=days_ago))
        EntryFactory.create(
            patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=40)
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ria")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Reports").click()
    page.get_by_role("button", name="Build the report").click()

    expect(page.get_by_role("heading", name="Download")).to_be_visible(timeout=30_000)
    expect(page.locator("main")).to_contain_text("Dizziness")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sidelog-report-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_report_page_follows_the_build_without_the_user_doing_anything(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="ola")
    EntryFactory.create(patient=patient)
    report = Report.objects.create(
        patient=patient,
        period_start=timezone.localdate() - timedelta(days=6),
        period_end=timezone.localdate(),
        status=Report.Status.BUILDING,
        progress=10,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ola")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/journal/reports/{report.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "10")

    Report.objects.filter(pk=report.pk).update(progress=60)
    expect(page.locator("progress")).to_have_attribute("value", "60", timeout=8_000)

    report_build(report_id=report.pk)
    expect(page.get_by_role("heading", name="Download")).to_be_visible(timeout=8_000)


def test_the_chart_fills_a_phones_width(page: Page, live_server: LiveServer) -> None:
    patient = PatientFactory.create(username="ana")
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=3))
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=40))
    report = Report.objects.create(
        patient=patient,
        period_start=timezone.localdate() - timedelta(days=29),
        period_end=timezone.localdate(),
    )
    report_build(report_id=report.pk)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/journal/reports/{report.pk}/")
    chart = page.locator("figure.chart img")
    expect(chart).to_be_visible()
    # Drawn for a phone's width (reports/chart.py); any narrower and its text is too small.
    heading, box = page.locator("main h1").bounding_box(), chart.bounding_box()
    assert heading is not None and box is not None
    assert box["width"] >= heading["width"] - 4, (box["width"], heading["width"])
    assert box["x"] + box["width"] <= PHONE["width"]
