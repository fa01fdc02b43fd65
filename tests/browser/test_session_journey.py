"""The hour after a dose, as a new user lives it on a 390-px phone (issue 14's Done-when):
reminders turned on, an esketamine dose logged, the 40-minute reminder's email, its link
opened signed out and the step rated in under 30 seconds, the ratings on the timeline, and
a symptom logged from the dashboard in two taps."""

from __future__ import annotations

import re
import time
from datetime import time as dt_time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import patient_zone
from journal.checkin import checkin_due_at
from journal.models import CheckInRating, DoseEvent, SymptomEntry
from reminders.services import reminder_settings_update, reminders_send_due
from tests.support.browser import PHONE
from tests.support.factories import CourseFactory, PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


def test_a_session_from_the_dose_to_the_timeline(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="sam", email="sam@example.org")
    CourseFactory.create(patient=patient)
    sign_in(page, live_server.url)

    # Reminders are the patient's choice.
    page.goto(f"{live_server.url}/accounts/reminders/")
    page.get_by_label("Remind me to check in after ketamine or esketamine sessions").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your reminder settings are saved.")

    # The dose, logged as given 41 minutes ago in the clinic: the 40-minute step is due.
    taken_at = timezone.localtime(timezone.now() - timedelta(minutes=41), patient_zone(patient))
    page.goto(f"{live_server.url}/journal/doses/new/")
    page.get_by_label("Taken or given at").fill(taken_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()

    # Beat's run sends the reminder now due, once.
    assert reminders_send_due() == 1
    assert reminders_send_due() == 0
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    link = re.search(r"https?://\S+/r/\S+/", str(email.body))
    assert link is not None, email.body

    # The link, opened on a phone where nobody is signed in.
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    signed_out = phone.new_page()
    path = link.group(0).split("/r/", 1)[1]
    started = time.monotonic()
    signed_out.goto(f"{live_server.url}/r/{path}")
    expect(signed_out.get_by_role("heading", level=1)).to_have_text("About 40 minutes after")
    taps = [
        ("Dissociation and detachment", "Moderate"),
        ("Drowsiness and sedation", "Mild"),
        ("Dizziness", "None"),
        ("Nausea and vomiting", "None"),
    ]
    for symptom, severity in taps:
        signed_out.get_by_role("group", name=symptom).get_by_text(severity, exact=True).click()
    signed_out.get_by_role("button", name="Save this step").click()
    expect(signed_out.locator(".messages")).to_contain_text(
        "Check-in saved: about 40 minutes after."
    )
    assert time.monotonic() - started < 30
    # The link opens the check-in and nothing else of the journal.
    signed_out.goto(f"{live_server.url}/journal/timeline/")
    expect(signed_out.get_by_role("heading", level=1)).not_to_have_text("Timeline")
    phone.close()

    saved = {e.side_effect.slug: e.severity for e in SymptomEntry.objects.all()}  # type: ignore[union-attr]
    assert saved == {"dissociation": 2, "drowsiness": 1}

    # Back in the patient's own session: the ratings are on the timeline.
    page.goto(f"{live_server.url}/journal/timeline/")
    expect(
        page.locator(".item-entry").filter(has_text="Dissociation and detachment")
    ).to_contain_text("Moderate")

    # Two taps from the dashboard: a symptom, then how strong.
    page.goto(f"{live_server.url}/journal/")
    first = page.locator(".quick-symptom summary").first
    symptom = first.inner_text().strip()
    first.tap()
    page.locator(".quick-symptom[open] .severity-button").nth(1).tap()
    expect(page.locator("#logged")).to_contain_text("saved")
    latest = SymptomEntry.objects.order_by("-pk").first()
    assert latest is not None and latest.severity == 1
    assert latest.symptom_name == symptom


def rate_from_email(
    browser: Browser, url: str, email_body: str, taps: list[tuple[str, str]]
) -> Page:
    """Open a reminder's link on a phone where nobody is signed in and rate its step."""
    link = re.search(r"/r/\S+/", email_body)
    assert link is not None, email_body
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{url}{link.group(0)}")
    for symptom, severity in taps:
        page.get_by_role("group", name=symptom).get_by_text(severity, exact=True).click()
    page.get_by_role("button", name="Save this step").click()
    return page


def test_each_step_at_its_time_through_its_reminder_and_a_red_flag_from_one(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="sam", email="sam@example.org")
    CourseFactory.create(patient=patient)
    reminder_settings_update(
        patient=patient,
        checkin_reminders=True,
        daily_reminder=False,
        daily_at=dt_time(20),
        quiet_start=None,
        quiet_end=None,
    )
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/journal/")
    page.get_by_role("button", name="Taken now").first.click()  # esketamine, in clinic
    dose = DoseEvent.objects.get()
    none = [("Dizziness", "None"), ("Nausea and vomiting", "None")]

    # Each step's time comes, the server's clock with it; each reminder brings its own link.
    with time_machine.travel(checkin_due_at(dose=dose, point="40min") + timedelta(minutes=2)):
        assert reminders_send_due() == 1
        step = rate_from_email(
            browser,
            live_server.url,
            str(mail.outbox[-1].body),
            [
                ("Dissociation and detachment", "Moderate"),
                ("Drowsiness and sedation", "Mild"),
                *none,
            ],
        )
        expect(step.locator(".messages")).to_contain_text("about 40 minutes after")
    with time_machine.travel(checkin_due_at(dose=dose, point="2h") + timedelta(minutes=3)):
        assert reminders_send_due() == 1
        # Very severe two hours on: who to contact, with the patient's country's numbers.
        step = rate_from_email(
            browser,
            live_server.url,
            str(mail.outbox[-1].body),
            [
                ("Dissociation and detachment", "Very severe"),
                ("Drowsiness and sedation", "None"),
                *none,
            ],
        )
        alert = step.get_by_role("alert")
        expect(alert).to_contain_text("Contact your prescriber today")
        expect(step.get_by_role("heading", level=1)).to_have_text("Check-in saved")
    with time_machine.travel(checkin_due_at(dose=dose, point="evening") + timedelta(minutes=5)):
        assert reminders_send_due() == 1
        step = rate_from_email(
            browser,
            live_server.url,
            str(mail.outbox[-1].body),
            [("Dissociation and detachment", "None"), ("Drowsiness and sedation", "None"), *none],
        )
        expect(step.locator(".checkin-done")).to_have_count(3)

    assert len(mail.outbox) == 3
    assert set(CheckInRating.objects.values_list("point", flat=True)) == {"40min", "2h", "evening"}
    entry = SymptomEntry.objects.get(side_effect__slug="dissociation")
    assert entry.severity == 4 and entry.dose == dose
