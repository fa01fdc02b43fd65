from __future__ import annotations

from django.urls import path

from questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("schedule/", views.schedule, name="schedule"),
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    path("<slug:slug>/", views.questionnaire_fill, name="fill"),
    path("<slug:slug>/responses/", views.questionnaire_history, name="history"),
]
