"""What a report says: the numbers and rows computed from a patient's journal.

`report_content` reads the journal once and returns plain data; the chart, PDF, CSV and
FHIR files are all drawn from it, so every format tells the same story. It is stored as
JSON on the report, so a shared report keeps saying what it said when it was built.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import patient_zone
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from journal.selectors import RedFlagMatcher, danger_sign_labels, relations_fill
from reference.models import Interference, RedFlag, Severity, SideEffect
from reports.models import Report
from reports.vitals import (
    HIGH_MEANING,
    ReadingRow,
    ScoreRow,
    SessionRow,
    readings_in,
    scores_in,
    sessions_in,
)

RESOLVED_QUICKLY = timedelta(hours=2)
SEVERITY_LABELS = dict(Severity.choices)
INTERFERENCE_LABELS = dict(Interference.choices)
FOOTER = (
    "This report describes what was recorded in Sidelog by the patient or on their behalf. "
    "It contains no dosing advice. Decisions about treatment belong to the patient and "
    "their prescriber."
)


@dataclass(frozen=True)
class EntryRow:
    """One symptom entry as the report shows it."""

    id: int
    symptom: str
    side_effect_slug: str | None
    category: str | None
    onset_at: datetime
    resolved_at: datetime | None
    severity: int
    severity_label: str
    interference: int
    interference_label: str
    dose_id: int | None
    dose_taken_at: datetime | None
    drug_name: str | None
    minutes_after_dose: int | None
    duration_minutes: int | None
    logged_by: str
    created_at: datetime
    edited_at: datetime | None
    is_backfilled: bool
    is_edited: bool
    red_flag: str | None
    notes: str
    danger_signs: list[str] = field(default_factory=list)  # as the patient ticked them
    read_as: str | None = None  # the library symptom the patient's own words were read as
    dose_amount: str = ""  # as the patient wrote it; never read as a number

    @property
    def symptom_with_signs(self) -> str:
        """The symptom as a provider reads it: with what it was read as and its danger signs."""
        text = self.symptom
        if self.read_as:
            text += f" (read as {self.read_as.lower()})"
        if self.danger_signs:
            text += "; with: " + ", ".join(sign.lower() for sign in self.danger_signs)
        return text

    @property
    def is_notable(self) -> bool:
        """Worth a provider's eye even in a long report."""
        return bool(
            self.red_flag
            or self.severity >= Severity.SEVERE
            or self.is_backfilled
            or self.is_edited
        )


@dataclass(frozen=True)
class SymptomSummary:
    symptom: str
    side_effect_slug: str | None
    category: str | None
    episodes: int
    days_affected: int
    worst_severity: int
    median_severity: float
    median_interference: float
    median_minutes_from_dose: float | None
    median_duration_minutes: float | None
    share_resolved_within_2h: float | None  # dissociative effects only
    previous_episodes: int
    previous_median_severity: float | None
    ongoing: int = 0  # episodes not yet resolved when the report was built

    @property
    def worst_severity_label(self) -> str:
        return Severity(self.worst_severity).label

    @property
    def change(self) -> str:
        """How this period compares with the one before it, in words."""
        difference = self.episodes - self.previous_episodes
        if self.previous_episodes == 0:
            return "new this period" if self.episodes else "none in either period"
        if difference == 0:
            return "same number of episodes as the previous period"
        more_or_fewer = "more" if difference > 0 else "fewer"
        plural = "" if abs(difference) == 1 else "s"
        return f"{abs(difference)} {more_or_fewer} episode{plural} than the previous period"


@dataclass(frozen=True)
class CourseSummary:
    id: int
    drug_name: str
    drug_slug: str
    atc_code: str
    rxnorm_code: str
    route: str
    route_label: str
    started_on: date
    stopped_on: date | None
    regimen: str
    doses_logged: int


@dataclass(frozen=True)
class DoseMark:
    id: int
    course_id: int
    drug_name: str
    taken_at: datetime
    setting: str
    is_backfilled: bool
    is_edited: bool
    amount: str = ""  # as the patient wrote it; never read as a number


