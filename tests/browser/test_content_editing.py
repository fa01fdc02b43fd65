"""A content editor edits the library in the admin; the public page follows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.support.factories import ContentEditorFactory, SideEffectFactory

# Committed data, so the live server's thread sees it; the seeded library is restored after.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in_to_admin(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Reference library")).to_be_visible()


def test_an_editor_edits_a_description_and_the_public_page_shows_it(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    editor = ContentEditorFactory.create(username="ada")
    side_effect = SideEffectFactory.create(
        name="Tingling", slug="tingling", description="Old words."
    )
    log_in_to_admin(page, live_server, editor.username)

    page.goto(f"{live_server.url}/admin/reference/sideeffect/{side_effect.pk}/change/")
    page.get_by_label("Description").fill("Pins and needles in the hands or feet.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/side-effects/tingling/")
    expect(page.locator("main")).to_contain_text("Pins and needles in the hands or feet.")


def test_an_edit_with_dosing_advice_shows_the_field_error_and_changes_nothing(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    editor = ContentEditorFactory.create(username="grace")
    side_effect = SideEffectFactory.create(
        name="Buzzing", slug="buzzing", self_care="Rest somewhere quiet until it settles."
    )
    log_in_to_admin(page, live_server, editor.username)

    page.goto(f"{live_server.url}/admin/reference/sideeffect/{side_effect.pk}/change/")
    page.get_by_label("Self care").fill(
        "Rest somewhere quiet. If it keeps happening, just skip your next dose."
    )
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-self_care .errorlist")).to_contain_text("reads as dosing advice")
    page.goto(f"{live_server.url}/side-effects/buzzing/")
    expect(page.locator("main")).to_contain_text("Rest somewhere quiet until it settles.")
    expect(page.locator("main")).not_to_contain_text("skip your next dose")


def test_public_pages_fit_a_phone_and_keep_touch_targets_large(
    page: Page, live_server: LiveServer
) -> None:
    SideEffectFactory.create(name="Yawning", slug="yawning")

    for path in ["/", "/drugs/", "/side-effects/", "/side-effects/yawning/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a 390-px phone"
        small = page.evaluate(
            """() => [...document.querySelectorAll('main a, nav a, button')]
                .filter(el => el.offsetParent !== null)
                .filter(el => { const r = el.getBoundingClientRect();
                                return r.height < 44 || r.width < 44; })
                .map(el => el.textContent.trim())"""
        )
        assert small == [], f"{path} has touch targets under 44 px: {small}"
        expect(page.locator("footer")).to_contain_text("Sidelog does not give dosing advice.")
