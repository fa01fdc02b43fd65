from __future__ import annotations

from django.urls import path

from questionnaires import api

app_name = "questionnaires-api"

urlpatterns = [
    path("questionnaires/", api.QuestionnaireListApi.as_view(), name="questionnaire-list"),
    path(
        "questionnaires/<slug:slug>/responses/",
        api.QuestionnaireResponseListApi.as_view(),
        name="response-list",
    ),
]
