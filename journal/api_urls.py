from __future__ import annotations

from django.urls import path, re_path

from journal.api import audit, provider, reports, shares
from journal.api import views as api

app_name = "journal-api"

urlpatterns = [
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("profile/", api.ProfileApi.as_view(), name="profile"),
    path("courses/", api.CourseListApi.as_view(), name="course-list"),
    path("courses/<int:pk>/", api.CourseDetailApi.as_view(), name="course-detail"),
    path("doses/", api.DoseListApi.as_view(), name="dose-list"),
    path("doses/<int:pk>/", api.DoseDetailApi.as_view(), name="dose-detail"),
    path("entries/", api.EntryListApi.as_view(), name="entry-list"),
    path("entries/<int:pk>/", api.EntryDetailApi.as_view(), name="entry-detail"),
    path("reports/", reports.ReportListApi.as_view(), name="report-list"),
    path("reports/<int:pk>/", reports.ReportDetailApi.as_view(), name="report-detail"),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/(?P<kind>pdf|csv|fhir)$",
        reports.ReportFileApi.as_view(),
        name="report-file",
    ),
    path("provider/reports/", provider.SharedReportListApi.as_view(), name="provider-report-list"),
    path(
        "provider/reports/<int:pk>/",
        provider.SharedReportDetailApi.as_view(),
        name="provider-report-detail",
    ),
    re_path(
        r"^provider/reports/(?P<pk>[0-9]+)/(?P<kind>pdf|csv|fhir)$",
        provider.SharedReportFileApi.as_view(),
        name="provider-report-file",
    ),
    path("audit/", audit.AuditListApi.as_view(), name="audit-list"),
    path("reports/<int:pk>/shares/", shares.ShareLinkListApi.as_view(), name="share-list"),
    path("shares/<int:pk>/", shares.ShareLinkDetailApi.as_view(), name="share-detail"),
]
