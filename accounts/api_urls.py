from __future__ import annotations

from django.urls import path

from accounts import api

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("profile/", api.ProfileApi.as_view(), name="profile"),
]
