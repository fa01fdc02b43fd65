"""Reminder pages: settings at /accounts/reminders/, check-in links at /r/<token>/."""

from __future__ import annotations

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("accounts/reminders/", views.reminder_settings, name="settings"),
    path("r/<str:token>/", views.checkin_link, name="checkin-link"),
    path("r/<str:token>/steps/", views.checkin_link_steps, name="checkin-link-steps"),
    path("r/<str:token>/flag/<int:pk>/", views.checkin_link_flag, name="checkin-link-flag"),
    path("r/<str:token>/<str:point>/", views.checkin_link, name="checkin-link-step"),
]
