"""Red flags: which rules an entry matches, and the danger signs the patient can tick."""

from __future__ import annotations

import bisect
import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from accounts.selectors import patient_profile
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from journal.selectors.records import DosesNear, course_list
from reference.models import DangerSign, Presentation, RedFlag, SideEffect
from reference.selectors import library_copy


@dataclass(frozen=True)
class DangerSignGroup:
    side_effect: SideEffect
    signs: list[DangerSign]


def danger_sign_groups() -> list[DangerSignGroup]:
    """Every published symptom that has danger signs, with them, by symptom name."""
    library = library_copy()
    return [
        DangerSignGroup(effect, list(library.danger_signs[effect.pk].values()))
        for effect in sorted(library.side_effects.values(), key=lambda effect: effect.name)
        if library.danger_signs.get(effect.pk)
    ]


def danger_sign_labels(entry: SymptomEntry | Any) -> list[str]:
    """The danger signs an entry (or a version in its history) records, as the patient read
    them when ticking."""
    symptom_id = entry.side_effect_id or entry.matched_side_effect_id or 0
    signs = library_copy().danger_signs.get(symptom_id, {})
    return [
        signs[slug].label if slug in signs else slug.replace("-", " ").capitalize()
        for slug in entry.danger_signs or []
    ]


class PatientRules:
    """What rules about a patient's rows ask of the patient: their courses (read once, unless
    the caller gives them), their time zone, and their country, whose emergency and crisis
    numbers the guidance gives."""

    def __init__(self, *, patient: User, courses: Sequence[MedicationCourse] | None = None) -> None:
        self.patient = patient
        if courses is not None:
            self.__dict__["courses"] = list(courses)

    @cached_property
    def courses(self) -> list[MedicationCourse]:
        return list(course_list(patient=self.patient))

    @cached_property
    def zone(self) -> ZoneInfo | None:
        profile = patient_profile(self.patient)
        return profile.zone if profile else None

    @cached_property
    def country(self) -> str:
        profile = patient_profile(self.patient)
        return str(profile.country) if profile else ""


