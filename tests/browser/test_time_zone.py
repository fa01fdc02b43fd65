"""The time-zone list with JavaScript: sign-up starts at the browser's zone; settings keep
the saved zone and offer the browser's in one tap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import Profile
from tests.support.browser import PHONE
from tests.support.factories import PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page_in_chicago(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, timezone_id="America/Chicago")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_sign_up_starts_at_the_browsers_time_zone(
    page_in_chicago: Page, live_server: LiveServer
) -> None:
    page = page_in_chicago
    page.goto(f"{live_server.url}/accounts/signup/")

    expect(page.get_by_label("Time zone")).to_have_value("America/Chicago")
    expect(page.locator("main")).to_contain_text(
        "Chosen from this device's settings: America/Chicago."
    )


def test_settings_keep_the_saved_zone_and_offer_the_browsers(
    page_in_chicago: Page, live_server: LiveServer
) -> None:
    patient = PatientFactory.create(username="sam")
    page = page_in_chicago
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/accounts/settings/")
    zone = page.get_by_label("Time zone")

    expect(zone).to_have_value("Europe/London")
    page.get_by_role("button", name="Use this device's zone, America/Chicago").click()
    expect(zone).to_have_value("America/Chicago")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Your settings are saved.")
    assert Profile.objects.get(user=patient).time_zone == "America/Chicago"
