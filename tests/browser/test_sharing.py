"""A patient shares a report through a link; a provider opens it in a browser of their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from audit.models import AuditAction, AuditEvent
from reports.models import Report
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
)
from tests.support.reports import ready_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def report(live_server: LiveServer, settings: Settings) -> Report:
    """Ria's ready report of the last 30 days; links point at the live server."""
    settings.SITE_URL = live_server.url
    patient: User = PatientFactory.create(username="ria")
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=2))
    EntryFactory.create(patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=40))
    return ready_report(patient)


def log_in_and_open(page: Page, live_server: LiveServer, report: Report) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ria")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/journal/reports/{report.pk}/")


def test_a_patient_shares_a_report_and_then_revokes_the_link(
    page: Page, browser: Browser, live_server: LiveServer, report: Report
) -> None:
    log_in_and_open(page, live_server, report)
    page.get_by_label("Who is it for?").fill("Dr Okafor")
    page.get_by_role("button", name="Make a link").click()

    expect(page.get_by_role("heading", name="it won't be shown again")).to_be_visible()
    url = page.get_by_label("Link to the report").input_value()
    assert url.startswith(f"{live_server.url}/s/")

    provider = browser.new_context()
    shared = provider.new_page()
    shared.goto(url)
    expect(shared.get_by_role("heading", name="Side-effect report")).to_be_visible()
    expect(shared.locator("main")).to_contain_text("Shared with Dr Okafor")
    expect(shared.locator("main")).to_contain_text("Dizziness")
    expect(shared.get_by_role("img", name="Severity of each symptom")).to_have_js_property(
        "complete", True
    )
    assert shared.get_by_role("img", name="Severity of each symptom").evaluate(
        "image => image.naturalWidth"
    )
    with shared.expect_download() as download_info:
        shared.get_by_role("link", name="PDF").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert shared.locator("a[href*='/journal/']").count() == 0

    page.get_by_role("link", name="Back to the report").click()
    page.get_by_role("button", name="Revoke the link for Dr Okafor").click()
    expect(page.locator("main")).to_contain_text("The link for Dr Okafor is revoked")

    shared.reload()
    revoked = shared.get_by_role("heading", name="This link was revoked by the patient")
    expect(revoked).to_be_visible()
    expect(shared.locator("main")).not_to_contain_text("Dizziness")
    provider.close()
    assert AuditEvent.objects.filter(action=AuditAction.SHARE_OPENED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.SHARE_REFUSED).count() == 1


def test_a_provider_types_the_access_code_to_open_a_protected_link(
    page: Page, browser: Browser, live_server: LiveServer, report: Report
) -> None:
    log_in_and_open(page, live_server, report)
    page.get_by_label("Who is it for?").fill("Dr Okafor")
    page.get_by_label("Also ask for a 6-digit access code").check()
    page.get_by_role("button", name="Make a link").click()
    url = page.get_by_label("Link to the report").input_value()
    code = page.get_by_label("Access code").input_value()

    provider = browser.new_context()
    shared = provider.new_page()
    shared.goto(url)
    expect(shared.get_by_role("heading", name="This report needs an access code")).to_be_visible()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    shared.get_by_label("Access code").fill(wrong)
    shared.get_by_role("button", name="Open the report").click()
    expect(shared.locator("main")).to_contain_text("That code is not right.")
    shared.get_by_label("Access code").fill(code)
    shared.get_by_role("button", name="Open the report").click()

    expect(shared.get_by_role("heading", name="Side-effect report")).to_be_visible()
    expect(shared.locator("main")).to_contain_text("Dizziness")
    provider.close()
