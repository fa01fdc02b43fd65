"""The patient's own data, under /accounts/: download all of it, delete the account."""

from __future__ import annotations

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("export/", views.data_export, name="data-export"),
    path("delete/", views.account_delete, name="account-delete"),
]
