from __future__ import annotations

from django.urls import path

from journal.api import views as api
from journal.api.checkin import DoseCheckInApi
from journal.api.measurements import (
    DoseClinicSessionApi,
    MeasurementDetailApi,
    MeasurementListApi,
)

app_name = "journal-api"

urlpatterns = [
    path("courses/", api.CourseListApi.as_view(), name="course-list"),
    path("courses/<int:pk>/", api.CourseDetailApi.as_view(), name="course-detail"),
    path("doses/", api.DoseListApi.as_view(), name="dose-list"),
    path("doses/<int:pk>/", api.DoseDetailApi.as_view(), name="dose-detail"),
    path("doses/<int:pk>/check-in/", DoseCheckInApi.as_view(), name="dose-checkin"),
    path(
        "doses/<int:pk>/clinic-session/",
        DoseClinicSessionApi.as_view(),
        name="dose-clinic-session",
    ),
    path("entries/", api.EntryListApi.as_view(), name="entry-list"),
    path("entries/<int:pk>/", api.EntryDetailApi.as_view(), name="entry-detail"),
    path("measurements/", MeasurementListApi.as_view(), name="measurement-list"),
    path("measurements/<int:pk>/", MeasurementDetailApi.as_view(), name="measurement-detail"),
]
