"""Every page of the patient's, the provider's and the editor's journeys passes axe-core.

Each page is checked at a phone's width and at a desktop's; a violation of impact "serious"
or "critical" fails its test. One world and one logged-in browser context per person and
width serve the whole module, so that it runs in about a minute: the world is committed once
rather than emptied after every test, and the seeded library is put back at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from reminders.models import CheckinLink, Reminder, link_token_hash
from reports.models import Report
from sharing.models import ShareLink
from sharing.services import caregiver_invite, provider_grant_create, share_link_create
from tests.support.browser import PHONE
from tests.support.factories import (
    PASSWORD,
    CaregiverFactory,
    ContentEditorFactory,
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    ProviderFactory,
    care_relationship,
    provider_grant,
    seeded_side_effect,
)
from tests.support.reports import ready_report
from tests.support.signups import sign_up_link

pytestmark = [
    pytest.mark.browser,
    # One worker builds the world and logs everyone in once (`make test` runs loadgroup).
    pytest.mark.xdist_group("accessibility"),
]

FAILING_IMPACTS = {"serious", "critical"}
WIDTHS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": PHONE, "has_touch": True, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
AXE = Axe()
CHECKIN_TOKEN = "a-check-in-link-token-for-the-accessibility-walk"


@dataclass(frozen=True)
class World:
    url: str
    course_id: int
    dose_id: int
    red_flag_entry_id: int
    building_report_id: int
    ready_report_id: int
    share_token: str
    coded_share_token: str
    access_code: str
    locked_share_token: str
    provider_invitation_token: str
    care_invitation_token: str
    side_effect_id: int
    checkin_link_token: str
    checkin_flag_entry_id: int


def restore_seeded_library() -> None:
    """Empty every table and load what `migrate` seeded, as tests/conftest.py does."""
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.ops.execute_sql_flush(
                sql_flush(no_style(), connection, reset_sequences=False)
            )
            connection.creation.deserialize_db_from_string(contents)


def world_build(url: str) -> World:
    """Pat's journal, kept with Cara and shared with Dr Okafor; and an editor, Ada."""
    now = timezone.now()
    pat: User = PatientFactory.create(username="pat")
    care_relationship(patient=pat, caregiver=CaregiverFactory.create(username="cara"))
    provider_grant(patient=pat, provider=ProviderFactory.create(username="dr_okafor"))
    ContentEditorFactory.create(username="ada")

    course = CourseFactory.create(patient=pat)
    for days_ago in (1, 4, 8):
        earlier = DoseFactory.create(course=course, taken_at=now - timedelta(days=days_ago))
        EntryFactory.create(
            patient=pat,
            dose=earlier,
            onset_at=earlier.taken_at + timedelta(minutes=40),
            resolved_at=earlier.taken_at + timedelta(minutes=100),
        )
    dose = DoseFactory.create(course=course, taken_at=now - timedelta(minutes=50))
    EntryFactory.create(
        patient=pat,
        dose=dose,
        side_effect=seeded_side_effect("dissociation"),
        onset_at=now - timedelta(minutes=30),
        notes="Felt far away from the room.",
    )
    red_flag_entry = EntryFactory.create(
        patient=pat,
        side_effect=seeded_side_effect("suicidal-thoughts"),
        onset_at=now - timedelta(minutes=10),
        severity=3,
        interference=3,
    )

    today = timezone.localdate()
    period = {"period_start": today - timedelta(days=29), "period_end": today}
    ready = ready_report(pat)
    building = Report.objects.create(
        patient=pat, requested_by=pat, status=Report.Status.BUILDING, progress=40, **period
    )
    link = share_link_create(report=ready, recipient="Dr Okafor", created_by=pat)
    coded = share_link_create(
        report=ready, recipient="Dr Ruiz", created_by=pat, with_access_code=True
    )
    assert coded.access_code is not None
    locked = share_link_create(
        report=ready, recipient="Dr Mensah", created_by=pat, with_access_code=True
    )
    ShareLink.objects.filter(pk=locked.link.pk).update(code_failures=30, code_locked_at=now)
    # Invitations not yet answered: the sharing page offers to withdraw them.
    provider_invitation = provider_grant_create(
        patient=pat, provider_email="dr.okafor@clinic.example", all_reports=True, reports=[]
    )
    care_invitation = caregiver_invite(patient=pat, email="sam@example.org")
    # A check-in reminder sent 10 minutes ago: the dashboard shows it; its link opens.
    Reminder.objects.create(
        patient=pat,
        kind="checkin",
        dose=dose,
        point="40min",
        due_at=now - timedelta(minutes=10),
        status="sent",
        sent_at=now - timedelta(minutes=10),
    )
    CheckinLink.objects.create(
        dose=dose,
        patient=pat,
        point="40min",
        token_hash=link_token_hash(CHECKIN_TOKEN),
        expires_at=now + timedelta(hours=6),
    )
    # A very severe rating its check-in saved: the link shows its red flag.
    checkin_flag_entry = EntryFactory.create(
        patient=pat, dose=dose, onset_at=now - timedelta(minutes=5), severity=4, from_checkin=True
    )
    return World(
        url=url,
        course_id=course.pk,
        dose_id=dose.pk,
        red_flag_entry_id=red_flag_entry.pk,
        building_report_id=building.pk,
        ready_report_id=ready.pk,
        share_token=link.token,
        coded_share_token=coded.token,
        access_code=coded.access_code,
        locked_share_token=locked.token,
        provider_invitation_token=provider_invitation.invitation_token,
        care_invitation_token=care_invitation.token,
        side_effect_id=seeded_side_effect("dizziness").pk,
        checkin_link_token=CHECKIN_TOKEN,
        checkin_flag_entry_id=checkin_flag_entry.pk,
    )


