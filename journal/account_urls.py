"""Accounts at /accounts/: ours first, then Django's auth views under their usual names."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from journal.views import accounts, care, privacy, providers

urlpatterns: list[URLPattern | URLResolver] = [
    path("signup/", accounts.signup, name="signup"),
    path("settings/", accounts.account_settings, name="account-settings"),
    path("signup/provider/", providers.provider_signup, name="provider-signup"),
    path("provider/invite/<str:token>/", providers.provider_invitation, name="provider-invitation"),
    path("caregiver/invite/<str:token>/", care.caregiver_invitation, name="caregiver-invitation"),
    path("export/", privacy.data_export, name="data-export"),
    path("delete/", privacy.account_delete, name="account-delete"),
    # These replace Django's views of the same names (the first match wins).
    path("login/", accounts.LoginView.as_view(), name="login"),
    # Own template names, so the admin keeps its own password change pages.
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/account_password_change.html"
        ),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/account_password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
