"""The main navigation: the four things each person does most in view, the rest behind
"Menu" (a <details>, so it opens without JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.support.clients import acting_for, logged_in_client, visitor

pytestmark = pytest.mark.django_db


def navigation(client: Client, path: str = "/drugs/") -> tuple[list[str], list[str]]:
    """The links in view and those behind "Menu"."""
    nav = client.get(path).text.split('<nav aria-label="Main"')[1].split("</nav>")[0]
    primary, _, menu = nav.partition('<details class="nav-menu">')
    return re.findall(r">([^<>]+)</a>", primary), re.findall(r">([^<>]+)</(?:a|button)>", menu)


def test_a_patient_sees_journal_log_timeline_and_reports(patient_client: Client) -> None:
    primary, menu = navigation(patient_client)

    assert primary == ["Journal", "Log", "Timeline", "Reports"]
    assert menu == ["Sharing", "Drugs", "Side effects", "Account", "Log out"]


def test_a_provider_sees_what_is_shared_with_them(provider: User) -> None:
    primary, menu = navigation(logged_in_client(provider))

    assert primary == ["Shared with me", "Drugs", "Side effects"]
    assert menu == ["Log out"]


def test_a_caregiver_sees_the_journals_they_keep(patient: User, caregiver: User) -> None:
    client = logged_in_client(caregiver)
    assert navigation(client) == (["Caring for", "Drugs", "Side effects"], ["Log out"])

    primary, menu = navigation(acting_for(client, patient))
    assert primary == ["Journal", "Log", "Timeline", "Reports"]
    assert "Sharing" not in menu and "Caring for" in menu


def test_a_content_editor_sees_the_library_and_the_admin(content_editor: User) -> None:
    primary, menu = navigation(logged_in_client(content_editor))

    assert primary == ["Drugs", "Side effects", "Admin"]
    assert menu == ["Log out"]


def test_a_visitor_sees_the_library_and_how_to_start() -> None:
    primary, menu = navigation(visitor())

    assert primary == ["Drugs", "Side effects", "Log in", "Sign up"]
    assert menu == []
