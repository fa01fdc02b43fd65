from __future__ import annotations

from django.urls import path

from reference import api

app_name = "reference-api"

urlpatterns = [
    path("drugs/", api.DrugListApi.as_view(), name="drug-list"),
    path("drugs/<slug:slug>/", api.DrugDetailApi.as_view(), name="drug-detail"),
    path("side-effects/", api.SideEffectListApi.as_view(), name="side-effect-list"),
    path("side-effects/<slug:slug>/", api.SideEffectDetailApi.as_view(), name="side-effect-detail"),
]
