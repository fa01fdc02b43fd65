from __future__ import annotations

from django.urls import path

from reference import views

app_name = "reference"

urlpatterns = [
    path("", views.home, name="home"),
    path("drugs/", views.drug_list, name="drug-list"),
    path("drugs/<slug:slug>/", views.drug_detail, name="drug-detail"),
    path("side-effects/", views.side_effect_list, name="side-effect-list"),
    path("side-effects/<slug:slug>/", views.side_effect_detail, name="side-effect-detail"),
]
