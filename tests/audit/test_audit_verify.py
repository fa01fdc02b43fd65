"""The end of the audit chain: removing the newest rows is found.

Someone who can write to the database but does not hold AUDIT_KEY deletes the newest rows
and moves the chain head back, writes back a copy of an older head, or empties the table and
the head together. `manage.py audit_verify` holds the rows to the head's HMAC and to the
newest checkpoint kept outside the database, and says what happened with exit status 1.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from time_machine import TimeMachineFixture

from audit.models import AuditAction
from audit.services import audit_checkpoint_write, audit_record
from audit.verification import ChainFault, audit_chain_verify
from tests.support.audit import (
    events_record,
    head_copy,
    head_write_back,
    sql_execute,
    verify_command_fails,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
WHEN = "2026-11-03 09:30:00 UTC"
Commit = Any  # pytest-django's django_capture_on_commit_callbacks


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def checkpoint_lines() -> list[str]:
    path = Path(settings.AUDIT_CHECKPOINT_PATH)
    return path.read_text().splitlines() if path.exists() else []


# Delete the newest rows and move the head back


@pytest.mark.parametrize("also_the_count", [False, True], ids=["hash", "hash-and-count"])
def test_deleting_the_last_three_rows_and_moving_the_head_back_is_found(
    patient: User, also_the_count: bool
) -> None:
    events = events_record(patient, 6)
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[2].pk])
    sql_execute(
        "UPDATE journal_auditchainhead SET last_hash = %s WHERE id = 1", [events[2].row_hash]
    )
    if also_the_count:
        sql_execute(
            "UPDATE journal_auditchainhead SET row_count = 3, last_row_id = %s WHERE id = 1",
            [events[2].pk],
        )

    check = audit_chain_verify()
    assert check.faults == [ChainFault.HEAD_FORGED]
    assert verify_command_fails() == (
        "The audit chain head was changed behind Sidelog's back: its HMAC does not match "
        "AUDIT_KEY, so its newest rows may have been removed (or AUDIT_KEY was changed)."
    )


def test_with_a_checkpoint_the_rows_removed_behind_a_moved_head_are_counted(
    patient: User,
) -> None:
    events = events_record(patient, 6)
    audit_checkpoint_write()
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[2].pk])
    sql_execute(
        "UPDATE journal_auditchainhead SET last_hash = %s WHERE id = 1", [events[2].row_hash]
    )

    assert audit_chain_verify().faults == [ChainFault.HEAD_FORGED, ChainFault.TAIL_REMOVED]
    message = verify_command_fails()
    assert "The audit chain head was changed behind Sidelog's back" in message
    assert (
        f"The audit chain is broken: its newest rows were removed after row {events[2].pk} "
        f"({NOW:%Y-%m-%d %H:%M:%S} UTC, {events[2].action}): the checkpoint of {WHEN} counts "
        "6 rows, 3 are left."
    ) in message


def test_deleting_the_last_rows_and_leaving_the_head_is_found_by_the_head(patient: User) -> None:
    events = events_record(patient, 6)
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[2].pk])

    assert audit_chain_verify().faults == [ChainFault.TAIL_REMOVED]
    assert verify_command_fails().endswith("the chain head counts 6 rows, 3 are left.")


# Wipe the rows and the head


def test_wiping_the_rows_and_the_head_is_found_by_the_checkpoint(patient: User) -> None:
    events_record(patient, 5)
    audit_checkpoint_write()
    sql_execute("DELETE FROM journal_auditevent")
    sql_execute("DELETE FROM journal_auditchainhead")

    check = audit_chain_verify()
    assert (check.rows, check.faults) == (0, [ChainFault.WIPED])
    assert verify_command_fails() == (
        "The audit log was wiped: no row and no chain head are left, but the checkpoint of "
        f"{WHEN} counted 5 rows."
    )


def test_wiping_the_rows_after_a_checkpoint_of_every_n_rows_is_found(
    patient: User, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 4
    with django_capture_on_commit_callbacks(execute=True):
        events_record(patient, 5)
    sql_execute("DELETE FROM journal_auditevent")
    sql_execute("DELETE FROM journal_auditchainhead")

    assert audit_chain_verify().faults == [ChainFault.WIPED]
    assert "counted 4 rows" in verify_command_fails()


def test_wiping_the_rows_but_not_the_head_is_found(patient: User) -> None:
    events_record(patient, 5)
    sql_execute("DELETE FROM journal_auditevent")

    assert audit_chain_verify().faults == [ChainFault.WIPED]
    assert verify_command_fails() == (
        "The audit log was wiped: no row is left, but the chain head counted 5 rows."
    )


def test_a_head_deleted_while_rows_are_left_is_found(patient: User) -> None:
    events_record(patient, 3)
    sql_execute("DELETE FROM journal_auditchainhead")

    assert audit_chain_verify().faults == [ChainFault.HEAD_MISSING]
    assert verify_command_fails().startswith("The audit chain head is missing: 3 rows are left")


# Roll back the head


def test_writing_back_an_older_copy_of_the_head_after_deleting_rows_is_found(
    patient: User,
) -> None:
    events = events_record(patient, 4)
    older = head_copy()
    events_record(patient, 3)
    audit_checkpoint_write()
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[3].pk])
    head_write_back(older)

    assert audit_chain_verify().faults == [ChainFault.TAIL_REMOVED, ChainFault.HEAD_ROLLED_BACK]
    message = verify_command_fails()
    assert f"its newest rows were removed after row {events[3].pk} (" in message
    assert (
        f"The audit chain head was rolled back: it counts 4 rows, but the checkpoint of {WHEN} "
        "already counted 7."
    ) in message


def test_writing_back_an_older_copy_of_the_head_alone_is_found(patient: User) -> None:
    events = events_record(patient, 4)
    older = head_copy()
    later = events_record(patient, 3)
    audit_checkpoint_write()
    head_write_back(older)

    assert audit_chain_verify().faults == [ChainFault.ROWS_ADDED, ChainFault.HEAD_ROLLED_BACK]
    message = verify_command_fails()
    assert f"broken at row {later[0].pk} (" in message
    assert f"sealed by the chain head, which ends at row {events[3].pk}" in message
    assert "The audit chain head was rolled back: it counts 4 rows" in message


def test_rows_removed_and_hidden_under_new_ones_are_found_by_the_checkpoint(
    patient: User,
) -> None:
    """A head written back, then Sidelog carries on logging: the count grows past the
    checkpoint's again, but the row the checkpoint ended at is gone."""
    events = events_record(patient, 4)
    older = head_copy()
    events_record(patient, 2)
    audit_checkpoint_write()
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[3].pk])
    head_write_back(older)
    for number in range(5):
        audit_record(action=AuditAction.REPORT_VIEWED, patient_id=patient.pk, target=f"{number}")

    assert audit_chain_verify().faults == [ChainFault.CHECKPOINT_LOST]
    assert verify_command_fails().startswith(
        f"The audit log no longer holds the row the checkpoint of {WHEN} ended at "
    )


