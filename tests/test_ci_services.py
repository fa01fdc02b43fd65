"""In CI the suite must run against the real engines, never a silent fallback."""

from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(not os.environ.get("CI"), reason="only CI must use PostgreSQL")


@pytest.mark.django_db
def test_ci_runs_against_postgresql() -> None:
    assert connection.vendor == "postgresql"


def test_ci_runs_against_redis(redis_url: str) -> None:
    assert redis_url.startswith("redis://")
