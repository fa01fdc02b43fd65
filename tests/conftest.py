"""Fixtures and hooks for the whole suite; what tests import lives in tests/support.

Real services where Sidelog uses them: when `CI` is set, a test that needs PostgreSQL,
Redis or Chromium fails if it cannot reach them; elsewhere it is skipped with a reason
(tests/support/services.py).
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.test import Client
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from reference.selectors import library_copy_forget
from tests.support import factories
from tests.support.browser import CHROMIUM
from tests.support.clients import logged_in_client, token_client
from tests.support.services import unavailable

# The live server listens with socketserver's backlog of 5: fifty logins sent at once
# (tests/journal/test_login_limits.py) could then be reset before the server accepted them.
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits and lockouts counted in one test must not leak into the next, nor the
    process's copy of the library (a rolled-back test sends no save signal)."""
    cache.clear()
    library_copy_forget()


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_its_own(settings: Any) -> None:
    """Checkpoints written in one test (a committed transaction, a worker) must not count
    against the audit log of the next, which starts empty."""
    folder = Path(settings.AUDIT_CHECKPOINT_PATH).parent
    settings.AUDIT_CHECKPOINT_PATH = folder / f"checkpoints-{uuid.uuid4().hex}.jsonl"


@pytest.fixture
def postgres() -> None:
    """For what only PostgreSQL can show: row locks, parallel writers, its own SQL."""
    if connection.vendor != "postgresql":
        unavailable("This needs PostgreSQL: set DATABASE_URL=postgres://...")


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
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Keep a copy of what `migrate` put in the test database: the seeded library.

    Transactional tests (the browser ones) end with every table flushed; this copy puts the
    library back. It is kept on the connection class, not the instance, because code run
    under Playwright's event loop gets connection objects of its own.
    """
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = connection.creation.serialize_db_to_string()
            type(connection)._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Put the seeded library back after a transactional test has flushed every table.

    Django's own runner orders such tests last; under xdist they can run before others on
    the same worker, which would then find no drugs, side effects or groups.
    """
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return  # after the last test the test database is already gone
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                # Empty again first: without serialized_rollback, Django's flush has run
                # post_migrate, which remade groups and permissions under new ids.
                # Sequences keep counting, as after Django's own flush between tests.
                connection.ops.execute_sql_flush(
                    sql_flush(no_style(), connection, reset_sequences=False)
                )
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not shutil.which(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def content_editor(db: None) -> User:
    return factories.ContentEditorFactory.create()


@pytest.fixture
def patient(db: None) -> User:
    """The patient whose journal the tests look at: Pat, in London."""
    user: User = factories.PatientFactory.create(username="pat")
    return user


@pytest.fixture
def other_patient(db: None) -> User:
    """Another patient, who must never reach Pat's data."""
    user: User = factories.PatientFactory.create(username="olga")
    return user


@pytest.fixture
def caregiver(patient: User) -> User:
    """Cara, who keeps Pat's journal for Pat."""
    user: User = factories.CaregiverFactory.create(username="cara")
    factories.care_relationship(patient=patient, caregiver=user)
    return user


@pytest.fixture
def other_caregiver(other_patient: User) -> User:
    """Carl, who keeps Olga's journal and must never reach Pat's."""
    user: User = factories.CaregiverFactory.create(username="carl")
    factories.care_relationship(patient=other_patient, caregiver=user)
    return user


@pytest.fixture
def provider(patient: User) -> User:
    """Dr Okafor, with whom Pat shares all reports."""
    user: User = factories.ProviderFactory.create(username="dr_okafor")
    factories.provider_grant(patient=patient, provider=user)
    return user


@pytest.fixture
def former_provider(patient: User) -> User:
    """Dr Ruiz, whose access to Pat's reports Pat has revoked."""
    user: User = factories.ProviderFactory.create(username="dr_ruiz")
    factories.provider_grant(patient=patient, provider=user, revoked=True)
    return user


@pytest.fixture
def patient_client(patient: User) -> Client:
    return logged_in_client(patient)


@pytest.fixture
def other_patient_client(other_patient: User) -> Client:
    return logged_in_client(other_patient)


@pytest.fixture
def editor_client(content_editor: User) -> Client:
    return logged_in_client(content_editor)


@pytest.fixture
def api(patient: User) -> APIClient:
    """Pat's API client, with a token as the apps send it."""
    return token_client(patient)


# Figures tests record with `record_property(<name>, line)`, printed under a title.
SUMMARY_SECTIONS = {
    "schemathesis": "API fuzzing",
    "guard_corpus": "Dosing-advice guard corpus",
}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """What schemathesis tried (operations and generated cases) and how the dosing-advice
    guard did on its labelled corpora, printed after every run."""
    reports = [
        report
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        if report.when == "call"
    ]
    for property_name, title in SUMMARY_SECTIONS.items():
        lines = [
            value
            for report in reports
            for name, value in report.user_properties
            if name == property_name
        ]
        if lines:
            terminalreporter.section(title)
            for line in sorted(lines):
                terminalreporter.write_line(line)
