"""Two taps to log and the phone-first layout, at 390×844: by touch, by keyboard alone, and
the navigation's menu without JavaScript."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, FloatRect, Page, expect
from pytest_django.live_server_helper import LiveServer

from journal.models import DoseEvent, SymptomEntry
from reminders.models import Reminder
from tests.support.audit import events_record
from tests.support.browser import PHONE
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    ProviderFactory,
    provider_grant,
    seeded_drug,
    seeded_side_effect,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("SIDELOG_SHOTS", "")


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


def on_esketamine_and_lamotrigine(username: str) -> None:
    patient = PatientFactory.create(username=username)
    course = CourseFactory.create(patient=patient, regimen="56 mg twice a week in clinic")
    CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"), regimen="100 mg daily")
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(minutes=30))
    for _ in range(3):
        EntryFactory.create(patient=patient, side_effect=seeded_side_effect("headache"))


def violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_symptom_is_logged_in_two_taps_then_undone(page: Page, live_server: LiveServer) -> None:
    on_esketamine_and_lamotrigine("ash")
    log_in(page, live_server, "ash")
    shoot(page, "dashboard")
    assert violations(page) == []

    page.locator(".quick-symptom summary", has_text="Headache").tap()
    page.get_by_role("button", name="2 Moderate").tap()

    confirmation = page.locator("#logged")
    expect(confirmation).to_contain_text("Headache saved")
    expect(confirmation).to_contain_text("“not at all” until you change it")
    entry = SymptomEntry.objects.filter(patient__username="ash").latest("created_at")
    assert (entry.severity, entry.interference, entry.dose is not None) == (2, 0, True)
    expect(confirmation.get_by_role("link", name="Add details")).to_have_attribute(
        "href", f"/journal/entries/{entry.pk}/edit/"
    )
    shoot(page, "logged")
    assert violations(page) == []

    confirmation.get_by_role("button", name="Undo").tap()
    expect(page.locator(".messages")).to_contain_text("Headache removed")
    assert not SymptomEntry.objects.filter(pk=entry.pk).exists()


def test_the_severity_words_are_never_broken_inside_a_word(
    page: Page, live_server: LiveServer
) -> None:
    on_esketamine_and_lamotrigine("uma")
    log_in(page, live_server, "uma")
    page.locator(".quick-symptom summary", has_text="Headache").tap()

    labels = page.locator(".quick-symptom[open] .severity-label")
    expect(labels.nth(2)).to_have_text("Moderate")
    # One-word labels take one line: "Modera" over "te" reads as nothing.
    lines = labels.evaluate_all(
        """labels => labels
            .filter(label => !label.textContent.trim().includes(" "))
            .map(label => [
                label.textContent.trim(),
                Math.round(
                    label.getBoundingClientRect().height
                    / parseFloat(getComputedStyle(label).lineHeight)
                ),
            ])"""
    )
    assert lines == [["None", 1], ["Mild", 1], ["Moderate", 1], ["Severe", 1]]


def test_a_symptom_is_logged_by_keyboard_with_at_most_five_tabs_to_its_severity(
    page: Page, live_server: LiveServer
) -> None:
    on_esketamine_and_lamotrigine("kai")
    log_in(page, live_server, "kai")
    page.locator(".quick-symptom summary", has_text="Nausea").focus()
    page.keyboard.press("Enter")  # opens the symptom's severities; saves nothing
    assert not SymptomEntry.objects.filter(side_effect__slug="nausea").exists()

    tabs = 0
    while page.evaluate("document.activeElement.value") != "1":
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs <= 5, "the severity is more than five Tabs from the symptom"
    page.keyboard.press("Enter")

    expect(page.locator("#logged")).to_contain_text("Nausea and vomiting saved")
    assert SymptomEntry.objects.get(side_effect__slug="nausea").severity == 1


@pytest.fixture
def widest_day() -> Iterator[None]:
    """The dashboard on its widest day, "Wednesday 30 September", late in the evening (23:55 in
    the patients' London), so the heading and the check-in's time are as long as they get."""
    # UTC, not ZoneInfo: time-machine would set the process's TZ to a ZoneInfo's zone.
    with time_machine.travel(datetime(2037, 9, 30, 22, 55, tzinfo=UTC), tick=True):
        yield


@pytest.mark.parametrize("reminded", [False, True], ids=["", "with-a-reminder-notice"])
def test_taken_now_and_the_quick_log_are_above_the_fold(
    widest_day: None, page: Page, live_server: LiveServer, reminded: bool
) -> None:
    on_esketamine_and_lamotrigine("fay")
    if reminded:
        # The dashboard a check-in reminder brings the patient back to.
        dose = DoseEvent.objects.get(course__patient__username="fay")
        Reminder.objects.create(
            patient=dose.course.patient,
            kind=Reminder.Kind.CHECKIN,
            dose=dose,
            point="40min",
            due_at=timezone.now() - timedelta(minutes=1),
            status=Reminder.Status.SENT,
            sent_at=timezone.now(),
        )
    log_in(page, live_server, "fay")
    if reminded:
        expect(page.get_by_role("link", name="Time to check in: Esketamine, 23:25")).to_be_visible()
    else:
        expect(page.get_by_role("link", name="Check in after Esketamine, 23:25")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today Wednesday 30 September")
    shoot(page, "fold")
    for element in (
        page.get_by_role("button", name="Taken now").first,
        page.get_by_role("button", name="Taken now").last,
        page.locator(".quick-symptom summary").last,
        page.get_by_role("link", name="Something serious?"),
    ):
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], element


@pytest.mark.parametrize(
    "path",
    [
        "/journal/",
        "/journal/timeline/",
        "/journal/entries/new/",
        "/journal/entries/quick/?side_effect=nausea",
        "/journal/entries/serious/",
        "/journal/courses/",
        "/journal/reports/",
        "/journal/sharing/",
        "/journal/audit/",
        "/accounts/settings/",
        "/drugs/esketamine/",
    ],
)
def test_nothing_overflows_a_phone_screen(page: Page, live_server: LiveServer, path: str) -> None:
    on_esketamine_and_lamotrigine("lou")
    log_in(page, live_server, "lou")
    page.goto(f"{live_server.url}{path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"


def test_tables_are_cards_on_a_phone_with_revoke_and_outcome_in_view(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="ida")
    provider_grant(patient=patient, provider=ProviderFactory.create(username="dr_lin"))
    events_record(patient, 6)
    log_in(page, live_server, "ida")

    page.goto(f"{live_server.url}/journal/sharing/")
    revoke = page.get_by_role("button", name="Revoke access")
    expect(revoke).to_be_visible()
    assert_inside_the_screen(page, revoke.bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "sharing")

    page.goto(f"{live_server.url}/journal/audit/")
    refused = page.locator("td[data-label=Outcome]", has_text="Refused").first
    expect(refused).to_be_visible()
    assert_inside_the_screen(page, refused.bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "audit")


def assert_inside_the_screen(page: Page, box: FloatRect | None) -> None:
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_menu_opens_without_javascript_and_by_keyboard(
    browser: Browser, live_server: LiveServer
) -> None:
    PatientFactory.create(username="max")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, "max")
        nav = page.get_by_role("navigation", name="Main")
        for name in ("Journal", "Log", "Timeline", "Reports"):
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name="Sharing")).to_be_hidden()
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] <= 100

        nav.locator("summary", has_text="Menu").focus()
        page.keyboard.press("Enter")
        expect(nav.get_by_role("link", name="Sharing")).to_be_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Sharing"
        shoot(page, "menu")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sharing")
    finally:
        context.close()


def test_something_serious_lists_the_serious_symptoms_for_the_full_form(
    page: Page, live_server: LiveServer
) -> None:
    PatientFactory.create(username="noa")
    log_in(page, live_server, "noa")
    expect(page.locator(".quick-symptom summary", has_text="Suicidal")).to_have_count(0)
    page.get_by_role("link", name="Something serious?").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Something serious?")
    shoot(page, "serious")
    assert violations(page) == []
    page.get_by_role("link", name="Suicidal thoughts").tap()
    expect(page.get_by_label("What did you notice?")).to_have_value("suicidal-thoughts")


def test_enter_on_a_severity_of_the_full_form_chooses_it_and_sends_nothing(
    page: Page, live_server: LiveServer
) -> None:
    PatientFactory.create(username="eve")
    log_in(page, live_server, "eve")
    page.goto(f"{live_server.url}/journal/entries/new/?side_effect=nausea")
    page.get_by_text("2 – Moderate").first.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_label("2 – Moderate").first).to_be_checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a symptom")
    expect(page.locator(".callout")).to_have_count(0)
    assert not SymptomEntry.objects.exists()
