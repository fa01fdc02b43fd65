"""Requests as Sidelog receives them with no proxy in front and behind one, from a client that
forges X-Forwarded-For.

A `Route` is one configuration: how many proxies Sidelog trusts (`TRUSTED_PROXY_COUNT`), and
what reaches the web process when a client sends a header of its choosing. With no proxy the
client's socket is Sidelog's peer and its header arrives as it wrote it. Behind one proxy the
peer is the proxy, which adds the address the client connected from to the end of the header;
that is what a proxy that keeps the client's entries does (nginx's
`$proxy_add_x_forwarded_for`); Caddy, in docker-compose.yml, drops them instead, which leaves
less to forge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pytest_django.fixtures import Settings

# Caddy's address on compose's network: every request behind the proxy comes from it.
PROXY_ADDRESS = "172.18.0.5"


@dataclass(frozen=True)
class Route:
    name: str
    trusted_proxies: int

    def meta(self, *, client: str, forged: str) -> dict[str, Any]:
        """REMOTE_ADDR and X-Forwarded-For as Sidelog sees them; `client` is the address the
        client really connects from, `forged` the header it sends."""
        if self.trusted_proxies == 0:
            return {"REMOTE_ADDR": client, "HTTP_X_FORWARDED_FOR": forged}
        return {"REMOTE_ADDR": PROXY_ADDRESS, "HTTP_X_FORWARDED_FOR": f"{forged}, {client}"}

    def configure(self, settings: Settings) -> None:
        settings.TRUSTED_PROXY_COUNT = self.trusted_proxies


NO_PROXY = Route("no proxy", 0)
ONE_PROXY = Route("one proxy", 1)
ROUTES = [pytest.param(NO_PROXY, id="no-proxy"), pytest.param(ONE_PROXY, id="one-proxy")]


def forged(n: int) -> str:
    """The nth made-up header: new addresses each time, two entries, from documentation ranges."""
    return f"203.0.113.{n % 250 + 1}, 198.51.100.{n % 250 + 1}"
