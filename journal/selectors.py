"""Reads of patients' journals for pages and the API.

Every read starts from the patient: a row that belongs to someone else is never found,
so the pages and the API answer 404 for it.
"""

from __future__ import annotations

import bisect
import copy
import heapq
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.selectors import patient_profile
from journal import checkin
from journal.checkin import checkin_due_at
from journal.models import (
    CHECKIN_DRUG_SLUGS,
    CHECKIN_SIDE_EFFECT_SLUGS,
    CheckInRating,
    DoseEvent,
    MedicationCourse,
    SymptomEntry,
)
from journal.quick_log import most_logged, quick_symptoms, serious_side_effect_ids
from reference.models import DangerSign, Presentation, RedFlag, SideEffect
from reference.selectors import library_copy

SUGGESTION_WINDOW = timedelta(hours=24)


# Courses


def course_list(*, patient: User) -> QuerySet[MedicationCourse]:
    return MedicationCourse.objects.filter(patient=patient).select_related("drug")


def course_get(*, patient: User, pk: int) -> MedicationCourse:
    return get_object_or_404(course_list(patient=patient), pk=pk)


# Doses


def dose_list(
    *,
    patient: User,
    start: datetime | None = None,
    end: datetime | None = None,
    course_id: int | None = None,
) -> QuerySet[DoseEvent]:
    doses = DoseEvent.objects.filter(course__patient=patient).select_related(
        "course__drug", "logged_by__profile"
    )
    if start is not None:
        doses = doses.filter(taken_at__gte=start)
    if end is not None:
        doses = doses.filter(taken_at__lt=end)
    if course_id is not None:
        doses = doses.filter(course_id=course_id)
    return doses


def dose_get(*, patient: User, pk: int) -> DoseEvent:
    return get_object_or_404(dose_list(patient=patient), pk=pk)


def dose_suggested(
    *, patient: User | OuterRef, onset_at: datetime | OuterRef
) -> QuerySet[DoseEvent]:
    """The dose a symptom is linked to unless the patient says otherwise: the latest of
    theirs in the 24 hours before it started, as a query of at most one row (with its course).

    The one place this is decided. Logging and editing an entry take `.first()`; a list of
    entries passes `OuterRef`s and gives each its suggestion in the list's own query.
    """
    return (
        DoseEvent.objects.filter(
            Q(course__patient=patient),
            taken_at__gte=onset_at - SUGGESTION_WINDOW,
            taken_at__lte=onset_at,
        )
        .select_related("course")
        .order_by("-taken_at", "-pk")[:1]
    )


def doses_for_choice(*, patient: User, limit: int = 30) -> list[DoseEvent]:
    """Recent doses to choose from when linking a symptom to the dose it followed."""
    return list(dose_list(patient=patient).order_by("-taken_at", "-pk")[:limit])


# Symptom entries


def entry_list(
    *,
    patient: User,
    start: datetime | None = None,
    end: datetime | None = None,
    side_effect_slug: str | None = None,
    course_id: int | None = None,
    suggest: bool = True,
) -> QuerySet[SymptomEntry]:
    """A patient's entries; with `suggest`, each with `dose_suggested_id` computed in the same
    query (the API and the entry form show it, the timeline does not).

    The related rows a page or an answer shows are filled in by `relations_fill` once the
    page of entries is known."""
    entries = SymptomEntry.objects.filter(patient=patient)
    if start is not None:
        entries = entries.filter(onset_at__gte=start)
    if end is not None:
        entries = entries.filter(onset_at__lt=end)
    if side_effect_slug:
        entries = entries.filter(side_effect__slug=side_effect_slug)
    if course_id is not None:
        entries = entries.filter(dose__course_id=course_id)
    if not suggest:
        return entries
    suggested = dose_suggested(patient=OuterRef("patient"), onset_at=OuterRef("onset_at"))
    return entries.annotate(dose_suggested_id=Subquery(suggested.values("pk")))


