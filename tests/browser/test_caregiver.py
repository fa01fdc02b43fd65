"""A caregiver keeps Pat's journal on a 390-px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from audit.models import AuditAction, AuditEvent
from journal.models import SymptomEntry
from tests.support.factories import PASSWORD, CaregiverFactory, PatientFactory, care_relationship

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_caregiver_opens_pats_journal_and_logs_a_symptom_marked_as_theirs(
    page: Page, live_server: LiveServer
) -> None:
    pat = PatientFactory.create(username="pat")
    cara = CaregiverFactory.create(username="cara")
    care_relationship(patient=pat, caregiver=cara)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("cara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/care/")
    expect(page.get_by_role("heading", name="pat")).to_be_visible()
    page.get_by_role("button", name="Open pat's journal").click()

    expect(page.get_by_role("status").first).to_contain_text("You are keeping pat's journal")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.get_by_role("link", name="Log", exact=True).click()
    page.get_by_label("What did you notice?").select_option("nausea")
    page.get_by_text("2 – Moderate").first.click()
    page.get_by_text("1 – A little bit").click()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nausea and vomiting")
    expect(page.locator(".facts")).to_contain_text("by you")  # Pat will read "by cara"
    entry = SymptomEntry.objects.get()
    assert (entry.patient, entry.logged_by) == (pat, cara)
    assert AuditEvent.objects.filter(
        action=AuditAction.CAREGIVER_ACTED, actor_key=cara.pk, target="logged a symptom entry"
    ).exists()

    page.get_by_role("button", name="Back to my own account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journals you keep")
    expect(page.get_by_text("You are keeping")).to_have_count(0)
