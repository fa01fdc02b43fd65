"""`python -m tools.faults reminders` (part of `make faults`) in CI: due reminders sent by a
real beat and worker on Redis, to a real SMTP server, while the worker is killed and Redis
stops for 20 seconds; none may be delivered twice or lost.

It runs the drill as a process of its own on this test database, with a Redis and a mail
server of its own on free ports, so stopping that Redis disturbs no other test.
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


def test_due_reminders_are_delivered_once_when_a_worker_dies_and_redis_stops() -> None:
    finished = fault_drill_run("reminders", timeout=600)
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
