"""The timeline and the dashboard."""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

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
from journal.selectors.records import course_list, dose_list, entry_list, relations_fill
from journal.selectors.red_flags import red_flags_for
from reference.models import RedFlag, SideEffect


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
    """Entries and doses as one list to page through, newest first, that never sorts the
    whole journal: a page is merged from the newest rows of each (both indexed by patient
    or course and time), and the count is their two counts added."""

    def __init__(
        self,
        entries: QuerySet[SymptomEntry],
        doses: QuerySet[DoseEvent] | None,
        readings: QuerySet[Measurement] | None = None,
    ) -> None:
        self.entries = entries
        self.doses = doses
        self.readings = readings

    def count(self) -> int:
        count = self.entries.count() + (self.doses.count() if self.doses is not None else 0)
        return count + (self.readings.count() if self.readings is not None else 0)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        newest = window.stop
        kinds = [self._rows(self.entries, "entry", "onset_at", newest)]
        if self.doses is not None:
            kinds.append(self._rows(self.doses, "dose", "taken_at", newest))
        if self.readings is not None:
            kinds.append(self._rows(self.readings, "reading", "measured_at", newest))
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
    rows = cast("list[dict[str, Any]]", TimelineRows(entries, doses, readings))
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
    loaded: dict[tuple[str, int], DoseEvent | SymptomEntry | Measurement] = {
        **{("entry", entry.pk): entry for entry in shown_entries},
        **{("dose", dose.pk): dose for dose in doses_read if dose.pk in page_doses},
        **{("reading", row.pk): row for row in _readings(patient, wanted["reading"])},
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
        entries_today=entry_list(patient=patient, start=today_start).count(),
        doses_today=dose_list(patient=patient, start=today_start).count(),
        checkin_dose=latest_session,
    )
