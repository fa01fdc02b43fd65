from __future__ import annotations

from django.test import RequestFactory
from pytest_django.fixtures import Settings

from accounts.client_ip import client_ip


def test_without_a_proxy_the_socket_address_counts(settings: Settings) -> None:
    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "203.0.113.9"


def test_behind_the_proxy_only_the_hop_it_appended_counts(settings: Settings) -> None:
    settings.BEHIND_TLS_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )

    assert client_ip(request) == "198.51.100.7"


def test_behind_the_proxy_with_no_header_the_socket_address_counts(settings: Settings) -> None:
    settings.BEHIND_TLS_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")

    assert client_ip(request) == "10.0.0.2"
