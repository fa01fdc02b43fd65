from __future__ import annotations

from django.urls import path, re_path

from reports import api

app_name = "reports-api"

urlpatterns = [
    path("reports/", api.ReportListApi.as_view(), name="report-list"),
    path("reports/<int:pk>/", api.ReportDetailApi.as_view(), name="report-detail"),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/(?P<kind>pdf|csv|fhir)$",
        api.ReportFileApi.as_view(),
        name="report-file",
    ),
]
