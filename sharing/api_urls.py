from __future__ import annotations

from django.urls import path, re_path

from sharing.api import providers, share_links

app_name = "sharing-api"

urlpatterns = [
    path("reports/<int:pk>/shares/", share_links.ShareLinkListApi.as_view(), name="share-list"),
    path("shares/<int:pk>/", share_links.ShareLinkDetailApi.as_view(), name="share-detail"),
    path("provider/reports/", providers.SharedReportListApi.as_view(), name="provider-report-list"),
    path(
        "provider/reports/<int:pk>/",
        providers.SharedReportDetailApi.as_view(),
        name="provider-report-detail",
    ),
    re_path(
        r"^provider/reports/(?P<pk>[0-9]+)/(?P<kind>pdf|csv|fhir)$",
        providers.SharedReportFileApi.as_view(),
        name="provider-report-file",
    ),
]
