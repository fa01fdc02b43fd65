"""The client's address: the socket's with no proxy, the hop the trusted proxy wrote behind one."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from accounts.client_ip import client_ip


def request_from(peer: str, forwarded_for: str | None = None) -> WSGIRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


def test_without_a_proxy_the_socket_address_counts(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_one_proxy_only_the_hop_it_appended_counts(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.7")

    assert client_ip(request) == "198.51.100.7"


def test_behind_two_proxies_the_hop_the_outer_one_appended_counts(settings: Settings) -> None:
    """The client sent 6.6.6.6; the outer proxy saw 198.51.100.7, the inner one the outer."""
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2")

    assert client_ip(request) == "198.51.100.7"


def test_behind_the_proxy_with_no_header_the_socket_address_counts(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize("hop", ["not-an-address", "", "198.51.100.7:4431"])
def test_a_hop_that_is_not_an_address_falls_back_to_the_socket(
    settings: Settings, hop: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", f"6.6.6.6, {hop}")) == "10.0.0.2"


def test_an_ipv6_hop_is_written_the_one_way_the_database_stores_it(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", "2001:DB8:0:0::7")) == "2001:db8::7"
