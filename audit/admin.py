"""The audit log in the admin: read-only, for superusers only.

Content editors work in the admin and must see no journal data, so no model of the journal,
accounts, reports or sharing apps is registered there, and the audit log (keys and labels,
no health data, but still who opened whose reports) is shown to superusers alone. Nobody,
superusers included, may add, change or delete an audit row here: the log "cannot be
edited or deleted through the application or the admin".
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = [
        "created_at",
        "actor_label",
        "action",
        "target",
        "patient_key",
        "actor_key",
        "share_link_key",
        "ip_address",
        "outcome",
        "redacted_at",
    ]
    list_filter = ["action", "outcome", ("redacted_at", admin.EmptyFieldListFilter)]
    search_fields = ["actor_label", "target", "ip_address"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    readonly_fields = [*AuditEvent.HASHED, "row_hash", "redacted_at", "redaction_hash"]
    # Counting every row of a long log on each page is slow and tells nobody anything.
    show_full_result_count = False
    actions = None  # not even "delete selected"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
