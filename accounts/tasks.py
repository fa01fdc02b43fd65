"""Celery tasks of accounts: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task
def sign_ups_unfinished_delete_task() -> int:
    """Run by beat (CELERY_BEAT_SCHEDULE): sign-ups whose link expired free their usernames."""
    return services.sign_ups_unfinished_delete()
