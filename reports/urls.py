"""A patient's reports at /journal/reports/: asking for one, its page, its files."""

from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/retry/", views.report_retry, name="report-retry"),
    path("<int:pk>/status/", views.report_status, name="report-status"),
    path("<int:pk>/name/", views.report_rename, name="report-rename"),
    path("<int:pk>/delete/", views.report_delete, name="report-delete"),
    path("<int:pk>/<str:kind>/", views.report_download, name="report-download"),
]
