"""Beat runs `reminders_send_due_task` every minute (config/settings.py)."""

from __future__ import annotations

from celery import shared_task

from reminders.services import reminders_send_due


@shared_task
def reminders_send_due_task() -> int:
    return reminders_send_due()