@pytest.fixture(autouse=True)
def _live_server_helper() -> None:
    """Replaces pytest-django's fixture of that name, which empties the database after
    every test that uses `live_server`; here the world outlives each test and `world`
    removes it. (Should pytest-django rename its fixture, the world vanishes after the
    first test and every later one fails: loudly, not silently.)
    """


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, live_server: LiveServer
) -> Iterator[World]:
    with django_db_blocker.unblock():
        live_server._live_server_modified_settings.enable()
        try:
            yield world_build(live_server.url)
        finally:
            live_server._live_server_modified_settings.disable()
            restore_seeded_library()


# Logging in, through the real login pages


def log_in(page: Page, world: World, username: str) -> None:
    page.goto(f"{world.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_in_as_caregiver_keeping_pats_journal(page: Page, world: World) -> None:
    log_in(page, world, "cara")
    page.goto(f"{world.url}/care/")
    page.get_by_role("button", name="Open pat's journal").click()
    expect(page.get_by_role("status").first).to_contain_text("You are keeping pat's journal")


def log_in_to_admin(page: Page, world: World) -> None:
    page.goto(f"{world.url}/admin/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Reference library")).to_be_visible()


LOG_IN: dict[str, Callable[[Page, World], None]] = {
    "visitor": lambda page, world: None,
    "patient": lambda page, world: log_in(page, world, "pat"),
    "caregiver": log_in_as_caregiver_keeping_pats_journal,
    "provider": lambda page, world: log_in(page, world, "dr_okafor"),
    "editor": log_in_to_admin,
}


class Sessions:
    """One browser context per person and width, logged in the first time it is needed."""

    def __init__(self, browser: Browser, world: World) -> None:
        self.browser = browser
        self.world = world
        self.contexts: dict[tuple[str, str], BrowserContext] = {}

    def page(self, who: str, width: str) -> Page:
        context = self.contexts.get((who, width))
        if context is None:
            context = self.browser.new_context(**WIDTHS[width])
            context.set_default_timeout(10_000)
            LOG_IN[who](context.new_page(), self.world)
            self.contexts[who, width] = context
        page = context.pages[0]
        # Nothing the last page scheduled (a timed refresh) may navigate under the next test.
        page.goto("about:blank")
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def sessions(world: World, browser: Browser) -> Iterator[Sessions]:
    # The world first, so that the test database is made before Playwright's loop runs.
    sessions = Sessions(browser, world)
    yield sessions
    sessions.close()


