"""Reads of the reference library for pages and the API. Only published content."""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from asgiref.local import Local
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from redis import RedisError

from reference.models import (
    DangerSign,
    Drug,
    DrugSideEffect,
    MeasurementRule,
    Reading,
    RedFlag,
    SideEffect,
)
from reference.symptom_words import SymptomReader

logger = logging.getLogger(__name__)
T = TypeVar("T")


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


def _published_measurement_rules() -> QuerySet[MeasurementRule]:
    return (
        MeasurementRule.objects.published()
        .filter(Q(drug__isnull=True) | Q(drug__is_published=True))
        .select_related("drug")
    )


def measurement_rule_urgency(rule: MeasurementRule) -> tuple[int, ...]:
    """The most urgent rule first and, within an action, the most specific."""
    return (
        MeasurementRule.Action.values.index(rule.action),
        rule.drug_id is None,
        not rule.needs_warning_signs,
        rule.within_hours_of_dose is None,
        rule.pk,
    )


def measurement_rules_matching(reading: Reading) -> list[MeasurementRule]:
    """The published rules a reading meets, most urgent first, one for each action: the most
    specific (a rule for the patient's drug says more than the same rule for any drug)."""
    found: dict[str, MeasurementRule] = {}
    for rule in library_copy().measurement_rules:
        if rule.action not in found and rule.matches(reading):
            found[rule.action] = rule
    return list(found.values())


# The library's version: a token in the shared cache (Redis in production) that every
# editor's save or delete replaces once it commits (apps.py). Each process keeps copies of
# the library tagged with the version they were read at, and reads the version once per
# request (LibraryVersionMiddleware), so an edit reaches every process on its next request.
LIBRARY_VERSION_KEY = "reference:library-version"
# With the shared cache unreachable, a copy is kept this long at most.
LIBRARY_COPY_SECONDS = 60.0

_request = Local()


def library_version() -> str | None:
    """The library's version, or None when the shared cache cannot be read."""
    if hasattr(_request, "library_version"):
        version: str | None = _request.library_version
        return version
    return library_version_read()


def library_version_read() -> str | None:
    try:
        version = cache.get(LIBRARY_VERSION_KEY)
        if version is None:
            cache.add(LIBRARY_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(LIBRARY_VERSION_KEY)
    except RedisError as error:
        logger.warning("Library version unknown, copies expire by age: %s", error)
        return None
    return str(version) if version is not None else None


@contextmanager
def library_version_held() -> Iterator[None]:
    """Read the version once, for everything done inside (one request)."""
    _request.library_version = library_version_read()
    try:
        yield
    finally:
        del _request.library_version


def library_changed(**kwargs: Any) -> None:
    """A signal receiver: this process forgets its copies at once, and every process does
    once the change commits (a process reading earlier would copy the old library under
    the new version)."""
    this_process.forget()
    transaction.on_commit(_library_version_bump)


def _library_version_bump() -> None:
    this_process.forget()
    version = uuid.uuid4().hex
    if hasattr(_request, "library_version"):
        _request.library_version = version  # the rest of the editor's request sees it too
    try:
        cache.set(LIBRARY_VERSION_KEY, version, timeout=None)
    except RedisError as error:
        logger.warning("Library version not bumped; other processes catch up by age: %s", error)


@dataclass(frozen=True)
class LibraryCopy:
    """What every entry logged is checked against: the published side effects and rules."""

    side_effects: dict[str, SideEffect]  # by slug
    red_flag_rules: list[RedFlag]  # most urgent first; within an action, most specific first
    danger_signs: dict[int, dict[str, DangerSign]]  # by side effect id, then slug, in order
    symptom_reader: SymptomReader
    # The published symptoms each drug lists: (side effect id, frequency, label percent).
    drug_side_effects: dict[int, list[tuple[int, str, Decimal | None]]]
    measurement_rules: list[MeasurementRule]  # most urgent first, as `red_flag_rules`

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


def _library_read() -> LibraryCopy:
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
    by_drug: dict[int, list[tuple[int, str, Decimal | None]]] = defaultdict(list)
    for drug_id, *link in DrugSideEffect.objects.filter(side_effect__is_published=True).values_list(
        "drug_id", "side_effect_id", "frequency", "label_percent"
    ):
        by_drug[drug_id].append(tuple(link))  # type: ignore[arg-type]
    measurement_rules = sorted(_published_measurement_rules(), key=measurement_rule_urgency)
    return LibraryCopy(
        side_effects, rules, dict(danger_signs), reader, dict(by_drug), measurement_rules
    )


class LibraryCopies:
    """One process's copies of the library: the copy entries are checked against, and the
    public pages built from it, all dropped when the library's version changes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.version: str | None = None
        self.read_at = -LIBRARY_COPY_SECONDS
        self.copy: LibraryCopy | None = None
        self.pages: dict[tuple[str, str], Any] = {}

    def forget(self) -> None:
        self.copy = None
        self.pages = {}

    def _current(self) -> None:
        version = library_version()
        stale = (
            version != self.version
            if version is not None
            else self.clock() - self.read_at > LIBRARY_COPY_SECONDS
        )
        if stale:
            self.forget()
            self.version, self.read_at = version, self.clock()

    def library(self) -> LibraryCopy:
        self._current()
        if self.copy is None:
            self.copy = _library_read()
        return self.copy

    def page(self, kind: str, slug: str, build: Callable[[], T]) -> T:
        """A public page's content, built once per version of the library."""
        self._current()
        if (kind, slug) not in self.pages:
            self.pages[kind, slug] = build()
        page: T = self.pages[kind, slug]
        return page


this_process = LibraryCopies()


def library_copy() -> LibraryCopy:
    return this_process.library()


def library_copy_forget(**kwargs: Any) -> None:
    """In tests: the next read is from the database."""
    this_process.forget()


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
    measurement_rules: list[MeasurementRule]  # for this drug and for any drug

    @property
    def links(self) -> list[DrugSideEffect]:
        return [link for group in self.groups for link in group.links]


def drug_page(*, slug: str) -> DrugPage:
    """A published drug, its side effects grouped by category, and the red flags for it."""
    return this_process.page("drug", slug, lambda: _drug_page_read(slug=slug))


def _drug_page_read(*, slug: str) -> DrugPage:
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
    measurement_rules = sorted(
        _published_measurement_rules().filter(Q(drug=drug) | Q(drug__isnull=True)),
        key=lambda rule: (rule.kind, measurement_rule_urgency(rule)),
    )
    return DrugPage(
        drug=drug,
        groups=[g for g in groups if g.links],
        red_flags=red_flags,
        measurement_rules=measurement_rules,
    )


@dataclass(frozen=True)
class SideEffectPage:
    side_effect: SideEffect
    links: list[DrugSideEffect]
    red_flags: list[RedFlag]


def side_effect_page(*, slug: str) -> SideEffectPage:
    """A published side effect, the drugs that list it, and when to get help."""
    return this_process.page("side-effect", slug, lambda: _side_effect_page_read(slug=slug))


def _side_effect_page_read(*, slug: str) -> SideEffectPage:
    side_effect = get_object_or_404(
        SideEffect.objects.published().prefetch_related("danger_signs"), slug=slug
    )
    links = list(_published_links().filter(side_effect=side_effect).order_by("drug__name"))
    red_flags = _most_urgent_first(
        _published_red_flags().filter(Q(side_effect=side_effect) | Q(side_effect__isnull=True))
    )
    return SideEffectPage(side_effect=side_effect, links=links, red_flags=red_flags)
