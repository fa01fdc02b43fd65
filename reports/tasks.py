"""Celery tasks: thin wrappers that load ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from reports import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def report_build_task(report_id: int) -> None:
    services.report_build(report_id=report_id)


@shared_task
def report_requeue_stale_task() -> None:
    services.report_requeue_stale()
