"""An audit log from before the chain head was sealed upgrades with `migrate` and verifies.

The test winds the audit app back to 0001 (a head holding only the newest hash), writes a
chain through the models as they were then, migrates forward and checks the log as today's
`audit_verify` does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import GENESIS, AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from audit.services import audit_record
from audit.verification import audit_chain_verify

BEFORE_THE_SEAL = ("audit", "0001_initial")


@pytest.mark.django_db(transaction=True)
def test_a_chain_head_from_before_the_seal_is_sealed_by_migrate() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE_THE_SEAL])
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(BEFORE_THE_SEAL, at_end=True).apps
    try:
        OldEvent = old_apps.get_model("audit", "AuditEvent")
        previous = GENESIS
        ids = []
        for number in range(3):
            event = AuditEvent(
                created_at=timezone.now() - timedelta(days=3 - number),
                patient_key=7,
                actor_label="Dr Okafor (provider)",
                action=AuditAction.REPORT_VIEWED,
                target=f"report {number}",
                outcome=AuditOutcome.ALLOWED,
                previous_hash=previous,
            )
            previous = event.computed_hash()
            values = {name: getattr(event, name) for name in AuditEvent.HASHED}
            ids.append(OldEvent.objects.create(**values, row_hash=previous).pk)
        old_apps.get_model("audit", "AuditChainHead").objects.create(pk=1, last_hash=previous)
    finally:
        MigrationExecutor(connection).migrate(latest)

    head = AuditChainHead.objects.get()
    assert (head.row_count, head.last_row_id, head.sealed) == (3, ids[-1], True)
    assert audit_chain_verify().intact
    audit_record(action=AuditAction.SHARE_OPENED, patient_id=7)
    check = audit_chain_verify()
    assert (check.intact, check.rows) == (True, 4)