class RedFlagMatcher(PatientRules):
    """Matches a patient's entries to the published red-flag rules.

    A rule with a drug applies when the patient was on that drug when the symptom started:
    every course active that day in their time zone, and the drug of the dose the entry is
    linked to. The linked dose adds to that, it never narrows it. The rules come from the
    process's copy of the library; the patient's courses and doses are read in one query
    each, and only when a rule that needs them could match.
    """

    def __init__(self, *, patient: User, courses: Sequence[MedicationCourse] | None = None) -> None:
        super().__init__(patient=patient, courses=courses)
        library = library_copy()
        self.library = library
        self.rules = library.red_flag_rules
        self.danger_signs = library.danger_signs
        self.reader = library.symptom_reader
        hours = [rule.within_hours_of_dose for rule in self.rules if rule.within_hours_of_dose]
        self.longest_window = timedelta(hours=max(hours, default=0))
        self.expected: tuple[datetime, datetime] | None = None
        self._doses_read_for: tuple[datetime, datetime] | None = None
        self._dose_times: dict[int, list[datetime]] = {}
        self._near: DosesNear | None = None

    def expect(self, entries: Sequence[SymptomEntry], *, near: DosesNear | None = None) -> None:
        """Say which entries are coming, so that the doses rules count hours from are read
        once for all of them, however long the journal; not at all when `near`, the doses
        the caller read around them, reaches back far enough."""
        onsets = [entry.onset_at for entry in entries]
        self.expected = (min(onsets), max(onsets)) if onsets else None
        self._near = near

    def dose_times(self, onset_at: datetime) -> dict[int, list[datetime]]:
        """When each dose that a rule counted from a dose could reach back to from `onset_at`
        was taken, oldest first, by drug. One query for all the entries expected."""
        span = self.expected
        if span is None or not span[0] <= onset_at <= span[1]:
            span = (onset_at, onset_at)
        read = self._doses_read_for
        if read is None or not (read[0] <= span[0] and span[1] <= read[1]):
            drug_ids = {rule.drug_id for rule in self.rules if rule.within_hours_of_dose}
            times: dict[int, list[datetime]] = defaultdict(list)
            start, end = span[0] - self.longest_window, span[1]
            near = self._near
            doses: Iterable[tuple[int, datetime]]
            if near is not None and near.covers(start, end):
                drug_of = {course.pk: course.drug_id for course in self.courses}
                doses = (
                    (drug_of[dose.course_id], dose.taken_at)
                    for dose in near.doses
                    if start <= dose.taken_at <= end
                )
            else:
                doses = (
                    DoseEvent.objects.filter(
                        course__patient=self.patient,
                        course__drug_id__in=drug_ids,
                        taken_at__gte=start,
                        taken_at__lte=end,
                    )
                    .order_by("taken_at")
                    .values_list("course__drug_id", "taken_at")
                )
            for drug_id, taken_at in doses:
                if drug_id in drug_ids:
                    times[drug_id].append(taken_at)
            self._dose_times, self._doses_read_for = times, span
        return self._dose_times

    def drug_ids_for(self, entry: SymptomEntry) -> frozenset[int]:
        """Every drug the patient was on when the symptom started."""
        day = entry.onset_at.astimezone(self.zone).date()
        drug_ids = {course.drug_id for course in self.courses if course.is_active_on(day)}
        if entry.dose_id is not None and entry.dose is not None:
            drug_ids.add(entry.dose.course.drug_id)
        return frozenset(drug_ids)

    def hours_since_dose(self, drug_id: int | None, onset_at: datetime) -> float | None:
        """Hours from the latest dose of `drug_id` taken at or before `onset_at`, if any."""
        times = self.dose_times(onset_at).get(drug_id or 0, [])
        latest = bisect.bisect_right(times, onset_at)
        if latest == 0:
            return None
        return (onset_at - times[latest - 1]).total_seconds() / 3600

    def presentation(
        self, entry: SymptomEntry, *, side_effect_id: int | None = None
    ) -> Presentation:
        """What the rules read: the entry as given, or as if it named `side_effect_id`."""
        symptom_id = side_effect_id or entry.triage_side_effect_id
        signs = self.danger_signs.get(symptom_id or 0, {})
        context = _EntryContext(self, entry)
        return Presentation(
            side_effect_ids=frozenset([symptom_id] if symptom_id else []),
            severity=entry.severity,
            danger_sign_ids=frozenset(
                signs[slug].pk for slug in entry.danger_signs or [] if slug in signs
            ),
            on_drug=context.on_drug,
            hours_since_dose=context.hours_since_dose,
        )

    def for_entry(self, entry: SymptomEntry, *, side_effect_id: int | None = None) -> list[RedFlag]:
        """Every matching rule, the most urgent (and then the most specific) first."""
        presentation = self.presentation(entry, side_effect_id=side_effect_id)
        symptom_id = side_effect_id or entry.triage_side_effect_id
        rules = self.library.rules_by_symptom.get(
            symptom_id or 0, self.library.rules_for_any_symptom
        )
        return [rule for rule in rules if rule.matches(presentation)]

    def reading_of_own_words(self, entry: SymptomEntry) -> tuple[int | None, list[str]]:
        """The library symptom an entry's own words name, and the danger signs of it they
        name too. Of several symptoms, the reading whose red flags are the most urgent for
        this patient wins: "rash and fever" on lamotrigine is a rash with a fever.
        """
        candidates = self.reader.side_effect_ids(entry.other_symptom)
        by_id = library_copy().side_effects_by_id
        named_slugs = {by_id[pk].slug for pk in candidates if pk in by_id}
        best_id: int | None = None
        best_signs: list[str] = []
        best_urgency = len(RedFlag.Action.values) + 1
        for side_effect_id in candidates:
            offered = self.danger_signs.get(side_effect_id, {})
            signs = [slug for slug in offered if slug in named_slugs]
            reading = copy.copy(entry)
            reading.danger_signs = signs
            flags = self.for_entry(reading, side_effect_id=side_effect_id)
            urgency = (
                RedFlag.Action.values.index(flags[0].action)
                if flags
                else len(RedFlag.Action.values)
            )
            if urgency < best_urgency:
                best_id, best_signs, best_urgency = side_effect_id, signs, urgency
        return best_id, best_signs


class _EntryContext:
    """What a rule may ask about an entry's context, worked out only when a rule asks."""

    __slots__ = ("_drug_ids", "entry", "matcher")

    def __init__(self, matcher: RedFlagMatcher, entry: SymptomEntry) -> None:
        self.matcher = matcher
        self.entry = entry
        self._drug_ids: frozenset[int] | None = None

    def on_drug(self, drug_id: int) -> bool:
        if self._drug_ids is None:
            self._drug_ids = self.matcher.drug_ids_for(self.entry)
        return drug_id in self._drug_ids

    def hours_since_dose(self, drug_id: int | None) -> float | None:
        return self.matcher.hours_since_dose(drug_id, self.entry.onset_at)


def red_flags_for(
    *,
    patient: User,
    entries: Sequence[SymptomEntry],
    courses: Sequence[MedicationCourse] | None = None,
) -> dict[int, list[RedFlag]]:
    matcher = RedFlagMatcher(patient=patient, courses=courses)
    matcher.expect(entries)
    return {entry.pk: matcher.for_entry(entry) for entry in entries}
