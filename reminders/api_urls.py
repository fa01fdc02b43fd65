from __future__ import annotations

from django.urls import path

from reminders import api

app_name = "reminders-api"

urlpatterns = [
    path("reminders/", api.ReminderListApi.as_view(), name="reminder-list"),
    path("reminders/settings/", api.ReminderSettingsApi.as_view(), name="reminder-settings"),
]
