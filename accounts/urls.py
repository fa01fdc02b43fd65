"""Our account pages at /accounts/: signing up as a patient or a provider, and settings."""

from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/provider/", views.provider_signup, name="provider-signup"),
    path("settings/", views.account_settings, name="settings"),
]
