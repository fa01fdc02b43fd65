"""The journal's template helpers give what Django would."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy

from journal.templatetags.journal_tags import item_html, items_joined, path_of

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


# What a patient types, or Sidelog writes, that an item shows: markup, quotes and ampersands
# to escape, a lazy translation, numbers, a part already made safe, and nothing at all.
ARGUMENTS = [
    '<script>alert("x")</script>',
    "Tom's & Jerry's",
    gettext_lazy("Mild"),
    3,
    2.5,
    mark_safe('<span class="tag">Edited</span>'),
    None,
    "",
]


@pytest.mark.parametrize("argument", ARGUMENTS)
def test_an_item_escapes_what_it_shows_as_django_does(argument: object) -> None:
    template = '<li title="{}"><a href="/journal/entries/1/">{}</a></li>'
    written = item_html(template, argument, argument)
    assert written == format_html(template, argument, argument)
    assert isinstance(written, SafeData)


def test_the_line_under_an_item_is_joined_as_django_joins_it() -> None:
    written = items_joined(ARGUMENTS)
    assert written == format_html_join(" · ", "{}", ((part,) for part in ARGUMENTS))
    assert "&lt;script&gt;" in written
    assert '<span class="tag">Edited</span>' in written
