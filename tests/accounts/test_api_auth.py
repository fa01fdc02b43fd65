from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import ApiToken, api_token_secret_hash
from journal.models import SymptomEntry
from reference.safety import find_dosage_advice
from tests.support.factories import PASSWORD, EntryFactory
from tests.support.services import DEAD_REDIS_CACHES, DEAD_REDIS_URL

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no requests counted against the sign-in rate limit."""
    monkeypatch.setattr(ScopedRateThrottle, "cache", LocMemCache(str(uuid.uuid4()), {}))


def sign_in(client: APIClient, username: str, password: str) -> tuple[int, dict[str, object]]:
    response = client.post(TOKEN_URL, {"username": username, "password": password}, format="json")
    return response.status_code, response.json()


def test_a_patient_swaps_their_password_for_a_token(patient: User) -> None:
    status, body = sign_in(APIClient(), "pat", PASSWORD)

    assert status == 200
    stored = ApiToken.objects.get(user=patient)
    key_id, secret = str(body["token"]).split(".")
    assert (stored.key_id, stored.secret_hash) == (key_id, api_token_secret_hash(secret))
    assert body["id"] == stored.pk
    assert body["name"] == "API token"


def test_signing_in_again_gives_a_new_token_and_both_work(patient: User) -> None:
    _, first = sign_in(APIClient(), "pat", PASSWORD)
    _, second = sign_in(APIClient(), "pat", PASSWORD)

    assert first["token"] != second["token"]
    assert ApiToken.objects.filter(user=patient).count() == 2
    for body in (first, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
        assert client.get("/api/v1/profile/").status_code == 200


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(patient: User) -> None:
    wrong_password = sign_in(APIClient(), "pat", "not the password")
    unknown_user = sign_in(APIClient(), "nobody", PASSWORD)

    assert wrong_password == unknown_user
    assert wrong_password[0] == 400
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(db: None) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "pat"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()


def test_an_inactive_user_gets_no_token(patient: User) -> None:
    patient.is_active = False
    patient.save()

    status, _ = sign_in(APIClient(), "pat", PASSWORD)

    assert status == 400
    assert not ApiToken.objects.exists()


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(
    patient: User,
) -> None:
    client = APIClient()
    answers = [sign_in(client, "pat", f"guess {n}") for n in range(6)]
    locked = sign_in(client, "pat", PASSWORD)

    assert [status for status, _ in answers[:4]] == [400] * 4
    assert answers[5] == (403, {"detail": "Too many failed attempts; try again later."})
    assert locked == (403, {"detail": "Too many failed attempts; try again later."})
    assert AccessAttempt.objects.filter(username="pat").exists()
    assert not ApiToken.objects.exists()


def test_a_success_clears_earlier_failures(patient: User) -> None:
    client = APIClient()
    for n in range(4):
        sign_in(client, "pat", f"guess {n}")
    assert sign_in(client, "pat", PASSWORD)[0] == 200

    after = [sign_in(client, "pat", f"again {n}")[0] for n in range(4)]

    assert after == [400] * 4
    assert sign_in(client, "pat", PASSWORD)[0] == 200


def test_the_sign_in_endpoint_is_rate_limited(patient: User) -> None:
    client = APIClient()
    statuses = [sign_in(client, "pat", PASSWORD)[0] for _ in range(21)]

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_a_token_works_and_a_session_is_not_needed(patient: User) -> None:
    EntryFactory.create(patient=patient)
    _, body = sign_in(APIClient(), "pat", PASSWORD)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")

    response = client.get("/api/v1/entries/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_whole_journey_with_a_token(patient: User) -> None:
    """Token, esketamine course, a dose last July, a dissociation after it, the list."""
    year = timezone.now().year - 1
    client = APIClient()
    _, signed_in = sign_in(client, "pat", PASSWORD)
    client.credentials(HTTP_AUTHORIZATION=f"Token {signed_in['token']}")

    course = client.post(
        "/api/v1/courses/",
        {
            "drug": "esketamine",
            "started_on": f"{year}-06-01",
            "route": "nasal",
            "regimen": "84 mg twice a week in clinic",
        },
        format="json",
    )
    dose = client.post(
        "/api/v1/doses/",
        {"course": course.json()["id"], "taken_at": f"{year}-07-01T10:00:00", "setting": "clinic"},
        format="json",
    )
    entry = client.post(
        "/api/v1/entries/",
        {
            "side_effect": "dissociation",
            "onset_at": f"{year}-07-01T10:20:00",
            "resolved_at": f"{year}-07-01T11:45:00",
            "severity": 4,
            "interference": 4,
            "notes": "Felt far away from my body",
        },
        format="json",
    )
    listed = client.get("/api/v1/entries/", {"from": f"{year}-07-01", "to": f"{year}-07-01"})

    assert (course.status_code, dose.status_code, entry.status_code) == (201, 201, 201)
    assert dose.json()["taken_at"] == f"{year}-07-01T10:00:00+01:00"
    assert listed.status_code == 200
    [shown] = listed.json()["results"]
    assert shown["id"] == entry.json()["id"]
    assert shown["side_effect"] == "dissociation"
    assert shown["dose"] == dose.json()["id"]
    assert shown["dose_suggested"] == dose.json()["id"]
    assert shown["onset_at"] == f"{year}-07-01T10:20:00+01:00"
    assert shown["resolved_at"] == f"{year}-07-01T11:45:00+01:00"
    assert shown["severity_label"] == "Very severe"
    assert shown["logged_by"] == "pat"
    assert shown["red_flags"]
    assert shown["red_flags"][0]["action"] == "prescriber_today"
    stored = SymptomEntry.objects.get(pk=shown["id"])
    assert stored.onset_at == datetime(year, 7, 1, 10, 20, tzinfo=LONDON)
    assert stored.dose is not None
    assert stored.onset_at - stored.dose.taken_at == timedelta(minutes=20)


# The OpenAPI schema


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def test_the_schema_lists_every_journal_endpoint_and_method(schema: dict[str, Any]) -> None:
    paths = schema["paths"]

    assert set(paths[TOKEN_URL]) == {"post", "delete"}
    assert set(paths["/api/v1/auth/tokens/"]) == {"get"}
    assert set(paths["/api/v1/auth/tokens/{id}/"]) == {"delete"}
    for resource in ("courses", "doses", "entries"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{resource}/"])
        assert {"get", "put", "patch", "delete"} <= set(paths[f"/api/v1/{resource}/{{id}}/"])


def test_the_schema_describes_entries_with_red_flags_and_the_suggested_dose(
    schema: dict[str, Any],
) -> None:
    components = schema["components"]["schemas"]
    entry = components["EntryOutput"]["properties"]
    entries_page = schema["paths"]["/api/v1/entries/"]["get"]["responses"]["200"]

    assert {"red_flags", "dose_suggested", "severity_label", "logged_by"} <= set(entry)
    assert entry["red_flags"]["items"] == {"$ref": "#/components/schemas/RedFlagOutput"}
    assert set(components["RedFlagOutput"]["properties"]) == {
        "action",
        "action_label",
        "signs",
        "guidance",
    }
    assert {"side_effect", "onset_at", "severity", "dose"} <= set(
        components["EntryInputRequest"]["properties"]
    )
    assert entries_page["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedEntryOutputList"
    }


def test_the_schema_documents_the_filters_and_token_auth(schema: dict[str, Any]) -> None:
    listing = schema["paths"]["/api/v1/entries/"]["get"]
    token = schema["paths"][TOKEN_URL]["post"]

    assert {"from", "to", "side_effect", "course", "page"} <= {
        p["name"] for p in listing["parameters"]
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert {"tokenAuth": []} in listing["security"]
    assert token.get("security") in (None, [], [{}])


def test_nothing_in_the_schema_reads_as_dosing_advice(schema: dict[str, Any]) -> None:
    def texts(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [
                v for k, v in node.items() if k in ("description", "summary") and isinstance(v, str)
            ]
            return found + [text for value in node.values() for text in texts(value)]
        if isinstance(node, list):
            return [text for value in node for text in texts(value)]
        return []

    descriptions = texts(schema)

    assert len(descriptions) > 50
    assert [text for text in descriptions if find_dosage_advice(text)] == []


def test_with_redis_down_a_token_is_still_given_and_a_wrong_password_refused(
    patient: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = DEAD_REDIS_CACHES
    monkeypatch.setattr(ScopedRateThrottle, "cache", RedisCache(DEAD_REDIS_URL, {}))

    wrong_status, wrong = sign_in(APIClient(), "pat", "not-the-password")
    right_status, right = sign_in(APIClient(), "pat", PASSWORD)

    assert (wrong_status, right_status) == (400, 200)
    assert "token" not in wrong
    assert right["id"] == ApiToken.objects.get(user=patient).pk
