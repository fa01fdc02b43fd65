"""A provider's own pages: the patients who shared with them and those reports."""

from __future__ import annotations

from django.urls import path

from journal.views import providers

urlpatterns = [
    path("", providers.provider_home, name="provider-home"),
    path("reports/<int:pk>/", providers.provider_report, name="provider-report"),
    path("reports/<int:pk>/<str:kind>/", providers.provider_download, name="provider-download"),
]
