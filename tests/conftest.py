"""Fixtures shared by the whole suite.

Real services where Sidelog uses them: when `CI` is set, a test that needs PostgreSQL,
Redis or Chromium fails if it cannot reach them; elsewhere it is skipped with a reason.
"""

from __future__ import annotations

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests import factories

IN_CI = bool(os.environ.get("CI"))
CHROMIUM = "/usr/bin/chromium"


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        unavailable("REDIS_URL is not set")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {settings.REDIS_URL} is unreachable: {error}")
    return settings.REDIS_URL


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not shutil.which(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def content_editor(db: None) -> User:
    return factories.ContentEditorFactory.create()


def logged_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def editor_client(content_editor: User) -> Client:
    return logged_in_client(content_editor)
