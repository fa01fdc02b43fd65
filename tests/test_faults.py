"""`python -m tools.faults` (`make faults`) in CI: 200 reports asked for over HTTP while a
worker is killed mid-build and Redis stops for 20 seconds; none may be lost or built twice,
and the API never answers 5xx.

It runs the drill as a process of its own on this test database, with a Redis of its
own on a free port, so stopping that Redis disturbs no other test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.support.services import unavailable

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.xdist_group("faults"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_no_report_is_lost_or_built_twice_when_a_worker_dies_and_redis_stops() -> None:
    if connection.vendor != "postgresql":
        unavailable("the fault run needs PostgreSQL for its workers to share the database")
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

    finished = subprocess.run(
        [sys.executable, "-m", "tools.faults"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )

    print(finished.stdout)  # shown by pytest when the test fails: the whole story of the run
    summary = re.search(
        r"requested (\d+), built (\d+), lost (\d+), built twice (\d+)", finished.stdout
    )
    assert summary, finished.stdout + finished.stderr
    requested, built, lost, twice = map(int, summary.groups())
    assert (requested, built, lost, twice) == (200, 200, 0, 0)
    outage = re.search(r"API during the Redis outage: (.*)", finished.stdout)
    assert outage
    assert "POST 202 x" in outage.group(1)
    assert not re.search(r"\b5\d\d x", finished.stdout)
    assert finished.returncode == 0, finished.stderr
