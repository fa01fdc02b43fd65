from __future__ import annotations

from django.urls import path

from audit import api

app_name = "audit-api"

urlpatterns = [
    path("audit/", api.AuditListApi.as_view(), name="audit-list"),
]
