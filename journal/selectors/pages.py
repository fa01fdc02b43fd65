"""The timeline and the dashboard."""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, QuerySet, Subquery

from accounts.selectors import patient_profile
from journal.models import (
    CHECKIN_DRUG_SLUGS,
    DoseEvent,
    Measurement,
    MedicationCourse,
    SymptomEntry,
)
from journal.quick_log import quick_symptoms
from journal.selectors.measurements import measurement_flags_for
from journal.selectors.records import (
    SUGGESTION_WINDOW,
    course_list,
    dose_list,
    doses_near,
    entry_list,
    relations_fill,
)
from journal.selectors.red_flags import RedFlagMatcher
from reference.models import RedFlag, SideEffect


class _Count(Subquery):
    """How many rows a query finds, as a subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def counts_of(patient: User, *queries: QuerySet[Any]) -> list[int]:
    """How many rows each of a patient's queries finds, in one query."""
    counts = {f"count_{n}": _Count(rows.order_by().values("pk")) for n, rows in enumerate(queries)}
    return list(User.objects.filter(pk=patient.pk).annotate(**counts).values_list(*counts).get())


@dataclass
class TimelineDay:
    day: date
    items: list[DoseEvent | SymptomEntry | Measurement] = field(default_factory=list)


@dataclass
class Timeline:
    page: Page[Any]
    days: list[TimelineDay]
    red_flags: dict[int, list[RedFlag]]


class TimelineRows:
    """Entries, doses and readings as one list to page through, newest first, that never
    sorts the whole journal: a page is merged from the newest rows of each kind (each
    indexed by patient or course and time), and the count is theirs added, in one query.
    A kind the count found none of is not asked for a page (most journals hold no
    readings)."""

    def __init__(
        self,
        patient: User,
        entries: QuerySet[SymptomEntry],
        doses: QuerySet[DoseEvent] | None,
        readings: QuerySet[Measurement] | None = None,
    ) -> None:
        self.patient = patient
        self.kinds = [
            (rows, kind, at)
            for rows, kind, at in (
                (entries, "entry", "onset_at"),
                (doses, "dose", "taken_at"),
                (readings, "reading", "measured_at"),
            )
            if rows is not None
        ]

    def count(self) -> int:
        """The counts of each kind added, in one query; kinds with none are left out of
        the pages from then on."""
        counts = counts_of(self.patient, *(rows for rows, _, _ in self.kinds))
        self.kinds = [kind for kind, count in zip(self.kinds, counts, strict=True) if count]
        return sum(counts)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        newest = window.stop
        kinds = [self._rows(rows, kind, at, newest) for rows, kind, at in self.kinds]
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
    entries = entry_list(patient=patient, side_effect_slug=side_effect_slug, course_id=course_id)
    doses = readings = None
    if not side_effect_slug:
        doses = DoseEvent.objects.filter(course__patient=patient)
        readings = Measurement.objects.filter(patient=patient)
        if course_id is not None:
            doses = doses.filter(course_id=course_id)
            readings = readings.filter(dose__course_id=course_id)
    # Paginator asks the rows for no more than their count() and a slice.
    rows = cast("list[dict[str, Any]]", TimelineRows(patient, entries, doses, readings))
    page = Paginator(rows, per_page).get_page(page_number)

    wanted: dict[str, list[int]] = defaultdict(list)
    for row in page.object_list:
        wanted[row["kind"]].append(row["pk"])
    shown_entries = list(SymptomEntry.objects.filter(patient=patient, pk__in=wanted["entry"]))
    # One query for the doses from the page's oldest row, less the longest time a red flag
    # counts from a dose, to its newest: they hold the page's own doses, most of those its
    # entries followed (`relations_fill` reads any other), and those red flags count from.
    matcher = RedFlagMatcher(patient=patient, courses=courses)
    times = [row["at"] for row in page.object_list]
    near = (
        doses_near(patient=patient, onsets=times, before=matcher.longest_window, courses=courses)
        if times
        else None
    )
    doses_read = near.doses if near else []
    relations_fill(patient=patient, entries=shown_entries, doses=doses_read, courses=courses)
    matcher.expect(shown_entries, near=near)
    page_doses = set(wanted["dose"])
    loaded: dict[tuple[str, int], DoseEvent | SymptomEntry | Measurement] = {
        **{("entry", entry.pk): entry for entry in shown_entries},
        **{("dose", dose.pk): dose for dose in doses_read if dose.pk in page_doses},
        **{("reading", row.pk): row for row in _readings(patient, wanted["reading"])},
    }

    return Timeline(
        page=page,
        days=_days(patient, page.object_list, loaded),
        red_flags={entry.pk: matcher.for_entry(entry) for entry in shown_entries},
    )


def _days(
    patient: User,
    rows: Iterable[dict[str, Any]],
    loaded: dict[tuple[str, int], DoseEvent | SymptomEntry | Measurement],
) -> list[TimelineDay]:
    """A page's rows grouped by the patient's days."""
    profile = patient_profile(patient)
    zone = profile.zone if profile else None
    days: list[TimelineDay] = []
    for row in rows:
        day = row["at"].astimezone(zone).date()
        if not days or days[-1].day != day:
            days.append(TimelineDay(day=day))
        days[-1].items.append(loaded[row["kind"], row["pk"]])
    return days


def _readings(patient: User, pks: list[int]) -> list[Measurement]:
    """A page's readings, each with its `red_flags`."""
    if not pks:
        return []
    rows = list(
        Measurement.objects.filter(patient=patient, pk__in=pks).select_related(
            "dose__course", "logged_by__profile"
        )
    )
    flags = measurement_flags_for(patient=patient, measurements=rows)
    for row in rows:
        row.red_flags = flags[row.pk]  # type: ignore[attr-defined]
    return rows


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
    # The doses around them, once: those they followed, mostly, and those red flags count from.
    matcher = RedFlagMatcher(patient=patient, courses=courses)
    onsets = [entry.onset_at for entry in recent]
    before = max(SUGGESTION_WINDOW, matcher.longest_window)
    near = (
        doses_near(patient=patient, onsets=onsets, before=before, courses=courses)
        if recent
        else None
    )
    relations_fill(
        patient=patient, entries=recent, doses=near.doses if near else (), courses=courses
    )
    matcher.expect(recent, near=near)
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
    entries_today, doses_today = counts_of(
        patient,
        entry_list(patient=patient, start=today_start),
        dose_list(patient=patient, start=today_start),
    )
    return Dashboard(
        active_courses=[course for course in courses if course.is_active_on(day)],
        quick_symptoms=quick_symptoms(patient=patient, courses=courses),
        recent_entries=recent,
        red_flags={entry.pk: matcher.for_entry(entry) for entry in recent},
        entries_today=entries_today,
        doses_today=doses_today,
        checkin_dose=latest_session,
    )
