"""A caregiver's pages: whose journal they keep, and switching into it."""

from __future__ import annotations

from django.urls import path

from journal.views import care

urlpatterns = [
    path("", care.care_home, name="care-home"),
    path("switch/<int:patient_id>/", care.care_switch, name="care-switch"),
    path("leave/", care.care_leave, name="care-leave"),
]