# The pages: how to reach each one, and a check that it is the page meant, not an error


Visit = Callable[[Page, World], None]


def go(path: str | Callable[[World], str], heading: str) -> Visit:
    def visit(page: Page, world: World) -> None:
        where = path(world) if callable(path) else path
        response = page.goto(f"{world.url}{where}")
        assert response is not None and response.ok, f"{where} answered {response}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)

    return visit


def then(first: Visit, *checks: Callable[[Page], None]) -> Visit:
    def visit(page: Page, world: World) -> None:
        first(page, world)
        for check in checks:
            check(page)

    return visit


def entry_form_with_errors(page: Page, world: World) -> None:
    go("/journal/entries/new/", "Log a symptom")(page, world)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main .errorlist").first).to_be_visible()


def checkin_step_with_errors(page: Page, world: World) -> None:
    go(f"/journal/doses/{world.dose_id}/check-in/40min/", "About 40 minutes after")(page, world)
    page.get_by_role("button", name="Save this step").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def quick_symptom_open(page: Page, world: World) -> None:
    go("/journal/", "Today")(page, world)
    page.locator(".quick-symptom summary").first.click()
    expect(page.locator(".quick-symptom[open] .severity-button").first).to_be_visible()


def quick_entry_logged(page: Page, world: World) -> None:
    quick_symptom_open(page, world)
    page.locator(".quick-symptom[open] .severity-button").nth(1).click()
    expect(page.locator("#logged")).to_contain_text("saved")


def menu_open(page: Page, world: World) -> None:
    go("/journal/", "Today")(page, world)
    page.locator(".nav-menu summary").click()
    expect(page.get_by_role("link", name="Sharing")).to_be_visible()


def reminder_settings_with_errors(page: Page, world: World) -> None:
    go("/accounts/reminders/", "Reminders")(page, world)
    page.get_by_label("Quiet hours from").fill("22:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter when quiet hours end")


def share_link_created(page: Page, world: World) -> None:
    go(f"/journal/reports/{world.ready_report_id}/", "Report")(page, world)
    page.get_by_label("Who is it for?").fill("Dr Adeyemi")
    page.get_by_role("button", name="Make a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your link for Dr Adeyemi")


def access_code_refused(page: Page, world: World) -> None:
    go(f"/s/{world.coded_share_token}/", "This report needs an access code")(page, world)
    page.get_by_label("Access code").fill(f"{(int(world.access_code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Open the report").click()
    expect(page.locator("main")).to_contain_text("That code is not right.")


def locked_link(page: Page, world: World) -> None:
    response = page.goto(f"{world.url}/s/{world.locked_share_token}/")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is locked")


def sign_up_sent(page: Page, world: World) -> None:
    go("/accounts/signup/", "Sign up")(page, world)
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password:", exact=True).fill("a long and private phrase 42")
    page.get_by_label("Password confirmation").fill("a long and private phrase 42")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create my journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def sign_up_finish_page(page: Page, world: World) -> None:
    sign_up_sent(page, world)
    # The live server runs in this process: its email is in this process's outbox.
    go(sign_up_link("robin@example.org"), "Finish creating your account")(page, world)


def sign_up_link_broken(page: Page, world: World) -> None:
    page.goto(f"{world.url}/accounts/signup/finish/not-a-real-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link can't be used")