def relations_fill(
    *,
    patient: User,
    entries: Sequence[SymptomEntry] = (),
    doses: Sequence[DoseEvent] = (),
    courses: Sequence[MedicationCourse] | None = None,
) -> None:
    """Give a page of entries and doses the rows shown with them, without joining them in.

    Symptoms come from the process's copy of the library, courses (with their drugs) from
    the patient's few courses (`courses`, when the caller has read them already), doses and
    the people who logged them in one query each, and only when there are any; an entry's
    dose is taken from `doses` when it is there. A join of all of these for every row costs
    more to plan and to turn into objects than the page itself.
    """
    symptoms = _side_effects_by_id(
        {
            pk
            for entry in entries
            for pk in (entry.side_effect_id, entry.matched_side_effect_id)
            if pk
        }
    )
    given = {dose.pk: dose for dose in doses}
    dose_ids = {entry.dose_id for entry in entries if entry.dose_id} - given.keys()
    linked = {**given, **(DoseEvent.objects.in_bulk(dose_ids) if dose_ids else {})}
    all_doses = list(linked.values())
    if all_doses and courses is None:
        courses = list(course_list(patient=patient))
    course_by_id = {course.pk: course for course in courses or ()}
    people = _people_by_id(
        {entry.logged_by_id for entry in entries if entry.logged_by_id}
        | {dose.logged_by_id for dose in all_doses if dose.logged_by_id},
        patient=patient,
    )
    for dose in all_doses:
        dose.course = course_by_id[dose.course_id]
        dose.logged_by = people.get(dose.logged_by_id) if dose.logged_by_id else None
    for entry in entries:
        entry.side_effect = symptoms.get(entry.side_effect_id) if entry.side_effect_id else None
        entry.matched_side_effect = (
            symptoms.get(entry.matched_side_effect_id) if entry.matched_side_effect_id else None
        )
        entry.dose = linked.get(entry.dose_id) if entry.dose_id else None
        entry.logged_by = people.get(entry.logged_by_id) if entry.logged_by_id else None


def _side_effects_by_id(ids: set[int]) -> dict[int, SideEffect]:
    """Published symptoms from the library's copy; any other (unpublished since) from the
    database."""
    known = library_copy().side_effects_by_id
    found = {pk: known[pk] for pk in ids if pk in known}
    if missing := ids - found.keys():
        found.update(SideEffect.objects.in_bulk(missing))
    return found


def _people_by_id(ids: set[int], *, patient: User) -> dict[int, User]:
    """Who logged rows of a patient's journal: mostly the patient, sometimes a caregiver."""
    people = {patient.pk: patient}
    if others := ids - people.keys():
        people.update(User.objects.select_related("profile").in_bulk(others))
    return people


def entry_get(*, patient: User, pk: int) -> SymptomEntry:
    entry = get_object_or_404(entry_list(patient=patient), pk=pk)
    relations_fill(patient=patient, entries=[entry])
    return entry


def symptom_choices() -> QuerySet[SideEffect]:
    return SideEffect.objects.published().order_by("category", "name")


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


# Red flags


class RedFlagMatcher:
    """Matches a patient's entries to the published red-flag rules.

    A rule with a drug applies when the patient was on that drug when the symptom started:
    every course active that day in their time zone, and the drug of the dose the entry is
    linked to. The linked dose adds to that, it never narrows it. The rules come from the
    process's copy of the library; the patient's courses and doses are read in one query
    each, and only when a rule that needs them could match.
    """

    def __init__(self, *, patient: User, courses: Sequence[MedicationCourse] | None = None) -> None:
        self.patient = patient
        if courses is not None:
            self.__dict__["courses"] = list(courses)
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

    def expect(self, entries: Sequence[SymptomEntry]) -> None:
        """Say which entries are coming, so that the doses rules count hours from are read
        once for all of them, however long the journal."""
        onsets = [entry.onset_at for entry in entries]
        self.expected = (min(onsets), max(onsets)) if onsets else None

    @cached_property
    def courses(self) -> list[MedicationCourse]:
        """The patient's courses, unless the caller gave them."""
        return list(
            MedicationCourse.objects.filter(patient=self.patient).only(
                "pk", "drug_id", "started_on", "stopped_on"
            )
        )

    @cached_property
    def zone(self) -> ZoneInfo | None:
        profile = patient_profile(self.patient)
        return profile.zone if profile else None

    @cached_property
    def country(self) -> str:
        """Whose emergency and crisis numbers the guidance gives."""
        profile = patient_profile(self.patient)
        return str(profile.country) if profile else ""

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
            doses = (
                DoseEvent.objects.filter(
                    course__patient=self.patient,
                    course__drug_id__in=drug_ids,
                    taken_at__gte=span[0] - self.longest_window,
                    taken_at__lte=span[1],
                )
                .order_by("taken_at")
                .values_list("course__drug_id", "taken_at")
            )
            for drug_id, taken_at in doses:
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


