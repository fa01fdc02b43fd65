from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # The journal never imports reminders: doses reach them through model signals.
        from reminders import signals

        signals.connect()
