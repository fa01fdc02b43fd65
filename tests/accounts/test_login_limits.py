"""Failed logins are limited per account as well as per address, however many arrive at once.

django-axes counts failures in the database, but checks the count before the password is
checked and adds to it afterwards: requests that arrive together all pass the check. An
atomic counter per account (`accounts.login_limits.AccountAttemptLimitBackend`) lets at most
`AXES_FAILURE_LIMIT` attempts an hour reach the password check, whatever the concurrency.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.serializers import LOCKED_OUT, WRONG_CREDENTIALS
from tests.support.factories import PASSWORD, PatientFactory
from tests.support.services import DEAD_REDIS_CACHES

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN_URL = "/admin/login/"
LOCKED_PAGE = "Too many failed attempts. For your security, logging in is paused for an hour."
WRONG_PAGE = "Please enter a correct username and password."
PARALLEL = 50
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def no_sign_in_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's per-address rate limit would hide the lockout these tests look at."""
    monkeypatch.setattr(ScopedRateThrottle, "allow_request", lambda self, request, view: True)


@dataclass
class PasswordChecks:
    """How many attempts for one username reached the password check (ModelBackend)."""

    username: str
    count: int = 0


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], PasswordChecks]]:
    lock = threading.Lock()
    counters: list[PasswordChecks] = []
    original = ModelBackend.authenticate

    def counted(self: ModelBackend, request: Any, username: Any = None, **kwargs: Any) -> Any:
        with lock:
            for counter in counters:
                if counter.username == username:
                    counter.count += 1
        return original(self, request, username=username, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)

    def watch(username: str) -> PasswordChecks:
        counter = PasswordChecks(username)
        counters.append(counter)
        return counter

    yield watch


def web_log_in(client: Client, username: str, password: str, *, ip: str = "127.0.0.1") -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_sign_in(username: str, password: str, *, ip: str = "127.0.0.1") -> tuple[int, bytes]:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )
    return response.status_code, response.content


def page_without_echoes(html: str, username: str) -> str:
    """The login page with what differs per request by design: the CSRF token, the name typed."""
    html = CSRF_FIELD.sub('name="csrfmiddlewaretoken" value="…"', html)
    return html.replace(f'value="{username}"', 'value="…"')


# The same answer for an unknown user and a wrong password


@pytest.mark.django_db
def test_the_login_page_answers_an_unknown_user_as_it_answers_a_wrong_password(
    patient: User,
) -> None:
    wrong_password = web_log_in(Client(), "pat", "not the password", ip="192.0.2.1")
    unknown_user = web_log_in(Client(), "nobody", "not the password", ip="192.0.2.2")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert WRONG_PAGE in wrong_password.text
    assert page_without_echoes(wrong_password.text, "pat") == page_without_echoes(
        unknown_user.text, "nobody"
    )


@pytest.mark.django_db
def test_the_token_endpoint_answers_an_unknown_user_as_it_answers_a_wrong_password(
    patient: User,
) -> None:
    wrong_password = api_sign_in("pat", "not the password", ip="192.0.2.1")
    unknown_user = api_sign_in("nobody", "not the password", ip="192.0.2.2")

    assert wrong_password == unknown_user
    assert json.loads(wrong_password[1]) == {"non_field_errors": [WRONG_CREDENTIALS]}


@pytest.mark.django_db
def test_an_unknown_user_is_locked_out_with_the_same_message_as_a_real_one(
    patient: User,
) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        web_log_in(Client(), "pat", "wrong", ip=f"198.51.100.{attempt}")
        web_log_in(Client(), "nobody", "wrong", ip=f"203.0.113.{attempt}")

    real = web_log_in(Client(), "pat", PASSWORD, ip="192.0.2.50")
    unknown = web_log_in(Client(), "nobody", PASSWORD, ip="192.0.2.51")

    assert real.status_code == unknown.status_code == 429
    assert LOCKED_PAGE in real.text
    assert page_without_echoes(real.text, "pat") == page_without_echoes(unknown.text, "nobody")
    assert api_sign_in("pat", PASSWORD, ip="192.0.2.52") == api_sign_in(
        "nobody", PASSWORD, ip="192.0.2.53"
    )
    assert json.loads(api_sign_in("pat", PASSWORD, ip="192.0.2.54")[1]) == {"detail": LOCKED_OUT}


# The per-account limit when axes' own check is raced past


