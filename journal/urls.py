"""The journal's pages at /journal/: the dashboard, the timeline, medicines, doses, entries."""

from __future__ import annotations

from django.urls import path

from journal.views import checkin, courses, doses, entries, measurements, pages

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
    path("doses/<int:pk>/check-in/", checkin.checkin, name="checkin"),
    path("doses/<int:pk>/check-in/<slug:point>/", checkin.checkin_step, name="checkin-step"),
    path("entries/new/", entries.entry_create, name="entry-create"),
    path("entries/quick/", entries.entry_quick, name="entry-quick"),
    path("entries/serious/", entries.entry_serious, name="entry-serious"),
    path("entries/<int:pk>/undo/", entries.entry_undo, name="entry-undo"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("measurements/new/", measurements.measurement_create, name="measurement-create"),
    path("measurements/<int:pk>/", measurements.measurement_detail, name="measurement-detail"),
    path("measurements/<int:pk>/edit/", measurements.measurement_edit, name="measurement-edit"),
    path(
        "measurements/<int:pk>/delete/", measurements.measurement_delete, name="measurement-delete"
    ),
    path("doses/<int:pk>/clinic-session/", measurements.clinic_session, name="clinic-session"),
]
