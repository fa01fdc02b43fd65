"""Entries are checked against each process's copy of the library (side effects, red-flag
rules). An editor's save reaches the next entry logged in that process at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import SymptomEntry
from reference.models import RedFlag, SideEffect
from tests.support.factories import RedFlagFactory, seeded_side_effect

pytestmark = pytest.mark.django_db


def log(api: APIClient, slug: str, severity: int = 2) -> tuple[int, dict]:
    onset = timezone.now() - timedelta(hours=1)
    body = {"side_effect": slug, "onset_at": onset.isoformat(), "severity": severity}
    response = api.post("/api/v1/entries/", {**body, "interference": 1}, format="json")
    return response.status_code, response.json()


def test_a_symptom_unpublished_by_an_editor_cannot_be_logged_from_the_next_request(
    api: APIClient, patient: User
) -> None:
    assert log(api, "constipation")[0] == 201  # the copy now holds constipation

    constipation = SideEffect.objects.get(slug="constipation")
    constipation.is_published = False
    constipation.save()
    status, body = log(api, "constipation")

    assert status == 400
    assert body["side_effect"] == ["Not found in Sidelog's library."]
    assert SymptomEntry.objects.filter(patient=patient).count() == 1


def test_a_red_flag_rule_an_editor_adds_shows_on_the_next_entry(api: APIClient) -> None:
    assert log(api, "constipation", severity=2)[1]["red_flags"] == []

    RedFlagFactory.create(
        side_effect=seeded_side_effect("constipation"),
        min_severity=2,
        action=RedFlag.Action.PRESCRIBER_TODAY,
        guidance="Call your prescriber's office today and say how long it has lasted.",
    )
    status, body = log(api, "constipation", severity=2)

    assert status == 201
    assert [flag["guidance"] for flag in body["red_flags"]] == [
        "Call your prescriber's office today and say how long it has lasted."
    ]


def test_an_entry_of_a_symptom_unpublished_since_still_shows_its_name(
    api: APIClient, patient_client: Client
) -> None:
    assert log(api, "constipation")[0] == 201
    constipation = SideEffect.objects.get(slug="constipation")
    constipation.is_published = False
    constipation.save()

    assert "Constipation" in patient_client.get("/journal/timeline/").text
    assert "Constipation" in patient_client.get("/journal/").text
    [listed] = api.get("/api/v1/entries/").json()["results"]
    assert listed["side_effect"] == "constipation"