@dataclass(frozen=True)
class ReportContent:
    report_id: int
    patient_id: int
    patient_name: str
    time_zone: str
    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    generated_at: datetime
    notes_included: bool
    courses: list[CourseSummary]
    symptoms: list[SymptomSummary]
    entries: list[EntryRow]
    doses: list[DoseMark]
    footer: str = FOOTER
    patient_birth_date: date | None = None
    report_name: str = ""  # as the patient named it when it was built
    red_flag_events: list[EntryRow] = field(default_factory=list)
    backfilled_or_edited: list[EntryRow] = field(default_factory=list)
    readings: list[ReadingRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    scores: list[ScoreRow] = field(default_factory=list)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def red_flags_by_urgency(self) -> list[EntryRow]:
        """The red-flag events, the most urgent first, then in order of onset."""
        return sorted(
            self.red_flag_events,
            key=lambda row: (_URGENCY.get(row.red_flag or "", len(_URGENCY)), row.onset_at, row.id),
        )

    @property
    def red_flags_listed(self) -> list[EntryRow]:
        """The red-flag events a page or the PDF lists: the most urgent, at most
        RED_FLAG_LIMIT (the files hold all)."""
        return self.red_flags_by_urgency[:RED_FLAG_LIMIT]

    @property
    def changed_listed(self) -> list[EntryRow]:
        """The back-filled or edited entries a page or the PDF lists, oldest first."""
        return self.backfilled_or_edited[:CHANGED_LIMIT]

    @property
    def high_meaning(self) -> str:
        return HIGH_MEANING

    @property
    def fevers(self) -> list[ReadingRow]:
        return [row for row in self.readings if row.is_fever]

    @property
    def scored(self) -> list[ScoreRow]:
        """The PHQ-9 and GAD-7 responses, oldest first."""
        return [row for row in self.scores if row.is_scored]

    def to_json(self) -> dict[str, Any]:
        """What the report's pages show, as plain JSON types (dates as ISO 8601), to store
        with the report. The entries themselves are left out: the files hold every one, and
        a year's entries would make every page that shows the report read megabytes.
        (`dataclasses.asdict` is 5x slower here.)"""
        data = _flat(self)
        del data["entries"]
        for name in STORED_LISTS:
            data[name] = [_flat(row) for row in getattr(self, name)]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportContent:
        """The stored content, with no `entries` (see `to_json`)."""

        def entries(name: str) -> list[EntryRow]:
            return [EntryRow(**_parse_times(row)) for row in data.get(name, [])]

        if "backfilled_or_edited" in data:
            changed = entries("backfilled_or_edited")
        else:  # stored before the entries were left out
            changed = [row for row in entries("entries") if row.is_backfilled or row.is_edited]
        return cls(
            **{
                **_parse_times(data),
                "courses": [CourseSummary(**_parse_times(c)) for c in data["courses"]],
                "symptoms": [SymptomSummary(**s) for s in data["symptoms"]],
                "entries": [],
                "doses": [DoseMark(**_parse_times(d)) for d in data["doses"]],
                "red_flag_events": entries("red_flag_events"),
                "backfilled_or_edited": changed,
                "readings": [ReadingRow(**_parse_times(r)) for r in data.get("readings", [])],
                "sessions": [SessionRow(**_parse_times(r)) for r in data.get("sessions", [])],
                "scores": [ScoreRow(**_parse_times(r)) for r in data.get("scores", [])],
            }
        )


# A report names the patient by the name they chose, never by their username.
NO_NAME = "Name not given"
# How many red-flag events and back-filled or edited entries the pages and the PDF list:
# a reader wants the most urgent few, not thousands; the CSV and FHIR files hold all.
RED_FLAG_LIMIT = 15
CHANGED_LIMIT = 50
STORED_LISTS = (
    "courses",
    "symptoms",
    "doses",
    "red_flag_events",
    "backfilled_or_edited",
    "readings",
    "sessions",
    "scores",
)
_URGENCY = {label: rank for rank, label in enumerate(RedFlag.Action.labels)}


_DATETIME_FIELDS = {
    "onset_at",
    "resolved_at",
    "dose_taken_at",
    "created_at",
    "edited_at",
    "taken_at",
    "generated_at",
    "measured_at",
    "completed_at",
    "highest_at",
    "high_since",
    "high_until",
    "ready_to_leave_at",
}
_DATE_FIELDS = {
    "period_start",
    "period_end",
    "previous_start",
    "previous_end",
    "patient_birth_date",
    "started_on",
    "stopped_on",
}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return _FIELD_NAMES[kind]


def _flat(row: Any) -> dict[str, Any]:
    """A flat dataclass's fields with dates as ISO text; lists are left for the caller."""
    data = {}
    for name in _field_names(type(row)):
        value = getattr(row, name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    return data


def _parse_times(data: dict[str, Any]) -> dict[str, Any]:
    parsed = dict(data)
    for key, value in data.items():
        if value is None:
            continue
        if key in _DATETIME_FIELDS:
            parsed[key] = datetime.fromisoformat(value)
        elif key in _DATE_FIELDS:
            parsed[key] = date.fromisoformat(value)
    return parsed


def local_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants at which a patient's first day starts and the day after the last begins."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _median(values: Iterable[float]) -> float | None:
    listed = list(values)
    return float(statistics.median(listed)) if listed else None


def _days_affected(entries: list[SymptomEntry], zone: ZoneInfo, period_end: datetime) -> int:
    """Distinct days, in the patient's zone, on which the symptom was present."""
    days: set[date] = set()
    for entry in entries:
        # The last instant it was present: `resolved_at` and `period_end` are both exclusive,
        # so neither the day after the period nor a day it ended at midnight counts.
        last = min(entry.resolved_at or period_end, period_end) - timedelta(microseconds=1)
        day = entry.onset_at.astimezone(zone).date()
        final = max(last.astimezone(zone).date(), day)
        # An unresolved symptom counts only on the day it started, not every day after.
        if entry.resolved_at is None:
            final = day
        while day <= final:
            days.add(day)
            day += timedelta(days=1)
    return len(days)


def _summaries(
    current: list[SymptomEntry],
    previous: list[SymptomEntry],
    zone: ZoneInfo,
    period_end: datetime,
) -> list[SymptomSummary]:
    def key(entry: SymptomEntry) -> tuple[str, str]:
        """Library symptoms by identity; the patient's own words by their text, any case."""
        if entry.side_effect_id is not None:
            return ("library", str(entry.side_effect_id))
        return ("other", " ".join(entry.other_symptom.split()).casefold())

    grouped: dict[tuple[str, str], list[SymptomEntry]] = defaultdict(list)
    for entry in current:
        grouped[key(entry)].append(entry)
    previous_grouped: dict[tuple[str, str], list[SymptomEntry]] = defaultdict(list)
    for entry in previous:
        previous_grouped[key(entry)].append(entry)

    summaries = []
    for group, entries in grouped.items():
        side_effect = entries[0].side_effect
        name = side_effect.name if side_effect else entries[0].other_symptom.strip()
        category = side_effect.category if side_effect else None
        durations = [e.duration for e in entries if e.duration is not None]
        after_dose = [e.onset_at - e.dose.taken_at for e in entries if e.dose is not None]
        quick_share = None
        if category == SideEffect.Category.DISSOCIATIVE:
            quick = sum(
                1 for e in entries if e.duration is not None and e.duration <= RESOLVED_QUICKLY
            )
            quick_share = quick / len(entries)
        before = previous_grouped.get(group, [])
        summaries.append(
            SymptomSummary(
                symptom=name,
                side_effect_slug=side_effect.slug if side_effect else None,
                category=category,
                episodes=len(entries),
                days_affected=_days_affected(entries, zone, period_end),
                worst_severity=max(e.severity for e in entries),
                median_severity=float(statistics.median(e.severity for e in entries)),
                median_interference=float(statistics.median(e.interference for e in entries)),
                median_minutes_from_dose=_median(_minutes(d) for d in after_dose),
                median_duration_minutes=_median(_minutes(d) for d in durations),
                share_resolved_within_2h=quick_share,
                previous_episodes=len(before),
                previous_median_severity=_median(e.severity for e in before),
                ongoing=sum(1 for e in entries if e.resolved_at is None),
            )
        )
    summaries.sort(key=lambda s: (-s.worst_severity, -s.episodes, s.symptom))
    return summaries


def _entry_row(entry: SymptomEntry, matcher: RedFlagMatcher, include_notes: bool) -> EntryRow:
    flags = matcher.for_entry(entry)
    dose, side_effect, read_as = entry.dose, entry.side_effect, entry.matched_side_effect
    duration = entry.duration
    return EntryRow(
        id=entry.pk,
        symptom=side_effect.name if side_effect else entry.other_symptom,
        side_effect_slug=side_effect.slug if side_effect else None,
        category=side_effect.category if side_effect else None,
        onset_at=entry.onset_at,
        resolved_at=entry.resolved_at,
        severity=entry.severity,
        severity_label=SEVERITY_LABELS[entry.severity],
        interference=entry.interference,
        interference_label=INTERFERENCE_LABELS[entry.interference],
        dose_id=dose.pk if dose else None,
        dose_taken_at=dose.taken_at if dose else None,
        drug_name=dose.course.drug.name if dose else None,
        dose_amount=dose.amount if dose else "",
        minutes_after_dose=_minutes(entry.onset_at - dose.taken_at) if dose else None,
        duration_minutes=_minutes(duration) if duration is not None else None,
        logged_by=_logged_by(entry.logged_by, patient_id=matcher.patient.pk),
        created_at=entry.created_at,
        edited_at=entry.edited_at,
        is_backfilled=entry.is_backfilled,
        is_edited=entry.edited_at is not None,
        red_flag=flags[0].get_action_display() if flags else None,
        notes=entry.notes if include_notes else "",
        danger_signs=danger_sign_labels(entry) if entry.danger_signs else [],
        read_as=read_as.name if read_as else None,
    )


def _logged_by(who: User | None, *, patient_id: int) -> str:
    """Who logged an entry, as a report names them: never by their username."""
    if who is None:
        return "someone no longer in Sidelog"
    if who.pk == patient_id:
        return "patient"
    name = _display_name(who)
    return f"{name} (caregiver)" if name else "caregiver"


def _display_name(person: User) -> str:
    profile = getattr(person, "profile", None)
    return profile.display_name if profile is not None else ""


def _birth_date(person: User) -> date | None:
    profile = getattr(person, "profile", None)
    return profile.date_of_birth if profile is not None else None


def report_content(*, report: Report) -> ReportContent:
    """Compute everything a report shows, in a fixed number of queries."""
    patient = report.patient
    zone = patient_zone(patient)
    start, end = local_bounds(report.period_start, report.period_end, zone)
    previous_start_day = report.period_start - timedelta(days=report.period_days)
    previous_start, _ = local_bounds(previous_start_day, previous_start_day, zone)

    all_courses = list(
        MedicationCourse.objects.filter(patient=patient)
        .select_related("drug")
        .order_by("started_on")
    )
    chosen = list(report.courses.values_list("pk", flat=True))
    courses = [course for course in all_courses if not chosen or course.pk in chosen]
    doses = list(
        DoseEvent.objects.filter(
            course_id__in=[course.pk for course in courses], taken_at__gte=start, taken_at__lt=end
        )
        .select_related("course__drug")
        .order_by("taken_at", "pk")
    )
    entries = _entries(report, chosen)
    current = list(entries.filter(onset_at__gte=start, onset_at__lt=end).order_by("onset_at", "pk"))
    relations_fill(patient=patient, entries=current, courses=all_courses)
    # Only counted by symptom, with their severity.
    previous = list(
        entries.filter(onset_at__gte=previous_start, onset_at__lt=start).only(
            "side_effect_id", "other_symptom", "severity"
        )
    )

    matcher = RedFlagMatcher(patient=patient)
    matcher.expect(current)
    rows = [_entry_row(entry, matcher, report.include_notes) for entry in current]
    return ReportContent(
        report_id=report.pk,
        patient_id=patient.pk,
        patient_name=_display_name(patient) or patient.get_full_name() or NO_NAME,
        patient_birth_date=_birth_date(patient),
        report_name=report.name,
        time_zone=str(zone),
        period_start=report.period_start,
        period_end=report.period_end,
        previous_start=previous_start_day,
        previous_end=report.period_start - timedelta(days=1),
        generated_at=timezone.now(),
        notes_included=report.include_notes,
        courses=_course_summaries(courses, doses),
        symptoms=_summaries(current, previous, zone, end),
        entries=rows,
        doses=[_dose_mark(dose) for dose in doses],
        red_flag_events=[row for row in rows if row.red_flag],
        backfilled_or_edited=[row for row in rows if row.is_backfilled or row.is_edited],
        **_vitals(report, doses, (start, end), chosen),
    )


def _vitals(
    report: Report, doses: list[DoseEvent], bounds: tuple[datetime, datetime], chosen: list[int]
) -> dict[str, Any]:
    """The readings, sessions and questionnaire scores in the period."""
    patient = report.patient
    logged_by = partial(_logged_by, patient_id=patient.pk)
    start, end = bounds
    readings = readings_in(
        patient=patient,
        start=start,
        end=end,
        chosen=chosen,
        include_notes=report.include_notes,
        logged_by=logged_by,
    )
    return {
        "readings": readings,
        "sessions": sessions_in(doses, readings),
        "scores": scores_in(patient=patient, start=start, end=end, logged_by=logged_by),
    }


def _entries(report: Report, chosen: list[int]) -> QuerySet[SymptomEntry]:
    """The patient's entries that belong in this report. The rows each shows (symptom,
    dose, who logged it) are given by `relations_fill`, as the journal's pages are: thousands
    of entries share a handful of side effects and doses, each then built once."""
    entries = SymptomEntry.objects.filter(patient=report.patient).defer(
        "patient", "updated_at", "from_checkin", "match_set_by_patient"
    )
    if not report.include_notes:
        entries = entries.defer("notes")
    if chosen:
        # Entries after another course's dose belong to that course's report.
        entries = entries.filter(Q(dose__isnull=True) | Q(dose__course_id__in=chosen))
    return entries


def _course_summaries(
    courses: list[MedicationCourse], doses: list[DoseEvent]
) -> list[CourseSummary]:
    doses_per_course: dict[int, int] = defaultdict(int)
    for dose in doses:
        doses_per_course[dose.course_id] += 1
    return [
        CourseSummary(
            id=course.pk,
            drug_name=course.drug.name,
            drug_slug=course.drug.slug,
            atc_code=course.drug.atc_code,
            rxnorm_code=course.drug.rxnorm_code,
            route=course.route,
            route_label=course.get_route_display(),
            started_on=course.started_on,
            stopped_on=course.stopped_on,
            regimen=course.regimen,
            doses_logged=doses_per_course[course.pk],
        )
        for course in courses
    ]


def _dose_mark(dose: DoseEvent) -> DoseMark:
    return DoseMark(
        id=dose.pk,
        course_id=dose.course_id,
        drug_name=dose.course.drug.name,
        taken_at=dose.taken_at,
        setting=dose.setting,
        is_backfilled=dose.is_backfilled,
        is_edited=dose.is_edited,
        amount=dose.amount,
    )


def stored_content(report: Report) -> ReportContent | None:
    """What a ready report said when it was built."""
    return ReportContent.from_json(report.content) if report.content else None
