"""Reads of the reference library for pages and the API. Only published content."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from reference.models import Drug, DrugSideEffect, RedFlag, SideEffect


def drug_list() -> QuerySet[Drug]:
    return Drug.objects.published().order_by("name")


def side_effect_list() -> QuerySet[SideEffect]:
    return SideEffect.objects.published().order_by("category", "name")


def _published_links() -> QuerySet[DrugSideEffect]:
    return DrugSideEffect.objects.filter(
        drug__is_published=True, side_effect__is_published=True
    ).select_related("drug", "side_effect")


def _published_red_flags() -> QuerySet[RedFlag]:
    return (
        RedFlag.objects.published()
        .filter(Q(side_effect__isnull=True) | Q(side_effect__is_published=True))
        .filter(Q(drug__isnull=True) | Q(drug__is_published=True))
        .select_related("side_effect", "drug")
    )


# What every entry logged is checked against: the published side effects and red-flag rules.
# Editors change them rarely, so each process keeps a copy for a minute at most; saving a
# rule, drug or side effect drops the copy of the process that saved it at once (apps.py).
LIBRARY_COPY_SECONDS = 60.0


@dataclass(frozen=True)
class LibraryCopy:
    side_effects: dict[str, SideEffect]  # by slug
    red_flag_rules: list[RedFlag]  # most urgent first; within an action, most specific first
    read_at: float


_library_copy: LibraryCopy | None = None


def library_copy() -> LibraryCopy:
    global _library_copy
    copy = _library_copy
    if copy is None or time.monotonic() - copy.read_at > LIBRARY_COPY_SECONDS:
        rules = sorted(
            _published_red_flags(),
            key=lambda rule: (
                RedFlag.Action.values.index(rule.action),
                rule.drug_id is None,
                rule.side_effect_id is None,
                rule.pk,
            ),
        )
        side_effects = {effect.slug: effect for effect in SideEffect.objects.published()}
        copy = LibraryCopy(side_effects, rules, read_at=time.monotonic())
        _library_copy = copy
    return copy


def library_copy_forget(**kwargs: Any) -> None:
    """A signal receiver (and, in tests, a fixture): the next read is from the database."""
    global _library_copy
    _library_copy = None


def _most_urgent_first(red_flags: QuerySet[RedFlag]) -> list[RedFlag]:
    return sorted(
        red_flags,
        key=lambda flag: (
            RedFlag.Action.values.index(flag.action),
            flag.side_effect.name if flag.side_effect else "",
            flag.drug.name if flag.drug else "",
        ),
    )


@dataclass(frozen=True)
class CategoryGroup:
    category: str
    label: str
    links: list[DrugSideEffect]


@dataclass(frozen=True)
class DrugPage:
    drug: Drug
    groups: list[CategoryGroup]
    red_flags: list[RedFlag]

    @property
    def links(self) -> list[DrugSideEffect]:
        return [link for group in self.groups for link in group.links]


def drug_page(*, slug: str) -> DrugPage:
    """A published drug, its side effects grouped by category, and the red flags for it."""
    drug = get_object_or_404(drug_list(), slug=slug)
    links = list(_published_links().filter(drug=drug).order_by("side_effect__name"))
    groups = [
        CategoryGroup(
            category=category.value,
            label=category.label,
            links=[link for link in links if link.side_effect.category == category.value],
        )
        for category in SideEffect.Category
    ]
    red_flags = _most_urgent_first(
        _published_red_flags().filter(Q(drug=drug) | Q(drug__isnull=True))
    )
    return DrugPage(drug=drug, groups=[g for g in groups if g.links], red_flags=red_flags)


@dataclass(frozen=True)
class SideEffectPage:
    side_effect: SideEffect
    links: list[DrugSideEffect]
    red_flags: list[RedFlag]


def side_effect_page(*, slug: str) -> SideEffectPage:
    """A published side effect, the drugs that list it, and when to get help."""
    side_effect = get_object_or_404(SideEffect.objects.published(), slug=slug)
    links = list(_published_links().filter(side_effect=side_effect).order_by("drug__name"))
    red_flags = _most_urgent_first(
        _published_red_flags().filter(Q(side_effect=side_effect) | Q(side_effect__isnull=True))
    )
    return SideEffectPage(side_effect=side_effect, links=links, red_flags=red_flags)
