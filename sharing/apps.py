from __future__ import annotations

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self) -> None:
        from reports.changes import report_deleting
        from sharing.receivers import report_deleted_unshare

        report_deleting.connect(report_deleted_unshare, dispatch_uid="sharing-report-deleted")
