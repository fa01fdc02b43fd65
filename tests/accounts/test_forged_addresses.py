"""A client that makes up a new X-Forwarded-For for every sign-in is still one client.

In both configurations, no proxy (`TRUSTED_PROXY_COUNT=0`) and behind compose's one proxy
(`TRUSTED_PROXY_COUNT=1`), the lockout per address (django-axes) and the API's rate limit
(DRF's throttle) count the address the client really connects from, whatever it forges.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from accounts.serializers import LOCKED_OUT, WRONG_CREDENTIALS
from tests.support.factories import PASSWORD
from tests.support.proxies import ONE_PROXY, ROUTES, Route, forged

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ATTACKER = "192.0.2.66"
SOMEONE_ELSE = "192.0.2.10"
RATE_LIMIT = 20  # sign-ins a minute from one address ("auth" in DEFAULT_THROTTLE_RATES)


@pytest.fixture(autouse=True)
def _configured(route: Route, settings: Settings) -> None:
    route.configure(settings)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    """The rate limit counts a minute: every attempt falls in the same one."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=UTC), tick=False):
        yield


def sign_in(route: Route, username: str, password: str, *, client: str, n: int) -> Any:
    return APIClient().post(
        TOKEN_URL,
        {"username": username, "password": password},
        format="json",
        **route.meta(client=client, forged=forged(n)),
    )


@pytest.mark.parametrize("route", ROUTES)
def test_thirty_wrong_sign_ins_over_thirty_names_are_locked_out_then_rate_limited(
    route: Route,
) -> None:
    answers = [
        sign_in(route, f"someone-{n}", "not-the-password", client=ATTACKER, n=n) for n in range(30)
    ]

    # The failure that reaches the limit is answered as a lockout already.
    wrong = settings.AXES_FAILURE_LIMIT - 1
    statuses = [answer.status_code for answer in answers]
    assert statuses == [400] * wrong + [403] * (RATE_LIMIT - wrong) + [429] * (30 - RATE_LIMIT)
    assert answers[0].json() == {"non_field_errors": [WRONG_CREDENTIALS]}
    assert answers[wrong].json() == {"detail": LOCKED_OUT}
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    # The failures were recorded against the address the attacker connects from.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.parametrize("route", [ONE_PROXY])
def test_behind_the_proxy_someone_else_signs_in_while_the_attacker_is_locked_out(
    route: Route, patient: User
) -> None:
    """Every request comes from the proxy's address: only the hop it wrote tells the attacker
    from the patient."""
    for n in range(settings.AXES_FAILURE_LIMIT + 3):
        sign_in(route, f"someone-{n}", "not-the-password", client=ATTACKER, n=n)

    answer = sign_in(route, patient.username, PASSWORD, client=SOMEONE_ELSE, n=0)

    assert answer.status_code == 200
    assert "token" in answer.json()


@pytest.mark.parametrize("route", ROUTES)
def test_the_rate_limit_counts_the_client_not_the_header_it_makes_up(
    route: Route, patient: User
) -> None:
    """Right passwords, so that no lockout stands in the way: only the rate limit."""
    answers = [
        sign_in(route, patient.username, PASSWORD, client=ATTACKER, n=n)
        for n in range(RATE_LIMIT + 1)
    ]
    from_someone_else = sign_in(route, patient.username, PASSWORD, client=SOMEONE_ELSE, n=0)

    assert [answer.status_code for answer in answers] == [200] * RATE_LIMIT + [429]
    assert from_someone_else.status_code == 200
