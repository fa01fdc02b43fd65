"""Security headers on every answer: pages, API, downloads, static files, redirects, errors.

Every route of the resolver is asked, over HTTPS, by anonymous visitors, the patient, their
provider and a superuser; whatever comes back (200, 302, 404, 405...) carries the headers.
`Cache-Control: no-store` is on everything but static files and anonymous visits to the
public reference library (accounts.middleware.CACHEABLE_NAMESPACES).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from django.test import Client
from django.urls import resolve
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from accounts.middleware import CACHEABLE_NAMESPACES
from sharing.services import share_link_revoke
from tests.support.browser import CHROMIUM_FLAGS
from tests.support.clients import logged_in_client
from tests.support.factories import PASSWORD, PatientFactory
from tests.support.routes import World, all_routes, world_create
from tests.support.settings_env import PRODUCTION_ENV, run_manage

ROOT = Path(__file__).resolve().parent.parent
ONE_YEAR = 365 * 24 * 60 * 60
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def csp_of(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {directive[0]: directive[1:] for directive in directives}


def header_problems(response: HttpResponseBase, *, may_be_cached: bool = False) -> list[str]:
    """What is missing or too weak in one response's security headers."""
    problems = []
    csp = csp_of(response)
    for directive, sources in STRICT.items():
        if csp.get(directive) != sources:
            problems.append(f"CSP {directive} is {csp.get(directive)}")
    hsts = response.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age.group(1)) < ONE_YEAR or "includeSubDomains" not in hsts:
        problems.append(f"HSTS is {hsts!r}")
    expected = {
        "X-Content-Type-Options": {"nosniff"},
        "Referrer-Policy": {"same-origin", "no-referrer"},
        "Cross-Origin-Opener-Policy": {"same-origin"},
        "X-Frame-Options": {"DENY"},
    }
    for header, allowed in expected.items():
        if response.get(header) not in allowed:
            problems.append(f"{header} is {response.get(header)!r}")
    cache_control = [part.strip() for part in response.get("Cache-Control", "").split(",")]
    if not may_be_cached and "no-store" not in cache_control:
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}")
    return problems


def assert_secure_headers(response: HttpResponseBase, *, may_be_cached: bool = False) -> None:
    assert header_problems(response, may_be_cached=may_be_cached) == []


def closed(response: Any) -> Any:
    """Downloads stream from open files; read them to the end, which closes them as the test
    client expects (a direct close() would end the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.fixture
def world(db: None) -> World:
    return world_create()


def clients(world: World) -> Iterator[tuple[str, Client]]:
    yield "anonymous", Client()
    yield "patient", logged_in_client(world.patient)
    yield "provider", logged_in_client(world.provider)
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    yield "superuser", logged_in_client(root)


@pytest.mark.django_db
def test_every_route_sends_the_security_headers_to_everyone(world: World) -> None:
    problems = []
    count = 0
    for who, client in clients(world):
        for route in all_routes():
            url = world.url(route)
            response = closed(client.get(url, secure=True))
            count += 1
            public = resolve(url).namespace in CACHEABLE_NAMESPACES and who == "anonymous"
            problems += [
                f"{who} {url} ({response.status_code}): {problem}"
                for problem in header_problems(response, may_be_cached=public)
            ]

    assert count > 4 * 150
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_downloads_carry_the_headers(world: World) -> None:
    patient = logged_in_client(world.patient)
    provider = logged_in_client(world.provider)
    downloads = [
        patient.get(f"/journal/reports/{world.report.pk}/pdf/", secure=True),
        patient.get(f"/journal/reports/{world.report.pk}/chart/", secure=True),
        patient.get(f"/api/v1/reports/{world.report.pk}/csv", secure=True),
        patient.post("/accounts/export/", secure=True),
        provider.get(f"/provider/reports/{world.report.pk}/fhir/", secure=True),
        Client().get(f"/s/{world.share_token}/pdf/", secure=True),
    ]

    assert [response.status_code for response in downloads] == [200] * len(downloads)
    for response in downloads:
        assert_secure_headers(closed(response))


@pytest.mark.django_db
def test_static_files_carry_the_headers_and_may_be_cached(client: Client) -> None:
    response = closed(client.get("/static/css/sidelog.css", secure=True))

    assert response.status_code == 200
    assert_secure_headers(response, may_be_cached=True)
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_public_library_may_be_cached_only_for_anonymous_visitors(
    patient_client: Client, client: Client
) -> None:
    for url in ("/", "/drugs/esketamine/", "/api/v1/side-effects/"):
        assert "no-store" not in client.get(url, secure=True).get("Cache-Control", ""), url
        # Signed in, the page carries the person's own menu and a CSRF token.
        assert patient_client.get(url, secure=True)["Cache-Control"] == "no-store", url


@pytest.mark.django_db
def test_a_server_error_page_carries_the_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the library is unreachable")

    monkeypatch.setattr("reference.views.selectors.drug_list", broken)

    response = Client(raise_request_exception=False).get("/drugs/", secure=True)

    assert response.status_code == 500
    assert_secure_headers(response)


@pytest.mark.django_db
def test_error_pages_carry_the_headers(world: World) -> None:
    share_link_revoke(link=world.share, revoked_by=world.patient)
    csrf_refused = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "pat"}, secure=True
    )
    bad_host = Client().get("/", HTTP_HOST="evil.example", secure=True)
    not_found = Client().get("/no-such-page/", secure=True)
    gone = Client().get(f"/s/{world.share_token}/", secure=True)
    locked = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        too_many = locked.post(
            "/accounts/login/", {"username": "pat", "password": "x"}, secure=True
        )

    statuses = [r.status_code for r in (csrf_refused, bad_host, not_found, gone, too_many)]
    assert statuses == [403, 400, 404, 410, 429]
    for response in (csrf_refused, bad_host, not_found, gone, too_many):
        assert_secure_headers(response)


@pytest.mark.django_db
def test_the_https_redirect_carries_the_headers(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/journal/")  # plain HTTP

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    csp = csp_of(response)
    assert csp["script-src"] == ["'self'"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_swagger_uis_script_is_not_stored(client: Client) -> None:
    """It carries the CSRF token: Swagger UI sends it as a header, as the cookie can't be read."""
    response = client.get("/api/docs/?script=", secure=True)

    assert response.status_code == 200
    assert "X-CSRFTOKEN" in response.text
    assert_secure_headers(response)


