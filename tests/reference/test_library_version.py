"""An editor's save reaches every process at once: each keeps copies of the library (the
rules entries are checked against, the public pages) under the library's version in the
shared cache, which a save or delete replaces once it commits. Two `LibraryCopies` stand for
two worker processes sharing one cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from reference import selectors
from reference.models import Drug, SideEffect
from tests.support.services import DEAD_REDIS_CACHES

pytestmark = pytest.mark.django_db

Commit = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks


def as_process(monkeypatch: pytest.MonkeyPatch, process: selectors.LibraryCopies) -> None:
    """Run what follows as `process` would: its copies are the ones used and forgotten."""
    monkeypatch.setattr(selectors, "this_process", process)


def test_a_symptom_an_editor_unpublishes_leaves_every_process_once_committed(
    django_capture_on_commit_callbacks: Commit,
) -> None:
    editors, workers = selectors.LibraryCopies(), selectors.LibraryCopies()
    assert "constipation" in workers.library().side_effects
    assert "constipation" in editors.library().side_effects

    constipation = SideEffect.objects.get(slug="constipation")
    constipation.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        constipation.save()
        # Until the change commits, another process keeps the library it had.
        assert "constipation" in workers.library().side_effects

    assert "constipation" not in workers.library().side_effects
    assert "constipation" not in editors.library().side_effects


def test_a_drug_page_shows_an_edit_made_in_another_process_on_the_next_request(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Commit
) -> None:
    editors, readers = selectors.LibraryCopies(), selectors.LibraryCopies()
    as_process(monkeypatch, readers)
    assert "Ask about the Sidelog test" not in client.get("/drugs/esketamine/").text

    as_process(monkeypatch, editors)
    esketamine = Drug.objects.get(slug="esketamine")
    esketamine.summary = "Ask about the Sidelog test."
    with django_capture_on_commit_callbacks(execute=True):
        esketamine.save()

    as_process(monkeypatch, readers)
    assert "Ask about the Sidelog test." in client.get("/drugs/esketamine/").text


def test_a_request_reads_the_version_once() -> None:
    with selectors.library_version_held():
        version = selectors.library_version()
        # Another process's edit lands mid-request: this request keeps the version it read.
        selectors.cache.set(selectors.LIBRARY_VERSION_KEY, "another")
        assert selectors.library_version() == version
    assert selectors.library_version() == "another"


@override_settings(CACHES=DEAD_REDIS_CACHES)
def test_with_the_shared_cache_down_a_copy_lasts_a_minute() -> None:
    seconds = [1000.0]
    workers = selectors.LibraryCopies(clock=lambda: seconds[0])
    assert selectors.library_version_read() is None
    assert "constipation" in workers.library().side_effects
    SideEffect.objects.filter(slug="constipation").update(is_published=False)

    seconds[0] += selectors.LIBRARY_COPY_SECONDS - 5
    assert "constipation" in workers.library().side_effects
    seconds[0] += 10
    assert "constipation" not in workers.library().side_effects
