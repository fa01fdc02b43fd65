"""The check-in after an esketamine dose, on a 390-px phone, by keyboard and taps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import patient_zone
from journal.models import CheckInRating, SymptomEntry
from tests.support.factories import CourseFactory, PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_patient_logs_a_dose_and_rates_the_40_minute_step(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="sam")
    CourseFactory.create(patient=patient)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    # The dose, logged as taken 41 minutes ago: the 40-minute step has just opened.
    taken_at = timezone.localtime(timezone.now() - timedelta(minutes=41), patient_zone(patient))
    page.goto(f"{live_server.url}/journal/doses/new/")
    page.get_by_label("Taken or given at").fill(taken_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("^Check in after Esketamine")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-dose check-in")
    expect(page.locator(".checkin-upcoming").first).to_contain_text("About 2 hours after")
    page.get_by_role("link", name="Rate about 40 minutes after").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About 40 minutes after")

    # Enter in a half-filled step saves nothing and names every missing row at the top.
    page.locator("#id_dissociation-severity_0").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Drowsiness and sedation: Choose how strong it is now")
    expect(summary).to_contain_text("Nausea and vomiting: Choose how strong it is now")
    assert not CheckInRating.objects.exists()
    expect(page.get_by_role("radio", name="2 Moderate").first).to_be_checked()

    # By keyboard: Tab to the next row's buttons, Space to choose; then taps.
    page.locator("#id_dissociation-severity_2").focus()
    page.keyboard.press("Tab")  # "How much it gets in the way"
    page.keyboard.press("Tab")  # "Gone now"
    page.keyboard.press("Tab")  # the drowsiness row
    page.keyboard.press("ArrowRight")
    row = page.get_by_role("group", name="Dizziness")
    row.get_by_text("None", exact=True).click()
    page.get_by_role("group", name="Nausea and vomiting").get_by_text("Mild", exact=True).click()
    page.get_by_role("button", name="Save this step").click()

    expect(page.locator(".messages")).to_contain_text("Check-in saved: about 40 minutes after.")
    expect(page.locator(".checkin-done")).to_contain_text("Dissociation and detachment 2")
    entries = {e.side_effect.slug: e.severity for e in SymptomEntry.objects.all()}  # type: ignore[union-attr]
    assert entries == {"dissociation": 2, "drowsiness": 1, "nausea": 1}

    page.goto(f"{live_server.url}/journal/timeline/")
    expect(
        page.locator(".item-entry").filter(has_text="Dissociation and detachment")
    ).to_be_visible()
    expect(page.locator(".item-dose").first).to_contain_text("Esketamine dose")
