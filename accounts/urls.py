"""Our account pages at /accounts/: signing up as a patient or a provider, finishing it from
the emailed link, settings and the API tokens listed there."""

from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/provider/", views.provider_signup, name="provider-signup"),
    # Opened from emails: finishing a sign-up, confirming a new address.
    path("signup/finish/<str:token>/", views.signup_finish, name="signup-finish"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/email/<str:token>/", views.email_confirm, name="email-confirm"),
    path("settings/tokens/<int:pk>/end/", views.api_token_end, name="api-token-end"),
    path("settings/tokens/end-all/", views.api_tokens_end_all, name="api-tokens-end-all"),
]
