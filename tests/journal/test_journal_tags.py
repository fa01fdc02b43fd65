"""The journal's template helpers give what Django would."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from journal.templatetags.journal_tags import path_of

ROUTES = ["journal:entry-detail", "journal:dose-edit", "journal:checkin"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("pk", [1, 42, 987654321, 2**63 - 1])
def test_an_items_path_is_the_one_django_reverses(route: str, pk: int) -> None:
    assert path_of(route, pk) == reverse(route, args=[pk])


@override_settings(FORCE_SCRIPT_NAME="/sidelog/")
def test_an_items_path_keeps_the_script_prefix_sidelog_is_served_under() -> None:
    set_script_prefix("/sidelog/")
    try:
        assert path_of("journal:entry-detail", 7) == "/sidelog/journal/entries/7/"
        assert path_of("journal:entry-detail", 7) == reverse("journal:entry-detail", args=[7])
    finally:
        clear_script_prefix()