def admin_login(page: Page, world: World) -> None:
    page.goto(f"{world.url}/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def shows(text: str) -> Callable[[Page], None]:
    return lambda page: expect(page.locator("main")).to_contain_text(text)


PAGES: dict[str, tuple[str, Visit]] = {
    # The patient
    "sign-up": ("visitor", go("/accounts/signup/", "Sign up")),
    "sign-up-sent": ("visitor", sign_up_sent),
    "sign-up-finish": ("visitor", sign_up_finish_page),
    "sign-up-link-broken": ("visitor", sign_up_link_broken),
    "log-in": ("visitor", go("/accounts/login/", "Log in")),
    "dashboard": ("patient", go("/journal/", "Today")),
    "dashboard-quick-symptom-open": ("patient", quick_symptom_open),
    "dashboard-quick-entry-logged": ("patient", quick_entry_logged),
    "dashboard-menu-open": ("patient", menu_open),
    "entry-quick": ("patient", go("/journal/entries/quick/?side_effect=nausea", "Log a symptom")),
    "entry-serious": ("patient", go("/journal/entries/serious/", "Something serious?")),
    "timeline": ("patient", go("/journal/timeline/", "Timeline")),
    "medicines": ("patient", go("/journal/courses/", "Your medicines")),
    "medicine-new": ("patient", go("/journal/courses/new/", "Add a medicine")),
    "medicine-edit": ("patient", go(lambda w: f"/journal/courses/{w.course_id}/", "Edit")),
    "dose-new": (
        "patient",
        go(lambda w: f"/journal/doses/new/?course={w.course_id}", "Record a dose"),
    ),
    "dose-edit": ("patient", go(lambda w: f"/journal/doses/{w.dose_id}/", "Edit dose")),
    "entry-new": ("patient", go("/journal/entries/new/", "Log a symptom")),
    "entry-new-with-errors": ("patient", entry_form_with_errors),
    "entry-with-red-flag": (
        "patient",
        then(
            go(lambda w: f"/journal/entries/{w.red_flag_entry_id}/", "Suicidal"),
            lambda page: expect(page.get_by_role("alert")).to_be_visible(),
        ),
    ),
    "check-in": (
        "patient",
        go(lambda w: f"/journal/doses/{w.dose_id}/check-in/", "Post-dose check-in"),
    ),
    "check-in-step": (
        "patient",
        go(lambda w: f"/journal/doses/{w.dose_id}/check-in/40min/", "About 40 minutes after"),
    ),
    "check-in-step-with-errors": ("patient", checkin_step_with_errors),
    "reports": ("patient", go("/journal/reports/", "Reports for your prescriber")),
    "report-building": (
        "patient",
        then(
            go(lambda w: f"/journal/reports/{w.building_report_id}/", "Report"),
            shows("Building your report"),
        ),
    ),
    "report-ready": (
        "patient",
        then(go(lambda w: f"/journal/reports/{w.ready_report_id}/", "Report"), shows("Download")),
    ),
    "sharing": ("patient", go("/journal/sharing/", "Sharing")),
    "share-link-created": ("patient", share_link_created),
    "who-saw-my-data": ("patient", go("/journal/audit/", "Who saw my data")),
    "accounts:settings": ("patient", go("/accounts/settings/", "Your account")),
    "privacy:data-export": ("patient", go("/accounts/export/", "Download all my data")),
    "privacy:account-delete": ("patient", go("/accounts/delete/", "Delete my account")),
    "reminders:settings": ("patient", go("/accounts/reminders/", "Reminders")),
    "reminders:settings-with-errors": ("patient", reminder_settings_with_errors),
    "reminders:checkin-link": (
        "visitor",
        go(lambda w: f"/r/{w.checkin_link_token}/", "About 40 minutes after"),
    ),
    "reminders:checkin-link-steps": (
        "visitor",
        go(lambda w: f"/r/{w.checkin_link_token}/steps/", "Post-dose check-in"),
    ),
    "reminders:checkin-link-flag": (
        "visitor",
        then(
            go(
                lambda w: f"/r/{w.checkin_link_token}/flag/{w.checkin_flag_entry_id}/",
                "Check-in saved",
            ),
            lambda page: expect(page.get_by_role("alert")).to_contain_text(
                "Contact your prescriber today"
            ),
        ),
    ),
    # The caregiver
    "caregiver-journals": ("caregiver", go("/care/", "Journals you keep")),
    "caregiver-keeping-pats-journal": (
        "caregiver",
        then(
            go("/journal/", "Today"),
            lambda page: expect(page.get_by_role("status").first).to_contain_text(
                "You are keeping pat's journal"
            ),
        ),
    ),
    "caregiver-invitation": (
        "caregiver",
        then(
            go(lambda w: f"/accounts/caregiver/invite/{w.care_invitation_token}/", "Help keep"),
            lambda page: expect(page.get_by_role("button", name="Decline")).to_be_visible(),
        ),
    ),
    "caregiver-invitation-sign-up": (
        "visitor",
        then(
            go(lambda w: f"/accounts/caregiver/invite/{w.care_invitation_token}/", "Help keep"),
            shows("We email you a link that finishes your account"),
        ),
    ),
    # The provider
    "provider-invitation": (
        "provider",
        then(
            go(
                lambda w: f"/accounts/provider/invite/{w.provider_invitation_token}/",
                "wants to share reports with you",
            ),
            lambda page: expect(page.get_by_role("button", name="Accept")).to_be_visible(),
        ),
    ),
    "provider-sign-up": ("visitor", go("/accounts/signup/provider/", "Create a provider account")),
    "sharing:provider-home": ("provider", go("/provider/", "Shared with you")),
    "sharing:provider-report": (
        "provider",
        then(go(lambda w: f"/provider/reports/{w.ready_report_id}/", "pat"), shows("Download")),
    ),
    "shared-link": (
        "visitor",
        then(go(lambda w: f"/s/{w.share_token}/", "Side-effect report"), shows("Dizziness")),
    ),
    "shared-link-access-code": (
        "visitor",
        go(lambda w: f"/s/{w.coded_share_token}/", "This report needs an access code"),
    ),
    "shared-link-access-code-refused": ("visitor", access_code_refused),
    "shared-link-locked": ("visitor", locked_link),
    # The public library, and the editor's admin
    "home": ("visitor", go("/", "Keep track of side effects")),
    "drugs": ("visitor", go("/drugs/", "Medicines")),
    "drug": ("visitor", go("/drugs/lamotrigine/", "Lamotrigine")),
    "side-effects": ("visitor", go("/side-effects/", "Side effects")),
    "side-effect": ("visitor", go("/side-effects/dizziness/", "Dizziness")),
    "admin-log-in": ("visitor", admin_login),
    "admin-side-effect-change": (
        "editor",
        go(lambda w: f"/admin/reference/sideeffect/{w.side_effect_id}/change/", "Change"),
    ),
}


# Checking


def axe_violations(page: Page) -> list[dict[str, Any]]:
    results = AXE.run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            # A target is a list of selectors, nested when it sits in a frame or shadow root.
            target = " >>> ".join(
                selector if isinstance(selector, str) else " ".join(selector)
                for selector in node["target"]
            )
            lines.append(f"    {target}")
    return "\n".join(lines)


# Known violations, each waiting on a decision outside this module: (page, axe rule) -> why.
# Such a page is reported as xfail while the rule still fails there, and fails once it doesn't,
# so that its entry is removed; any other violation on it fails as usual.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_serious_or_critical_accessibility_violation(
    sessions: Sessions, world: World, name: str, width: str
) -> None:
    who, visit = PAGES[name]
    page = sessions.page(who, width)
    visit(page, world)

    failing = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]

    known = {v["id"] for v in failing if (name, v["id"]) in KNOWN}
    unexpected = [v for v in failing if v["id"] not in known]
    assert not unexpected, f"{name} at {width} width ({page.url}):\n{describe(unexpected)}"
    fixed = [rule for page_name, rule in KNOWN if page_name == name and rule not in known]
    assert not fixed, f"{name} passes {', '.join(fixed)} now: remove it from KNOWN"
    if known:
        pytest.xfail("; ".join(f"{rule}: {KNOWN[name, rule]}" for rule in sorted(known)))
