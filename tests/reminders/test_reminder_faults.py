"""`python -m tools.faults reminders` (part of `make faults`) in CI: due reminders sent by a
real beat and worker on Redis, to a real SMTP server, while the worker is killed and Redis
stops for 20 seconds; none may be delivered twice or lost.

It runs the drill as a process of its own on this test database, with a Redis and a mail
server of its own on free ports, so stopping that Redis disturbs no other test.
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

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.xdist_group("faults"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_due_reminders_are_delivered_once_when_a_worker_dies_and_redis_stops() -> None:
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

    finished = subprocess.run(
        [sys.executable, "-m", "tools.faults", "reminders"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    print(finished.stdout)  # shown by pytest when the test fails: the whole story of the run
    summary = re.search(
        r"due (\d+), delivered once (\d+), lost (\d+), delivered twice (\d+), "
        r"cut off while being handed to the mail server (\d+)",
        finished.stdout,
    )
    assert summary, finished.stdout + finished.stderr
    due, once, lost, twice, cut_off = map(int, summary.groups())
    assert (due, lost, twice) == (60, 0, 0)
    assert once + cut_off == 60
    assert "killed the worker holding a claim" in finished.stdout
    assert "started Redis again" in finished.stdout
    assert finished.returncode == 0, finished.stderr
