"""`/api/v1/profile/`: the patient's time zone and country, whose numbers red flags give."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from accounts.models import Profile

pytestmark = pytest.mark.django_db


def test_it_gives_the_zone_the_country_and_its_help_numbers(api: APIClient, patient: User) -> None:
    Profile.objects.filter(user=patient).update(country="GB")

    body = api.get("/api/v1/profile/").json()

    assert body["time_zone"] == "Europe/London"
    assert body["country"] == "GB"
    assert body["help_lines"]["emergency"] == "999"
    assert "116 123" in body["help_lines"]["crisis_line"]


def test_patching_the_country_changes_the_numbers_in_red_flags(api: APIClient) -> None:
    response = api.patch("/api/v1/profile/", {"country": "DE"}, format="json")
    entry = api.post(
        "/api/v1/entries/",
        {
            "side_effect": "chest-pain",
            "onset_at": "2026-01-05T10:00:00Z",
            "severity": 1,
            "interference": 0,
        },
        format="json",
    ).json()

    assert response.status_code == 200
    assert response.json()["country"] == "DE"
    assert response.json()["time_zone"] == "Europe/London"  # left out: unchanged
    assert "Call 112 now" in entry["red_flags"][0]["guidance"]


def test_an_empty_country_means_the_country_of_the_time_zone(api: APIClient) -> None:
    response = api.patch(
        "/api/v1/profile/", {"country": "", "time_zone": "Europe/Madrid"}, format="json"
    )

    assert response.json()["country"] == "ES"
    assert response.json()["help_lines"]["emergency"] == "112"


def test_a_country_without_numbers_in_sidelog_has_no_help_lines(api: APIClient) -> None:
    body = api.patch("/api/v1/profile/", {"country": "PT"}, format="json").json()

    assert body["country"] == "PT"
    assert body["help_lines"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": 49}, "country"),
        ({"time_zone": "Mars/Base"}, "time_zone"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    api: APIClient, patient: User, body: dict[str, object], field: str
) -> None:
    response = api.patch("/api/v1/profile/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    profile = Profile.objects.get(user=patient)
    assert (profile.country, profile.time_zone) == ("", "Europe/London")


def test_it_is_only_for_patients(provider: User) -> None:
    client = APIClient()
    client.force_authenticate(provider)

    assert client.get("/api/v1/profile/").status_code == 404
    assert client.put("/api/v1/profile/", {}, format="json").status_code == 405
