"""Celery tasks: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task

from audit import services


@shared_task
def audit_checkpoint_task() -> None:
    """Beat's daily checkpoint of the chain head, beside the one every N rows."""
    services.audit_checkpoint_write()