@pytest.mark.django_db
def test_only_the_admin_and_swagger_ui_page_relax_style_src_and_never_script_src(
    client: Client,
) -> None:
    page = csp_of(client.get("/journal/"))
    admin = csp_of(client.get("/admin/login/"))
    docs = csp_of(client.get("/api/docs/"))

    assert page["style-src"] == ["'self'"]
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert docs["style-src"][0] == "'self'"
    assert [source[:8] for source in docs["style-src"][1:]] == ["'sha256-"]
    assert page["script-src"] == admin["script-src"] == docs["script-src"] == ["'self'"]


def test_our_templates_have_no_inline_scripts_or_styles() -> None:
    """So the policy needs no 'unsafe-inline'. The PDF's templates are read by WeasyPrint."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\bstyle\s*=|<style\b|javascript:", re.I
    )
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "reports/pdf" not in path.as_posix()
        for match in inline.finditer(path.read_text())
    ]

    assert found == []


def test_production_settings_secure_the_cookies_and_send_hsts() -> None:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "MIDDLEWARE",
    ]
    code = f"from django.conf import settings; print({{n: getattr(settings, n) for n in {names}}})"

    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    found = ast.literal_eval(result.stdout.strip())
    assert found["SESSION_COOKIE_SECURE"] is found["CSRF_COOKIE_SECURE"] is True
    assert found["SESSION_COOKIE_HTTPONLY"] is found["CSRF_COOKIE_HTTPONLY"] is True
    assert found["SESSION_COOKIE_SAMESITE"] == found["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert found["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert found["SECURE_REFERRER_POLICY"] == "same-origin"
    assert found["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert found["MIDDLEWARE"][0] == "accounts.middleware.SecurityHeadersMiddleware"


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_httponly_and_samesite(patient: User) -> None:
    client = Client()
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})

    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


# In a real browser: the admin and Swagger UI work under the policy


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def drive_swagger_ui_and_the_admin(base: str, chromium_path: str) -> list[str]:
    """Use both in Chromium; the policy violations it reported."""
    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        try:
            patient = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            violations += csp_violations(patient)
            log_in(patient, f"{base}/accounts/login/", "pat")
            expect(patient.get_by_role("heading", level=1)).to_be_visible()
            # The check itself: Chromium reports a style the policy forbids, in those words.
            probe = patient.context.new_page()
            probe.goto(f"{base}/journal/")
            with probe.expect_console_message() as message:
                probe.evaluate(
                    "document.head.append(Object.assign("
                    "document.createElement('style'), {textContent: 'body {color: red}'}))"
                )
            assert "Content Security Policy directive 'style-src" in message.value.text

            patient.goto(f"{base}/api/docs/")
            expect(patient.locator(".opblock").first).to_be_visible()
            assert patient.locator(".opblock").count() > 20
            # "Try it out" with the session: Swagger UI sends the CSRF token itself.
            operation = patient.locator("#operations-courses-v1_courses_create")
            operation.locator(".opblock-summary").click()
            operation.get_by_role("button", name="Try it out").click()
            operation.locator("textarea.body-param__text").fill(
                '{"drug": "esketamine", "started_on": "2026-01-01", "route": "nasal",'
                ' "regimen": "56 mg twice a week in clinic"}'
            )
            operation.get_by_role("button", name="Execute").click()
            expect(
                operation.locator(".live-responses-table .response .response-col_status").first
            ).to_have_text("201")

            admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            violations += csp_violations(admin)
            log_in(admin, f"{base}/admin/login/", "root")
            expect(admin.get_by_role("heading", name="Reference library")).to_be_visible()
            admin.goto(f"{base}/admin/reference/drug/add/")
            # The slug is filled in as the name is typed: the admin's own scripts run.
            admin.locator("#id_name").press_sequentially("Testamine")
            expect(admin.locator("#id_slug")).to_have_value("testamine")
            admin.goto(f"{base}/admin/reference/drug/")
            admin.get_by_role("link", name="Esketamine").click()
            admin.get_by_role("button", name="Save", exact=True).click()
            expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
            admin.goto(f"{base}/admin/reference/drug/")
            admin.get_by_role("link", name="Esketamine").click()
            admin.get_by_role("link", name="History").click()
            expect(admin.locator("#content")).to_contain_text("Changed")
        finally:
            browser.close()
    return violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_and_the_admin_work_in_chromium_with_no_policy_violations(
    chromium_path: str, live_server: LiveServer
) -> None:
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    PatientFactory.create(username="pat")

    # A thread of its own: tests/browser's session-wide Playwright may hold this one's loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        violations = thread.submit(
            drive_swagger_ui_and_the_admin, live_server.url, chromium_path
        ).result()

    assert violations == []
