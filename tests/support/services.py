"""Real services where Sidelog uses them: when `CI` is set, a test that needs PostgreSQL,
Redis or Chromium fails if it cannot reach them; elsewhere it is skipped with a reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent

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


def fault_drill_run(*arguments: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run `python -m tools.faults ARGUMENTS` on this test database, in a process of its own
    (with a Redis of its own, so stopping it disturbs no other test)."""
    if connection.vendor != "postgresql":
        unavailable("the drill needs PostgreSQL for its workers to share the database")
    if not shutil.which("redis-server"):
        unavailable("redis-server is not installed (apt-get install redis-server)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    finished = subprocess.run(  # noqa: S603 (our own fixed command)
        [sys.executable, "-m", "tools.faults", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    print(finished.stdout)  # shown by pytest when the test fails: the whole story of the run
    return finished
