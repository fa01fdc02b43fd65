"""Every route has an owner: anonymous visitors are sent to log in or refused, except on
the pages listed here by name as public.

The routes come from the resolver, not from a list, so a route added later without an
owner makes `test_anonymous_reaches_no_route_but_the_public_ones` fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from journal.models import CareRelationship, ProviderGrant, Report, ShareLink
from journal.sharing.services import share_link_create
from tests import factories

# Public by name: reading them needs no account, and none holds anyone's data (a share
# link's page holds one report, for whoever was given the link).
PUBLIC_ROUTES = frozenset(
    {
        "reference:home",
        "reference:drug-list",
        "reference:drug-detail",
        "reference:side-effect-list",
        "reference:side-effect-detail",
        "reference-api:drug-list",
        "reference-api:drug-detail",
        "reference-api:side-effect-list",
        "api-schema",
        "api-docs",
        "health",
        "login",
        "logout",  # logging nobody out changes nothing
        "signup",
        "provider-signup",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "provider-invitation",
        "caregiver-invitation",
        "share-open",
        "share-download",
        "journal-api:token",
        "admin:login",
    }
)
LOGIN_PAGES = frozenset({"/accounts/login/", "/admin/login/"})
REFUSED = frozenset({401, 403, 404})

CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
UNNAMED_GROUP = re.compile(r"\([^?][^)]*\)")
# Values for path parameters no world object fills: they match and name nothing.
DUMMY_VALUES = {
    "slug": "no-such-page",
    "token": "not-a-real-token",
    "kind": "pdf",
    "pk": "987654",
    "patient_id": "987654",
    "uidb64": "MQ",
    "object_id": "1",
    "content_type_id": "1",
    "url": "no-such-page/",
    "app_label": "reference",
}


@dataclass(frozen=True)
class Route:
    route: str  # as ResolverMatch.route spells it
    name: str | None  # with its namespaces: "journal:entry-detail"

    def url(self, values: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            return values.get(match["name"], DUMMY_VALUES.get(match["name"], "1"))

        path = NAMED_GROUP.sub(value, self.route)  # before CONVERTER, which would match "<name>"
        path = CONVERTER.sub(value, path)
        path = UNNAMED_GROUP.sub("1", path)  # django-simple-history's history pages
        return "/" + path.removeprefix("^").removesuffix("$")

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.route}"


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None
) -> Iterator[Route]:
    for pattern in patterns:
        # ResolverMatch.route drops a regex's "^" after the first piece; so do we.
        piece = str(pattern.pattern)
        route = prefix + (piece.removeprefix("^") if prefix else piece)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(route=route, name=name)


def all_routes() -> list[Route]:
    """Every pattern of the root URLconf, once; patterns shadowed by an earlier one dropped."""
    seen: set[str] = set()
    routes = []
    for route in _walk(get_resolver().url_patterns, "", None):
        if route.route not in seen:
            seen.add(route.route)
            routes.append(route)
    return routes


@dataclass
class World:
    """A patient with one of everything, so that routes are asked about real rows."""

    patient: User
    provider: User
    caregiver: User
    report: Report
    share: ShareLink
    share_token: str
    grant: ProviderGrant
    care: CareRelationship
    values: dict[str, dict[str, str]]

    def url(self, route: Route) -> str:
        url = route.url(self.values.get(route.name or "", {}))
        # A wrongly filled route would be checked under another route's name.
        assert resolve(urlsplit(url).path).route == route.route, (route.label, url)
        return url


def world_create() -> World:
    patient = factories.PatientFactory.create(username="pat")
    provider = factories.ProviderFactory.create(username="dr_okafor")
    caregiver = factories.CaregiverFactory.create(username="cara")
    grant = factories.provider_grant(patient=patient, provider=provider)
    care = factories.care_relationship(patient=patient, caregiver=caregiver)
    course = factories.CourseFactory.create(patient=patient)
    dose = factories.DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=2))
    entry = factories.EntryFactory.create(
        patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=30)
    )
    report = factories.ready_report(patient)
    new_link = share_link_create(report=report, recipient="Dr Okafor", created_by=patient)
    drug = {"slug": "esketamine"}
    values = {
        "reference:drug-detail": drug,
        "reference-api:drug-detail": drug,
        "reference:side-effect-detail": {"slug": "dizziness"},
        "share-open": {"token": new_link.token},
        "share-download": {"token": new_link.token, "kind": "pdf"},
        "care-switch": {"patient_id": str(patient.pk)},
        "journal:share-revoke": {"pk": str(new_link.link.pk)},
        "journal:grant-revoke": {"pk": str(grant.pk)},
        "journal:caregiver-end": {"pk": str(care.pk)},
        "journal-api:share-detail": {"pk": str(new_link.link.pk)},
    }
    rows = {"course": course.pk, "dose": dose.pk, "entry": entry.pk, "report": report.pk}
    by_name = {
        "course": ["journal:course-edit", "journal:course-delete", "journal:dose-taken-now"],
        "dose": ["journal:dose-edit", "journal:dose-delete", "journal:checkin"],
        "entry": ["journal:entry-detail", "journal:entry-edit", "journal:entry-delete"],
        "report": [
            "journal:share-create",
            "journal:report-detail",
            "journal:report-retry",
            "journal:report-download",
            "provider-report",
            "provider-download",
            "journal-api:report-detail",
            "journal-api:report-file",
            "journal-api:share-list",
            "journal-api:provider-report-detail",
            "journal-api:provider-report-file",
        ],
    }
    for row, names in by_name.items():
        for name in names:
            values[name] = {"pk": str(rows[row]), "kind": "pdf"}
    for resource in ("course", "dose", "entry"):
        values[f"journal-api:{resource}-detail"] = {"pk": str(rows[resource])}
    return World(
        patient=patient,
        provider=provider,
        caregiver=caregiver,
        report=report,
        share=new_link.link,
        share_token=new_link.token,
        grant=grant,
        care=care,
        values=values,
    )


@pytest.fixture
def world(db: None) -> World:
    return world_create()


def _redirects_to_log_in(client: Client, response: object, hops: int = 3) -> bool:
    """A redirect that ends, within a few hops, at a login page."""
    for _ in range(hops):
        status = getattr(response, "status_code", 0)
        if status not in (301, 302, 303, 307, 308):
            return False
        location = urlsplit(response["Location"])  # type: ignore[index]
        if location.path in LOGIN_PAGES:
            return True
        response = client.get(location.path)
    return False


def ownerless_answers(client: Client, url: str) -> list[str]:
    """What an anonymous visitor got that is neither a refusal nor a way to log in.

    A route that takes no GET is asked with each method it does take, with no data.
    """
    response = client.get(url)
    answers = [("GET", response)]
    if response.status_code == 405:
        allowed = [method.strip() for method in response.get("Allow", "").split(",")]
        others = [method for method in allowed if method not in ("", "GET", "HEAD", "OPTIONS")]
        answers = [(method, client.generic(method, url)) for method in others] or answers
    return [
        f"{method} {url} -> {answer.status_code}"
        for method, answer in answers
        if answer.status_code not in REFUSED and not _redirects_to_log_in(client, answer)
    ]


def test_the_walk_finds_every_kind_of_route() -> None:
    names = {route.name for route in all_routes() if route.name}

    assert PUBLIC_ROUTES - names == set()  # no stale name on the public list
    assert {"journal:entry-detail", "journal-api:report-file", "admin:index"} <= names
    assert any(route.name is None for route in all_routes())  # the admin's catch-all


@pytest.mark.django_db
def test_anonymous_reaches_no_route_but_the_public_ones(world: World) -> None:
    client = Client()
    problems = [
        f"{route.label}: {answer}"
        for route in all_routes()
        if route.name not in PUBLIC_ROUTES
        for answer in ownerless_answers(client, world.url(route))
    ]

    assert problems == [], "Routes with no owner:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_public_routes_answer_anonymous_visitors(world: World) -> None:
    client = Client()
    answers = {
        route.name: client.get(world.url(route)).status_code
        for route in all_routes()
        if route.name in PUBLIC_ROUTES
    }

    # The pages themselves, or their own refusal of a made-up token or an unsupported GET.
    assert {name for name, status in answers.items() if status >= 500} == set()
    assert answers["reference:home"] == answers["share-open"] == answers["api-docs"] == 200
    assert answers["journal-api:token"] == answers["logout"] == 405


@pytest.mark.django_db
def test_an_unknown_share_link_answers_404(client: Client) -> None:
    assert client.get("/s/not-a-real-token/").status_code == 404
    assert client.get("/s/not-a-real-token/pdf/").status_code == 404


@pytest.mark.django_db
def test_a_route_without_an_owner_would_be_caught(world: World) -> None:
    """The check itself: public routes, asked as if they were owned, fail it."""
    client = Client()

    assert ownerless_answers(client, "/drugs/") == ["GET /drugs/ -> 200"]
    # GET is refused (405), so the methods it takes are asked: POST logs nobody out.
    assert ownerless_answers(client, "/accounts/logout/") == ["POST /accounts/logout/ -> 302"]
    assert ownerless_answers(client, "/journal/") == []
    assert ownerless_answers(client, "/api/v1/entries/") == []
