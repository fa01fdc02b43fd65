from __future__ import annotations

from django.urls import path

from journal.views import (
    care,
    courses,
    doses,
    entries,
    pages,
    privacy,
    providers,
    reports,
    shares,
    sharing,
)

app_name = "journal"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("timeline/", pages.timeline, name="timeline"),
    path("courses/", courses.course_list, name="course-list"),
    path("courses/new/", courses.course_create, name="course-create"),
    path("courses/<int:pk>/", courses.course_edit, name="course-edit"),
    path("courses/<int:pk>/delete/", courses.course_delete, name="course-delete"),
    path("courses/<int:pk>/taken-now/", doses.dose_taken_now, name="dose-taken-now"),
    path("doses/new/", doses.dose_create, name="dose-create"),
    path("doses/<int:pk>/", doses.dose_edit, name="dose-edit"),
    path("doses/<int:pk>/delete/", doses.dose_delete, name="dose-delete"),
    path("doses/<int:pk>/check-in/", doses.checkin, name="checkin"),
    path("entries/new/", entries.entry_create, name="entry-create"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<int:pk>/shares/", shares.share_create, name="share-create"),
    path("shares/<int:pk>/revoke/", shares.share_revoke, name="share-revoke"),
    path("sharing/", sharing.sharing_overview, name="sharing"),
    path("sharing/providers/", providers.grant_create, name="grant-create"),
    path("sharing/providers/<int:pk>/revoke/", providers.grant_revoke, name="grant-revoke"),
    path("sharing/caregivers/", care.caregiver_invite, name="caregiver-invite"),
    path("sharing/caregivers/<int:pk>/end/", care.caregiver_end, name="caregiver-end"),
    path("audit/", privacy.audit_page, name="audit"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/retry/", reports.report_retry, name="report-retry"),
    path("reports/<int:pk>/status/", reports.report_status, name="report-status"),
    path(
        "reports/<int:pk>/<str:kind>/",
        reports.report_download,
        name="report-download",
    ),
]
