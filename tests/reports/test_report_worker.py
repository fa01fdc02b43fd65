"""Reports built by a real Celery worker on Redis, with the faults that must lose nothing.

Each test starts `celery worker` as its own process on the test database, so what it
builds is committed data built outside the test process. They run on one xdist worker
(one group) because they share the broker's queue.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app as celery_app
from reports.models import Report
from reports.services import report_requeue_stale
from tests.support.factories import PatientFactory
from tests.support.services import unavailable
from tools.journals import journal_fill

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.xdist_group("celery_worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def queue() -> str:
    """A queue of this test run's own, so that no other run's worker takes its tasks."""
    return f"sidelog-test-{connection.settings_dict['NAME']}-{os.getpid()}"


@pytest.fixture
def broker(redis_url: str, queue: str) -> Iterator[str]:
    """Send tasks to Redis for real, on an empty queue of this run's own."""
    if connection.vendor != "postgresql":
        unavailable("a worker process needs PostgreSQL to share the test database")
    redis.Redis.from_url(redis_url).delete(queue)
    celery_app.conf.update(task_always_eager=False, task_default_queue=queue)
    yield redis_url
    celery_app.conf.update(task_always_eager=True, task_default_queue="celery")
    redis.Redis.from_url(redis_url).delete(queue)


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery client at another broker for a while."""
    original = celery_app.conf.broker_url

    def connect_to(target: str) -> None:
        celery_app.conf.update(broker_url=target)
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]

    connect_to(url)
    try:
        yield
    finally:
        connect_to(original)


WorkerStarter = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
def start_worker(broker: str, queue: str, tmp_path: Path) -> Iterator[WorkerStarter]:
    """Start `celery worker` processes on the test database; stop them all afterwards."""
    workers: list[subprocess.Popen[bytes]] = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_QUEUE": queue,
    }

    def start() -> subprocess.Popen[bytes]:
        log = tmp_path / f"worker-{len(workers)}.log"
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


def wait_for(report: Report, condition: Callable[[Report], bool], seconds: float = 60) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        time.sleep(0.2)
    raise AssertionError(f"report {report.pk} still {report.status} at {report.progress}%")


def api_client_for(patient: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(patient)
    return client


# The journal is written as it stood at 18:00 in London on a day in the past, and the
# report asks for the 30 days that end then. The worker process does not share this
# process's travel in time, so no answer may depend on the hour the suite runs: the doses
# go back 29 days and 14 to 20 hours, to 04:00 on the period's first day, and nothing is
# later than 18:00 on its last (in February, London keeps GMT throughout).
JOURNAL_NOW = datetime(2026, 2, 20, 18, 0, tzinfo=UTC)
PERIOD_END = JOURNAL_NOW.date()
PERIOD_START = PERIOD_END - timedelta(days=29)


def a_month_of_journal(patient: User, entries: int = 40) -> None:
    with time_machine.travel(JOURNAL_NOW):
        journal_fill(patient=patient, entries=entries, days=30)


def ask_for_report(patient: User) -> Report:
    response = api_client_for(patient).post(
        "/api/v1/reports/",
        {"period_start": str(PERIOD_START), "period_end": str(PERIOD_END)},
        format="json",
    )
    assert response.status_code == 202, response.content
    return Report.objects.get(pk=response.json()["id"])


def test_a_worker_process_builds_the_report(start_worker: WorkerStarter) -> None:
    patient = PatientFactory.create()
    a_month_of_journal(patient)
    worker = start_worker()

    report = ask_for_report(patient)

    report = wait_for(report, lambda r: r.status == Report.Status.READY)
    assert report.builds_completed == 1
    assert report.built_by.endswith(f":{worker.pid}")
    assert report.built_by != f"{os.uname().nodename}:{os.getpid()}"
    assert report.pdf.open("rb").read(5) == b"%PDF-"
    assert report.content is not None
    with report.csv.open("rb") as written:
        rows = list(csv.DictReader(io.StringIO(written.read().decode("utf-8-sig"))))
    assert sum(1 for row in rows if row["row_type"] == "entry") == 40  # a row per entry


def test_a_report_asked_for_while_redis_is_down_is_built_once_it_returns(
    start_worker: WorkerStarter, broker: str
) -> None:
    patient = PatientFactory.create()
    a_month_of_journal(patient, entries=5)
    with broker_at(broker.rsplit(":", 1)[0] + ":1/0"):  # nothing listens on port 1
        report = ask_for_report(patient)  # 202, not a 500
    assert report.status == Report.Status.QUEUED

    start_worker()
    resent = report_requeue_stale(now=timezone.now() + timedelta(hours=1))

    assert resent == [report.pk]
    report = wait_for(report, lambda r: r.status == Report.Status.READY)
    assert report.builds_completed == 1


def test_a_worker_killed_mid_build_loses_nothing_and_builds_nothing_twice(
    start_worker: WorkerStarter,
) -> None:
    patient = PatientFactory.create()
    a_month_of_journal(patient, entries=1500)
    first = start_worker()
    report = ask_for_report(patient)
    wait_for(report, lambda r: r.status == Report.Status.BUILDING and r.progress >= 30)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    report.refresh_from_db()
    assert report.status == Report.Status.BUILDING

    start_worker()
    report_requeue_stale(now=timezone.now() + timedelta(hours=1))
    report = wait_for(report, lambda r: r.status == Report.Status.READY, seconds=90)
    assert report.builds_completed == 1
    assert report.attempts == 2
    assert Report.objects.filter(patient=patient).count() == 1
    files = sorted(p.name for p in Path(report.pdf.path).parent.iterdir())
    assert files == ["chart.svg", "report-fhir.json", "report.csv", "report.pdf"]
