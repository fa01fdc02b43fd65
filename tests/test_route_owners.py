"""Every route has an owner: anonymous visitors are sent to log in or refused, except on
the pages listed here by name as public.

The routes come from the resolver, not from a list, so a route added later without an
owner makes `test_anonymous_reaches_no_route_but_the_public_ones` fail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.support.routes import World, all_routes, world_create

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
        "accounts:signup",
        "accounts:provider-signup",
        "accounts:signup-finish",  # the emailed link: the holder's own new account
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "sharing:provider-invitation",
        "sharing:caregiver-invitation",
        "sharing:share-open",
        "sharing:share-download",
        "reminders:checkin-link",  # one dose's check-in, for whoever holds the emailed link
        "reminders:checkin-link-steps",  # that dose's steps, within the same link
        "reminders:checkin-link-step",  # another step of that dose, within the same link
        "reminders:checkin-link-flag",  # a red flag the link's own check-in just raised
        "accounts-api:token",
        "admin:login",
    }
)
LOGIN_PAGES = frozenset({"/accounts/login/", "/admin/login/"})
REFUSED = frozenset({401, 403, 404})


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
    assert {"journal:entry-detail", "reports-api:report-file", "admin:index"} <= names
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
    assert answers["reference:home"] == answers["sharing:share-open"] == answers["api-docs"] == 200
    assert answers["accounts-api:token"] == answers["logout"] == 405
    # A live check-in link opens its dose's steps; the entry it is given is no check-in's.
    link_pages = ("reminders:checkin-link", "reminders:checkin-link-steps")
    assert {answers[name] for name in (*link_pages, "reminders:checkin-link-step")} == {200}
    assert answers["reminders:checkin-link-flag"] == 404


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
