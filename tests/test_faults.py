"""`python -m tools.faults` (`make faults`) in CI: 200 reports asked for over HTTP while a
worker is killed mid-build and Redis stops for 20 seconds; none may be lost or built twice,
and the API never answers 5xx.

It runs the drill as a process of its own on this test database, with a Redis of its
own on a free port, so stopping that Redis disturbs no other test.
"""

from __future__ import annotations

import re

import pytest

from tests.support.services import fault_drill_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.xdist_group("faults"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_no_report_is_lost_or_built_twice_when_a_worker_dies_and_redis_stops() -> None:
    finished = fault_drill_run(timeout=900)
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
