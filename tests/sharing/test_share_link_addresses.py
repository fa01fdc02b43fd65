"""Share links see the address a visitor really connects from, whatever X-Forwarded-For says.

In both configurations, no proxy (`TRUSTED_PROXY_COUNT=0`) and behind compose's one proxy
(`TRUSTED_PROXY_COUNT=1`): the patient's audit log records the real address, and a visitor
who makes up a new header for every guess is still turned away after ten failures.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from audit.models import AuditAction, AuditEvent
from sharing.services import NewShareLink, share_link_create
from tests.support.proxies import ROUTES, Route, forged
from tests.support.reports import dizzy_after_a_dose, ready_report

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("route", ROUTES)]

VISITOR = "192.0.2.44"
SOMEONE_ELSE = "192.0.2.45"
FAILURE_LIMIT = 10  # failed attempts an address may make in ten minutes


@pytest.fixture(autouse=True)
def _configured(route: Route, settings: Settings) -> None:
    route.configure(settings)


@pytest.fixture
def new_link(patient: User) -> NewShareLink:
    dizzy_after_a_dose(patient)
    return share_link_create(
        report=ready_report(patient), recipient="Dr Okafor", created_by=patient
    )


def path_of(new_link: NewShareLink, kind: str = "") -> str:
    return f"/s/{new_link.token}/{kind + '/' if kind else ''}"


def test_opening_and_downloading_are_audited_with_the_real_address(
    route: Route, new_link: NewShareLink
) -> None:
    client = Client()
    client.get(path_of(new_link), **route.meta(client=VISITOR, forged=forged(1)))
    client.get(path_of(new_link, "csv"), **route.meta(client=VISITOR, forged=forged(2)))

    rows = AuditEvent.objects.filter(
        action__in=[AuditAction.SHARE_OPENED, AuditAction.REPORT_DOWNLOADED]
    )
    assert rows.count() == 2
    assert {row.ip_address for row in rows} == {VISITOR}


def test_a_refused_guess_is_audited_with_the_real_address(
    route: Route, new_link: NewShareLink
) -> None:
    Client().get("/s/a-guess-at-a-link/", **route.meta(client=VISITOR, forged=forged(3)))

    refused = AuditEvent.objects.get(action=AuditAction.SHARE_REFUSED)
    assert refused.ip_address == VISITOR


def test_a_new_made_up_address_for_every_guess_does_not_escape_the_limit(
    route: Route, new_link: NewShareLink
) -> None:
    guesses = [
        Client().get(f"/s/guess-{n}-of-many/", **route.meta(client=VISITOR, forged=forged(n)))
        for n in range(FAILURE_LIMIT)
    ]

    held = Client().get(path_of(new_link), **route.meta(client=VISITOR, forged=forged(99)))
    other = Client().get(path_of(new_link), **route.meta(client=SOMEONE_ELSE, forged=forged(0)))

    assert [guess.status_code for guess in guesses] == [404] * FAILURE_LIMIT
    assert held.status_code == 429
    assert "Too many attempts; try again later" in held.text
    assert "Dizziness" not in held.text
    # Someone else (behind the same proxy, where there is one) still opens the link.
    assert other.status_code == 200
    assert "Dizziness" in other.text
