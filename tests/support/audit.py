"""The audit log's tests: rows appended through Sidelog, and changed behind its back with SQL
(as someone who can write to the database but does not hold AUDIT_KEY would)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from audit.services import audit_record

HEAD_COLUMNS = ("last_hash", "row_count", "last_row_id", "mac")


def events_record(patient: User, count: int) -> list[AuditEvent]:
    actions = list(AuditAction)
    return [
        audit_record(
            action=actions[number % len(actions)],
            patient_id=patient.pk,
            actor=patient if number % 2 else None,
            target=f"report {number}",
            outcome=AuditOutcome.REFUSED if number % 5 == 0 else AuditOutcome.ALLOWED,
        )
        for number in range(count)
    ]


def sql_execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def head_copy() -> dict[str, Any]:
    """The chain head's columns as they stand, as someone could keep a copy of them."""
    return AuditChainHead.objects.values(*HEAD_COLUMNS).get(pk=1)


def head_write_back(copy: dict[str, Any]) -> None:
    """Write a copy of the head back over it with SQL."""
    sql_execute(
        "UPDATE journal_auditchainhead SET last_hash = %s, row_count = %s, last_row_id = %s, "
        "mac = %s WHERE id = 1",
        [copy[column] for column in HEAD_COLUMNS],
    )


def verify_command_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", *args)
    assert failure.value.returncode == 1
    return str(failure.value)
