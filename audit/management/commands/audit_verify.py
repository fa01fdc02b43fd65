"""Check the audit log's hash chain: `python manage.py audit_verify`.

Prints whether the chain is intact and, if not, the first row that does not add up. Exits
with status 1 when the chain is broken, so that a cron job or a monitor can alert on it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_chain_verify


def _describe(event: AuditEvent) -> str:
    return f"row {event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S} UTC, {event.action})"


def _head_mismatch() -> str:
    """The rows check out one by one, but the chain head names another newest row."""
    head = AuditChainHead.objects.get(pk=1)
    named = AuditEvent.objects.filter(row_hash=head.last_hash).first()
    if named is not None:
        added = AuditEvent.objects.filter(pk__gt=named.pk).order_by("pk").first()
        if added is not None:
            return (
                f"The audit chain is broken at {_describe(added)}: it and the rows after it "
                f"were added behind Sidelog's back (the chain ends at row {named.pk})."
            )
    last = AuditEvent.objects.order_by("-pk").first()
    after = f"after {_describe(last)}" if last is not None else "(no row is left)"
    return f"The audit chain is broken: its newest rows were removed {after}."


class Command(BaseCommand):
    help = "Check that no audit row was changed, removed or inserted; exit 1 if one was."

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_chain_verify()
        if check.broken_at is None:
            self.stdout.write(f"The audit chain is intact: {check.rows} rows checked.")
            return
        if check.broken_at == -1:
            raise CommandError(_head_mismatch())
        event = AuditEvent.objects.get(pk=check.broken_at)
        raise CommandError(
            f"The audit chain is broken at {_describe(event)}: this row was changed, or the "
            "row before it was removed or inserted."
        )