def test_a_row_deleted_before_the_checkpoint_is_named_once(patient: User) -> None:
    events = events_record(patient, 5)
    audit_checkpoint_write()
    sql_execute("DELETE FROM journal_auditevent WHERE id = %s", [events[1].pk])

    assert audit_chain_verify().faults == [ChainFault.ROW]
    assert verify_command_fails() == (
        f"The audit chain is broken at row {events[2].pk} ({NOW:%Y-%m-%d %H:%M:%S} UTC, "
        f"{events[2].action}): this row was changed, or the row before it was removed or "
        "inserted."
    )


# What stays intact


def test_a_chain_that_grew_past_its_checkpoint_is_intact(
    patient: User, capsys: pytest.CaptureFixture[str]
) -> None:
    events_record(patient, 3)
    audit_checkpoint_write()
    events_record(patient, 4)

    call_command("audit_verify")

    out = capsys.readouterr().out
    assert "The audit chain is intact: 7 rows checked." in out
    assert f"It reaches its newest checkpoint ({WHEN}, 3 rows, in " in out


def test_an_empty_log_with_no_checkpoint_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit_verify")

    out = capsys.readouterr().out
    assert "The audit chain is intact: 0 rows checked." in out
    assert f"No checkpoint in {settings.AUDIT_CHECKPOINT_PATH} yet" in out


def test_a_checkpoint_copied_elsewhere_or_grepped_from_the_logs_is_read(
    patient: User, tmp_path: Path
) -> None:
    events_record(patient, 5)
    audit_checkpoint_write()
    [line] = checkpoint_lines()
    copy = tmp_path / "from-the-logs.txt"
    copy.write_text(f"web-1  | something else\nweb-1  | audit checkpoint {line}\n")
    Path(settings.AUDIT_CHECKPOINT_PATH).unlink()
    sql_execute("DELETE FROM journal_auditevent")
    sql_execute("DELETE FROM journal_auditchainhead")

    assert audit_chain_verify().intact  # the checkpoint file on this host is gone too
    assert audit_chain_verify(checkpoints_path=copy).faults == [ChainFault.WIPED]
    assert verify_command_fails("--checkpoints", str(copy)).startswith("The audit log was wiped")


def test_a_checkpoint_not_sealed_with_the_audit_key_is_reported_and_not_trusted(
    patient: User,
) -> None:
    events_record(patient, 2)
    audit_checkpoint_write()
    [line] = checkpoint_lines()
    forged = line.replace('"rows":2', '"rows":9')
    Path(settings.AUDIT_CHECKPOINT_PATH).write_text(f"{line}\n{forged}\n")

    check = audit_chain_verify()
    assert check.faults == [ChainFault.CHECKPOINT_UNREADABLE]
    assert check.checkpoints.newest is not None
    assert check.checkpoints.newest.rows == 2
    assert verify_command_fails() == (
        f"Line 2 of {settings.AUDIT_CHECKPOINT_PATH} is not a checkpoint sealed with AUDIT_KEY: "
        "changed, or written under another key."
    )


def test_a_row_appended_after_the_checkpoint_through_sidelog_keeps_the_chain_intact(
    patient: User,
) -> None:
    events_record(patient, 2)
    audit_checkpoint_write()
    audit_record(action=AuditAction.SHARE_OPENED, patient_id=patient.pk)

    assert audit_chain_verify().intact
