from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = "Reference library"

    def ready(self) -> None:
        from reference.models import (
            DangerSign,
            Drug,
            DrugSideEffect,
            MeasurementRule,
            RedFlag,
            SideEffect,
        )
        from reference.selectors import library_changed
        from reference.services import content_editors_group_sync

        # After migrate, when the reference models' permissions exist.
        post_migrate.connect(content_editors_group_sync, sender=self)
        m2m_changed.connect(
            library_changed,
            sender=RedFlag.danger_signs.through,
            dispatch_uid="library-copy-red-flag-danger-signs",
        )
        for model in (RedFlag, SideEffect, Drug, DangerSign, DrugSideEffect, MeasurementRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    library_changed,
                    sender=model,
                    dispatch_uid=f"library-copy-{model._meta.label}",
                )
