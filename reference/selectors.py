"""Reads of the reference library for pages and the API. Only published content."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from reference.models import DangerSign, Drug, DrugSideEffect, RedFlag, SideEffect
from reference.symptom_words import SymptomReader


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
        .prefetch_related("danger_signs")
    )


def red_flag_urgency(rule: RedFlag) -> tuple[int, ...]:
    """Sorts the most urgent rule first and, within an action, the most specific."""
    return (
        RedFlag.Action.values.index(rule.action),
        rule.drug_id is None,
        rule.side_effect_id is None,
        not rule.danger_sign_ids,
        rule.within_hours_of_dose is None,
        rule.pk,
    )


# What every entry logged is checked against: the published side effects and red-flag rules.
# Editors change them rarely, so each process keeps a copy for a minute at most; saving a
# rule, drug or side effect drops the copy of the process that saved it at once (apps.py).
LIBRARY_COPY_SECONDS = 60.0


@dataclass(frozen=True)
class LibraryCopy:
    side_effects: dict[str, SideEffect]  # by slug
    red_flag_rules: list[RedFlag]  # most urgent first; within an action, most specific first
    danger_signs: dict[int, dict[str, DangerSign]]  # by side effect id, then slug, in order
    symptom_reader: SymptomReader
    read_at: float

    @cached_property
    def side_effects_by_id(self) -> dict[int, SideEffect]:
        return {effect.pk: effect for effect in self.side_effects.values()}

    @cached_property
    def rules_by_symptom(self) -> dict[int, list[RedFlag]]:
        """For each symptom, the rules that can apply to it (its own and those for any
        symptom), in the order of `red_flag_rules`: what an entry is checked against."""
        return {
            effect.pk: [
                rule for rule in self.red_flag_rules if rule.side_effect_id in (None, effect.pk)
            ]
            for effect in self.side_effects.values()
        }

    @cached_property
    def rules_for_any_symptom(self) -> list[RedFlag]:
        return [rule for rule in self.red_flag_rules if rule.side_effect_id is None]


_library_copy: LibraryCopy | None = None


def library_copy() -> LibraryCopy:
    global _library_copy
    copy = _library_copy
    if copy is None or time.monotonic() - copy.read_at > LIBRARY_COPY_SECONDS:
        rules = sorted(_published_red_flags(), key=red_flag_urgency)
        side_effects = {effect.slug: effect for effect in SideEffect.objects.published()}
        danger_signs: dict[int, dict[str, DangerSign]] = defaultdict(dict)
        for sign in DangerSign.objects.filter(side_effect__is_published=True).order_by(
            "position", "pk"
        ):
            danger_signs[sign.side_effect_id][sign.slug] = sign
        reader = SymptomReader(
            (effect.pk, [effect.name, *effect.synonym_list]) for effect in side_effects.values()
        )
        copy = LibraryCopy(
            side_effects, rules, dict(danger_signs), reader, read_at=time.monotonic()
        )
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
    side_effect = get_object_or_404(
        SideEffect.objects.published().prefetch_related("danger_signs"), slug=slug
    )
    links = list(_published_links().filter(side_effect=side_effect).order_by("drug__name"))
    red_flags = _most_urgent_first(
        _published_red_flags().filter(Q(side_effect=side_effect) | Q(side_effect__isnull=True))
    )
    return SideEffectPage(side_effect=side_effect, links=links, red_flags=red_flags)
