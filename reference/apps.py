from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = "Reference library"

    def ready(self) -> None:
        from reference.services import content_editors_group_sync

        # After migrate, when the reference models' permissions exist.
        post_migrate.connect(content_editors_group_sync, sender=self)
