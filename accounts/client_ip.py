"""The address a request came from, for lockouts, rate limits and audit rows."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as far as Sidelog can vouch for it.

    With no trusted proxy (`TRUSTED_PROXY_COUNT=0`) that is the socket's peer, REMOTE_ADDR:
    X-Forwarded-For is whatever the client chose to send. Behind N trusted proxies each one
    appends the address it saw, so the Nth entry from the right is the one the proxy the
    client connected to wrote; entries left of it came from the client. With fewer entries
    than proxies the leftmost counts, as in DRF's throttles (`NUM_PROXIES`), so that both
    count the same client.
    """
    peer: str | None = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or forwarded is None:
        return peer
    hops = forwarded.split(",")
    hop = hops[-min(proxies, len(hops))].strip()
    try:
        return ipaddress.ip_address(hop).compressed
    except ValueError:
        # Not an address a proxy would write: the request did not come through one.
        return peer