# Timeline and dashboard


@dataclass
class TimelineDay:
    day: date
    items: list[DoseEvent | SymptomEntry] = field(default_factory=list)


@dataclass
class Timeline:
    page: Page[Any]
    days: list[TimelineDay]
    red_flags: dict[int, list[RedFlag]]


class TimelineRows:
    """Entries and doses as one list to page through, newest first, that never sorts the
    whole journal: a page is merged from the newest rows of each (both indexed by patient
    or course and time), and the count is their two counts added."""

    def __init__(self, entries: QuerySet[SymptomEntry], doses: QuerySet[DoseEvent] | None) -> None:
        self.entries = entries
        self.doses = doses

    def count(self) -> int:
        return self.entries.count() + (self.doses.count() if self.doses is not None else 0)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        newest = window.stop
        kinds = [self._rows(self.entries, "entry", "onset_at", newest)]
        if self.doses is not None:
            kinds.append(self._rows(self.doses, "dose", "taken_at", newest))
        rows = heapq.merge(*kinds, key=lambda row: (row["at"], row["pk"]), reverse=True)
        return list(itertools.islice(rows, window.start, window.stop))

    @staticmethod
    def _rows(rows: QuerySet[Any], kind: str, at: str, newest: int) -> list[dict[str, Any]]:
        found = rows.order_by(f"-{at}", "-pk").values_list("pk", at)[:newest]
        return [{"kind": kind, "pk": pk, "at": moment} for pk, moment in found]


def timeline(
    *,
    patient: User,
    side_effect_slug: str | None = None,
    course_id: int | None = None,
    page_number: str | int | None = 1,
    per_page: int = 50,
    courses: Sequence[MedicationCourse] | None = None,
) -> Timeline:
    """Entries and doses, newest first, a page at a time, grouped by the patient's days.

    `courses`: the patient's, when the caller has read them already."""
    if courses is None:
        courses = list(course_list(patient=patient))
    entries = entry_list(
        patient=patient, side_effect_slug=side_effect_slug, course_id=course_id, suggest=False
    )
    doses = None
    if not side_effect_slug:
        doses = DoseEvent.objects.filter(course__patient=patient)
        if course_id is not None:
            doses = doses.filter(course_id=course_id)
    # Paginator asks the rows for no more than their count() and a slice.
    rows = cast("list[dict[str, Any]]", TimelineRows(entries, doses))
    page = Paginator(rows, per_page).get_page(page_number)

    wanted: dict[str, list[int]] = defaultdict(list)
    for row in page.object_list:
        wanted[row["kind"]].append(row["pk"])
    shown_entries = list(SymptomEntry.objects.filter(patient=patient, pk__in=wanted["entry"]))
    # The page's doses and those its entries followed, in one query.
    dose_ids = {*wanted["dose"], *(entry.dose_id for entry in shown_entries if entry.dose_id)}
    doses_read = list(DoseEvent.objects.filter(course__patient=patient, pk__in=dose_ids))
    relations_fill(patient=patient, entries=shown_entries, doses=doses_read, courses=courses)
    page_doses = set(wanted["dose"])
    loaded: dict[tuple[str, int], DoseEvent | SymptomEntry] = {
        **{("entry", entry.pk): entry for entry in shown_entries},
        **{("dose", dose.pk): dose for dose in doses_read if dose.pk in page_doses},
    }

    profile = patient_profile(patient)
    zone = profile.zone if profile else None
    days: list[TimelineDay] = []
    for row in page.object_list:
        item = loaded[row["kind"], row["pk"]]
        day = row["at"].astimezone(zone).date()
        if not days or days[-1].day != day:
            days.append(TimelineDay(day=day))
        days[-1].items.append(item)
    return Timeline(
        page=page,
        days=days,
        red_flags=red_flags_for(patient=patient, entries=shown_entries, courses=courses),
    )


@dataclass
class Dashboard:
    active_courses: list[MedicationCourse]
    quick_symptoms: list[SideEffect]
    recent_entries: list[SymptomEntry]
    red_flags: dict[int, list[RedFlag]]
    entries_today: int
    doses_today: int
    checkin_dose: DoseEvent | None


