from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(client: Client, settings: Settings) -> None:
    settings.REDIS_URL = ""

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_health_reports_redis_when_configured(client: Client, redis_url: str) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_health_fails_when_redis_is_unreachable(client: Client, settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unreachable"
