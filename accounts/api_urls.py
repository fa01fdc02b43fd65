from __future__ import annotations

from django.urls import path

from accounts import api

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("auth/tokens/", api.TokenListApi.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", api.TokenDetailApi.as_view(), name="token-detail"),
    path("profile/", api.ProfileApi.as_view(), name="profile"),
]