def dashboard(*, patient: User, today_start: datetime) -> Dashboard:
    day = today_start.date()
    courses = list(course_list(patient=patient))
    recent = list(SymptomEntry.objects.filter(patient=patient)[:5])
    relations_fill(patient=patient, entries=recent, courses=courses)
    session_courses = [course for course in courses if course.drug.slug in CHECKIN_DRUG_SLUGS]
    latest_session = (
        DoseEvent.objects.filter(
            course__in=session_courses, taken_at__gte=today_start - timedelta(days=1)
        )
        .order_by("-taken_at")
        .first()
    )
    if latest_session is not None:
        relations_fill(patient=patient, doses=[latest_session], courses=courses)
    return Dashboard(
        active_courses=[course for course in courses if course.is_active_on(day)],
        quick_symptoms=quick_symptoms(patient=patient, courses=courses),
        recent_entries=recent,
        red_flags=red_flags_for(patient=patient, entries=recent, courses=courses),
        entries_today=entry_list(patient=patient, start=today_start, suggest=False).count(),
        doses_today=dose_list(patient=patient, start=today_start).count(),
        checkin_dose=latest_session,
    )


# Post-dose check-in

# A few of the patient's own usual symptoms join the session's four at each step.
CHECKIN_USUAL_SYMPTOMS = 3


@dataclass(frozen=True)
class CheckInStepRating:
    side_effect: SideEffect
    severity: int
    interference: int | None
    gone: bool
    resolved_at: datetime | None


@dataclass(frozen=True)
class CheckInStep:
    """One step of a dose's check-in, as `checkin_steps` sees it at a moment.

    `status` is one of `journal.checkin.STATUSES`: upcoming (before `due_at`), due (until
    `due_until`), late (after it, not done), done (rated; `recorded_late` if given late).
    """

    point: str
    label: str
    due_at: datetime
    due_until: datetime
    status: str
    optional: bool
    recorded_late: bool
    ratings: tuple[CheckInStepRating, ...]

    @property
    def can_answer(self) -> bool:
        return self.status != checkin.UPCOMING


def checkin_steps(*, dose: DoseEvent, now: datetime) -> list[CheckInStep]:
    """The steps of a ketamine or esketamine dose's check-in at `now`, in session order,
    with the ratings given at each. Times and windows: `journal.checkin`."""
    ratings: dict[str, list[CheckInRating]] = defaultdict(list)
    for rating in CheckInRating.objects.filter(dose=dose).select_related("side_effect"):
        ratings[rating.point].append(rating)
    steps = []
    for point in checkin.CHECKIN_POINTS:
        given = sorted(ratings[point], key=_session_order)
        steps.append(
            CheckInStep(
                point=point.value,
                label=str(point.label),
                due_at=checkin_due_at(dose=dose, point=point),
                due_until=checkin.checkin_due_until(dose=dose, point=point),
                status=checkin.checkin_status(dose=dose, point=point, done=bool(given), now=now),
                optional=point in checkin.OPTIONAL_POINTS,
                recorded_late=any(rating.recorded_late for rating in given),
                ratings=tuple(
                    CheckInStepRating(
                        side_effect=rating.side_effect,
                        severity=rating.severity,
                        interference=rating.interference,
                        gone=rating.resolved_at is not None,
                        resolved_at=rating.resolved_at,
                    )
                    for rating in given
                ),
            )
        )
    return steps


def _session_order(rating: CheckInRating) -> tuple[int, str]:
    slug = rating.side_effect.slug
    order = CHECKIN_SIDE_EFFECT_SLUGS.index(slug) if slug in CHECKIN_SIDE_EFFECT_SLUGS else 99
    return order, rating.side_effect.name


def checkin_side_effects(*, patient: User | None = None) -> list[SideEffect]:
    """What a check-in step asks about: the session's four symptoms, then the few the
    patient logs most (never a serious one: those have their own red-flag path)."""
    library = library_copy()
    session = [
        library.side_effects[s] for s in CHECKIN_SIDE_EFFECT_SLUGS if s in library.side_effects
    ]
    if patient is None:
        return session
    serious = serious_side_effect_ids(library)
    usual = most_logged(patient=patient, library=library, leave_out=[e.pk for e in session])
    usual = [pk for pk in usual if pk not in serious][:CHECKIN_USUAL_SYMPTOMS]
    return session + [library.side_effects_by_id[pk] for pk in usual]
