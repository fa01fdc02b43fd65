"""Checkpoints of the audit chain's head, written where the database cannot rewrite them.

Every AUDIT_CHECKPOINT_EVERY rows (once they are committed) and daily from beat, a line with
the row count, the newest row's id and hash, the head's HMAC and the time goes to stdout (the
`audit.checkpoint` logger) and is appended to AUDIT_CHECKPOINT_PATH.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.utils.module_loading import import_string
from time_machine import TimeMachineFixture

from audit.checkpoints import Checkpoint
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from audit.tasks import audit_checkpoint_task
from audit.verification import ChainFault, audit_chain_verify
from tests.support.audit import events_record, sql_execute, verify_command_fails
from tests.support.settings_env import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 3, 3, 15, tzinfo=UTC)
Commit = Any  # pytest-django's django_capture_on_commit_callbacks


def checkpoints_written() -> list[dict[str, Any]]:
    path = Path(settings.AUDIT_CHECKPOINT_PATH)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def sealed(line: dict[str, Any]) -> bool:
    return Checkpoint.from_text(json.dumps(line)).sealed


def test_a_checkpoint_is_written_every_n_rows_once_they_are_committed(
    patient: User, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 3
    with django_capture_on_commit_callbacks(execute=True):
        events = events_record(patient, 7)
        assert checkpoints_written() == []  # nothing is counted before it is committed

    written = checkpoints_written()
    assert [(line["rows"], line["last_row_id"], line["last_hash"]) for line in written] == [
        (3, events[2].pk, events[2].row_hash),
        (6, events[5].pk, events[5].row_hash),
    ]
    assert all(sealed(line) for line in written)
    assert written[1]["at"] == events[5].created_at.astimezone(UTC).isoformat()


def test_rows_rolled_back_are_not_counted_by_any_checkpoint(
    patient: User, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(action=AuditAction.SHARE_CREATED, patient_id=patient.pk)
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(action=AuditAction.SHARE_OPENED, patient_id=patient.pk)
            raise RuntimeError("the request fails after logging")
    assert checkpoints_written() == []

    with django_capture_on_commit_callbacks(execute=True):
        second = audit_record(action=AuditAction.SHARE_REVOKED, patient_id=patient.pk)

    assert [(line["rows"], line["last_row_id"]) for line in checkpoints_written()] == [
        (2, second.pk)
    ]
    assert audit_chain_verify().intact


def test_a_checkpoint_file_that_cannot_be_written_loses_neither_the_row_nor_the_log_line(
    patient: User,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Commit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "not-a-folder").write_text("")
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "not-a-folder" / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_EVERY = 1
    checkpoint_log = logging.getLogger("audit.checkpoint")
    checkpoint_log.addHandler(caplog.handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = audit_record(action=AuditAction.SHARE_OPENED, patient_id=patient.pk)
    finally:
        checkpoint_log.removeHandler(caplog.handler)

    assert AuditEvent.objects.get().row_hash == event.row_hash
    assert 'audit checkpoint {"at"' in caplog.text  # the log line went out first
    assert event.row_hash in caplog.text
    assert "Error calling" in caplog.text  # Django's word for a failed on-commit callback
    assert audit_chain_verify().faults == [ChainFault.CHECKPOINT_UNREADABLE]
    assert verify_command_fails() == (
        f"The checkpoints in {settings.AUDIT_CHECKPOINT_PATH} cannot be read (Not a directory): "
        "the end of the audit chain was checked against its head alone."
    )


def test_the_daily_task_writes_a_checkpoint_of_the_head(
    patient: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    events = events_record(patient, 5)

    audit_checkpoint_task.delay()

    [line] = checkpoints_written()
    assert line == {
        "at": "2026-11-03T03:15:00+00:00",
        "rows": 5,
        "last_row_id": events[4].pk,
        "last_hash": events[4].row_hash,
        "mac": line["mac"],
    }
    assert sealed(line)


def test_the_daily_task_checkpoints_an_empty_log_as_empty() -> None:
    audit_checkpoint_task.delay()

    [line] = checkpoints_written()
    assert (line["rows"], line["last_row_id"], sealed(line)) == (0, None, True)


def test_the_daily_task_does_not_vouch_for_a_head_changed_behind_sidelogs_back(
    patient: User, caplog: pytest.LogCaptureFixture
) -> None:
    events = events_record(patient, 4)
    sql_execute(
        "UPDATE journal_auditchainhead SET last_hash = %s WHERE id = 1", [events[1].row_hash]
    )

    audit_checkpoint_task.delay()

    assert checkpoints_written() == []
    assert "No audit checkpoint written: the audit chain head's HMAC does not match" in caplog.text


def test_the_daily_task_says_when_the_head_counts_fewer_rows_than_a_checkpoint(
    patient: User, caplog: pytest.LogCaptureFixture
) -> None:
    events_record(patient, 4)
    audit_checkpoint_task.delay()
    sql_execute("DELETE FROM journal_auditevent")
    sql_execute("DELETE FROM journal_auditchainhead")

    audit_checkpoint_task.delay()

    assert [line["rows"] for line in checkpoints_written()] == [4, 0]
    assert "The audit chain head counts 0 rows, fewer than the checkpoint of" in caplog.text


def test_beat_asks_for_a_checkpoint_once_a_day(time_machine: TimeMachineFixture) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint-daily"]
    schedule = entry["schedule"]
    last_run = datetime(2026, 11, 3, 3, 15, tzinfo=UTC)
    assert import_string(entry["task"]).name == entry["task"]

    time_machine.move_to(datetime(2026, 11, 3, 14, 0, tzinfo=UTC), tick=False)
    due, next_check = schedule.is_due(last_run)
    assert (due, next_check) == (False, timedelta(hours=13, minutes=15).total_seconds())

    time_machine.move_to(datetime(2026, 11, 4, 3, 15, 5, tzinfo=UTC), tick=False)
    assert schedule.is_due(last_run)[0] is True


def test_in_production_a_checkpoint_goes_to_stdout_and_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "checkpoints.jsonl"
    script = (
        "from datetime import UTC, datetime\n"
        "from audit.checkpoints import Checkpoint, checkpoint_write\n"
        "from audit.models import AuditChainHead\n"
        "head = AuditChainHead(last_hash='ab' * 32, row_count=100, last_row_id=100)\n"
        "head.mac = head.computed_mac()\n"
        "checkpoint_write(Checkpoint.of_head(head, at=datetime(2026, 11, 3, tzinfo=UTC)))\n"
    )
    env = {**PRODUCTION_ENV, "AUDIT_CHECKPOINT_PATH": str(path), "LOG_LEVEL": "WARNING"}

    result = run_manage("shell", "--no-imports", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    [line] = path.read_text().splitlines()
    assert json.loads(line)["rows"] == 100
    assert f"audit checkpoint {line}\n" in result.stdout
    assert "audit checkpoint" not in result.stderr


# Decided before the test starts: a transactional test that then skips still flushes tables.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent appends need PostgreSQL's row locks"
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_appends_from_many_connections_write_one_checkpoint_every_n_rows(
    patient: User, settings: Any
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 10
    audit_record(action=AuditAction.SHARE_CREATED, patient_id=patient.pk)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def append() -> None:
        try:
            start.wait()
            for _ in range(10):
                audit_record(action=AuditAction.REPORT_VIEWED, patient_id=patient.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    written = checkpoints_written()
    assert sorted(line["rows"] for line in written) == [10, 20, 30, 40, 50, 60, 70, 80]
    assert all(sealed(line) for line in written)
    check = audit_chain_verify()
    assert (check.intact, check.rows) == (True, 81)
    assert check.checkpoints.newest is not None
    assert check.checkpoints.newest.rows == 80