@pytest.fixture
def axes_raced(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if every attempt had passed axes' check before any failure was recorded."""
    monkeypatch.setattr(AxesProxyHandler, "is_allowed", classmethod(lambda cls, *a, **k: True))


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_raced")
def test_only_the_limit_reaches_the_password_check_even_when_axes_is_raced(
    patient: User, password_checks: Callable[[str], PasswordChecks]
) -> None:
    checks = password_checks("pat")

    statuses = [
        web_log_in(Client(), "pat", "wrong", ip=f"10.9.0.{n}").status_code for n in range(8)
    ]
    api_statuses = [api_sign_in("pat", "wrong", ip=f"10.9.1.{n}")[0] for n in range(3)]

    assert checks.count == settings.AXES_FAILURE_LIMIT
    assert statuses[settings.AXES_FAILURE_LIMIT :] == [429] * (8 - settings.AXES_FAILURE_LIMIT)
    assert api_statuses == [403] * 3
    assert web_log_in(Client(), "pat", PASSWORD, ip="10.9.2.1").status_code == 429
    assert checks.count == settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_raced")
def test_the_admin_login_counts_towards_the_same_limit(
    content_editor: User, password_checks: Callable[[str], PasswordChecks]
) -> None:
    name = content_editor.username
    checks = password_checks(name)
    data = {"username": name, "password": "wrong", "next": "/admin/"}

    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        Client().post(ADMIN_LOGIN_URL, data, REMOTE_ADDR=f"10.8.0.{n}")

    assert checks.count == settings.AXES_FAILURE_LIMIT
    right = Client().post(ADMIN_LOGIN_URL, {**data, "password": PASSWORD}, REMOTE_ADDR="10.8.1.1")
    assert right.status_code == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_raced")
def test_a_success_before_the_limit_starts_the_account_count_again(
    patient: User, password_checks: Callable[[str], PasswordChecks]
) -> None:
    checks = password_checks("pat")
    below = settings.AXES_FAILURE_LIMIT - 1

    for round_ in range(2):
        for n in range(below):
            web_log_in(Client(), "pat", "wrong", ip=f"10.7.{round_}.{n}")
        assert web_log_in(Client(), "pat", PASSWORD, ip=f"10.7.{round_}.99").status_code == 302

    assert checks.count == 2 * settings.AXES_FAILURE_LIMIT


# 50 attempts at once against a live server, as an attacker would send them


@dataclass
class Attempt:
    path: str
    body: str
    headers: dict[str, str]


def connect(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    connection_ = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    connection_.connect()
    return connection_


def login_form(base: str) -> tuple[str, str]:
    """A CSRF cookie and the form's token: both stay valid for any number of posts."""
    connection_ = connect(base)
    try:
        connection_.request("GET", LOGIN_URL)
        response = connection_.getresponse()
        html = response.read().decode()
    finally:
        connection_.close()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = CSRF_FIELD.search(html)
    assert cookie and token
    return cookie.group(1), token.group(1)


def attempt_for(endpoint: str, base: str, password: str) -> Attempt:
    if endpoint == "api":
        body = json.dumps({"username": "pat", "password": password})
        return Attempt(TOKEN_URL, body, {"Content-Type": "application/json"})
    cookie, token = login_form(base)
    body = urlencode({"username": "pat", "password": password, "csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
    }
    return Attempt(LOGIN_URL, body, headers)


def send(
    base: str, attempt: Attempt, address: str, barrier: threading.Barrier | None = None
) -> tuple[int, str]:
    """Connected first, sent once every other thread is connected too: they arrive together."""
    connection_ = connect(base)
    try:
        if barrier is not None:
            barrier.wait()
        headers = {**attempt.headers, "X-Forwarded-For": address}
        connection_.request("POST", attempt.path, body=attempt.body, headers=headers)
        response = connection_.getresponse()
        return response.status, response.read().decode()
    finally:
        connection_.close()


ANSWERS = {
    "web": {"wrong": (200, WRONG_PAGE), "locked": (429, LOCKED_PAGE)},
    "api": {"wrong": (400, WRONG_CREDENTIALS), "locked": (403, LOCKED_OUT)},
}


def answer_kind(endpoint: str, status: int, text: str) -> str:
    for kind, (expected_status, message) in ANSWERS[endpoint].items():
        if status == expected_status and message in text:
            return kind
    return f"{status}: {text[:200]}"


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("endpoint", ["web", "api"])
def test_fifty_parallel_wrong_passwords_reach_the_password_check_at_most_the_limit(
    endpoint: str,
    live_server: LiveServer,
    settings: Settings,
    password_checks: Callable[[str], PasswordChecks],
) -> None:
    """Each from an address of its own, so that only the per-account limit can stop them."""
    settings.TRUSTED_PROXY_COUNT = 1  # as behind the proxy: the address is the hop it wrote
    PatientFactory.create(username="pat")
    checks = password_checks("pat")
    wrong = attempt_for(endpoint, live_server.url, "wrong")
    barrier = threading.Barrier(PARALLEL, timeout=30)
    addresses = [f"10.20.{n}.1" for n in range(PARALLEL)]

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        answers = list(pool.map(lambda ip: send(live_server.url, wrong, ip, barrier), addresses))
    after = send(live_server.url, attempt_for(endpoint, live_server.url, PASSWORD), "172.16.0.1")

    # With axes alone, 15 to all 50 of them reached it.
    assert checks.count <= settings.AXES_FAILURE_LIMIT, f"{checks.count} of {PARALLEL}"
    kinds = [answer_kind(endpoint, *answer) for answer in answers]
    assert set(kinds) <= {"wrong", "locked"}, kinds
    assert kinds.count("locked") >= PARALLEL - settings.AXES_FAILURE_LIMIT
    # Afterwards the right password, from yet another address, is refused too.
    assert answer_kind(endpoint, *after) == "locked"


# With Redis down, logging in works with axes' limits alone (kept in the database).


def test_with_redis_down_logging_in_still_works_and_still_locks(
    settings: Settings, db: None
) -> None:
    settings.CACHES = DEAD_REDIS_CACHES
    user = PatientFactory.create()

    wrong = [
        Client().post(LOGIN_URL, {"username": user.username, "password": "not-it"})
        for _ in range(settings.AXES_FAILURE_LIMIT - 1)
    ]
    right = Client().post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(LOGIN_URL, {"username": user.username, "password": "not-it"})
    locked = Client().post(LOGIN_URL, {"username": user.username, "password": PASSWORD})

    assert {response.status_code for response in wrong} == {200}
    assert all(WRONG_PAGE in response.text for response in wrong)
    assert right.status_code == 302
    assert LOCKED_PAGE in locked.text
