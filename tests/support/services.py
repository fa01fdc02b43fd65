"""Real services where Sidelog uses them: when `CI` is set, a test that needs PostgreSQL,
Redis or Chromium fails if it cannot reach them; elsewhere it is skipped with a reason."""

from __future__ import annotations

import os

import pytest

IN_CI = bool(os.environ.get("CI"))
# A cache as it is with Redis down: nothing listens on the discard port.
DEAD_REDIS_URL = "redis://127.0.0.1:9/0"
DEAD_REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": DEAD_REDIS_URL,
    }
}


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)
