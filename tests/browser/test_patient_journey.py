"""A patient's first day with Sidelog, on a 390-px phone, by mouse and keyboard."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from journal.models import DoseEvent, SymptomEntry
from tests.support.factories import CourseFactory, DoseFactory, PatientFactory, seeded_drug
from tests.support.signups import sign_up_link

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def tab_to(page: Page, name: str, tag: str = "") -> None:
    """Press Tab until the field called `name` (or the first `tag` element) has focus."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.name, document.activeElement.tagName]")
        if (tag and focused[1] == tag) or (not tag and focused[0] == name):
            return
    raise AssertionError(f"Tab never reached {name or tag}")


def test_a_new_patient_signs_up_adds_esketamine_logs_a_dose_and_a_symptom(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password:", exact=True).fill("a long and private phrase 42")
    page.get_by_label("Password confirmation").fill("a long and private phrase 42")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Create my journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text("We sent a link to robin@example.org")
    # The live server runs in this process: its email is in this process's outbox.
    page.goto(f"{live_server.url}{sign_up_link('robin@example.org')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish creating your account")
    page.get_by_role("button", name="Finish creating my account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")

    page.get_by_role("link", name="Add a medicine").first.click()
    page.get_by_label("Medicine").select_option(label="Esketamine")
    page.get_by_label("How it is taken").select_option("nasal")
    page.get_by_label("Regimen, as your prescriber wrote it").fill("56 mg twice a week in clinic")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Esketamine added to your medicines.")

    page.get_by_role("link", name="Journal").click()
    page.get_by_role("button", name="Taken now").click()
    expect(page.get_by_role("heading", name="Post-dose check-in")).to_be_visible()
    dose = DoseEvent.objects.get(course__patient__username="robin")

    page.get_by_role("link", name="Log", exact=True).click()
    page.get_by_label("What did you notice?").select_option("dissociation")
    page.get_by_text("2 – Moderate").first.click()
    page.get_by_text("1 – A little bit").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dissociation and detachment")

    entry = SymptomEntry.objects.get(patient__username="robin")
    assert entry.dose == dose
    page.get_by_role("link", name="Timeline").first.click()
    new_york = timezone.localtime(entry.onset_at, ZoneInfo("America/New_York"))
    item = page.locator(".item-entry").first
    expect(item).to_contain_text("Dissociation and detachment")
    expect(item).to_contain_text(new_york.strftime("%H:%M"))
    expect(page.locator(".item-dose").first).to_contain_text("Esketamine dose")
    expect(page.locator("main")).to_contain_text("America/New_York")


def test_a_symptom_that_meets_a_red_flag_shows_who_to_contact_at_once(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="sam")
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(minutes=50))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/journal/entries/new/?side_effect=suicidal-thoughts")
    page.get_by_text("3 – Severe").first.click()
    page.get_by_text("3 – Quite a bit").click()
    page.get_by_role("button", name="Save").click()

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Call emergency services now")
    alert_box = alert.bounding_box()
    heading_box = page.get_by_role("heading", level=1).bounding_box()
    assert alert_box is not None and heading_box is not None
    assert alert_box["y"] < heading_box["y"]


def test_the_entry_form_works_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    PatientFactory.create(username="kit")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("kit")
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")

    page.goto(f"{live_server.url}/journal/entries/new/")
    tab_to(page, "side_effect")
    page.keyboard.press("ArrowDown")  # the first symptom in the list
    tab_to(page, "severity")
    page.keyboard.press("ArrowDown")  # from the first radio to "1 – Mild"
    tab_to(page, "interference")
    page.keyboard.press("Space")  # "0 – Not at all"
    tab_to(page, "", tag="BUTTON")
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("logged.")
    entry = SymptomEntry.objects.get(patient__username="kit")
    assert (entry.severity, entry.interference) == (1, 0)


def test_the_danger_signs_of_the_chosen_symptom_show_under_it_and_can_raise_the_alarm(
    page: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="lee")
    CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lee")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/journal/entries/new/")
    page.get_by_label("What did you notice?").select_option("skin-rash")
    expect(page.get_by_label("Blisters, or skin that peels")).to_be_visible()
    expect(page.locator('input[value="headache:stiff-neck"]')).to_be_hidden()
    page.get_by_label("Blisters, or skin that peels").check()
    page.get_by_text("1 – Mild").first.click()
    page.get_by_text("0 – Not at all").click()
    page.get_by_role("button", name="Save").click()

    alert = page.locator("#red-flag-heading")
    expect(alert).to_have_text("Call emergency services now")
    entry = SymptomEntry.objects.get(patient__username="lee")
    assert entry.danger_signs == ["peeling-skin"]
