"""The address a request came from, for lockouts and audit rows."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind Sidelog's TLS proxy the address the proxy saw.

    The proxy appends the address it saw to X-Forwarded-For, so only the last hop is
    trusted; earlier hops are whatever the client chose to send.
    """
    if settings.BEHIND_TLS_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            return hops[-1]
    address: str | None = request.META.get("REMOTE_ADDR")
    return address
