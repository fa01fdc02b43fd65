"""The numbers a provider reads in a report summary, pinned on hand-built journals.

Every expected value is worked out by hand from the entries each test writes, in the
patient's own time zone; comments show the arithmetic a provider would do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reference.models import Interference, RedFlag, Severity
from reference.safety import find_dosage_advice
from reference.selectors import library_copy
from reports.content import (
    FOOTER,
    EntryRow,
    ReportContent,
    SymptomSummary,
    local_bounds,
    report_content,
    stored_content,
)
from reports.models import Report
from tests.support.factories import (
    CaregiverFactory,
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    seeded_drug,
    seeded_side_effect,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
# How long after the event a careful patient logs it: well inside the back-fill window.
LOGGED_PROMPTLY = timedelta(minutes=5)

# Pat's June week (no clock change): Monday 3 to Sunday 9 June 2024, London summer time.
WEEK_START = date(2024, 6, 3)
WEEK_END = date(2024, 6, 9)


def london(
    month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2024, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON, fold=fold)


def new_york(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def utc(
    month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, *, year: int = 2024
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def course_of(patient: User, drug: str = "esketamine") -> MedicationCourse:
    route = MedicationCourse.Route.NASAL if drug == "esketamine" else MedicationCourse.Route.ORAL
    return CourseFactory.create(
        patient=patient, drug=seeded_drug(drug), started_on=date(2024, 1, 1), route=route
    )


def dose_at(
    course: MedicationCourse,
    taken_at: datetime,
    *,
    logged_at: datetime | None = None,
    edited_at: datetime | None = None,
) -> DoseEvent:
    dose = DoseFactory.create(course=course, taken_at=taken_at, edited_at=edited_at)
    # created_at is auto_now_add: set it to when the patient logged the dose.
    DoseEvent.objects.filter(pk=dose.pk).update(created_at=logged_at or taken_at + LOGGED_PROMPTLY)
    return dose


def entry_at(
    patient: User,
    onset_at: datetime,
    symptom: str = "dizziness",
    *,
    other: str = "",
    resolved_at: datetime | None = None,
    severity: int = 2,
    interference: int = 1,
    dose: DoseEvent | None = None,
    notes: str = "",
    logged_at: datetime | None = None,
    edited_at: datetime | None = None,
) -> SymptomEntry:
    entry = EntryFactory.create(
        patient=patient,
        side_effect=None if other else seeded_side_effect(symptom),
        other_symptom=other,
        onset_at=onset_at,
        resolved_at=resolved_at,
        severity=severity,
        interference=interference,
        dose=dose,
        notes=notes,
        edited_at=edited_at,
    )
    SymptomEntry.objects.filter(pk=entry.pk).update(
        created_at=logged_at or onset_at + LOGGED_PROMPTLY
    )
    return entry


def report_for(
    patient: User,
    start: date,
    end: date,
    *,
    courses: Sequence[MedicationCourse] = (),
    include_notes: bool = False,
) -> ReportContent:
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=start,
        period_end=end,
        include_notes=include_notes,
    )
    report.courses.set(courses)
    return report_content(report=Report.objects.get(pk=report.pk))


def summary_of(content: ReportContent, symptom: str) -> SymptomSummary:
    [found] = [summary for summary in content.symptoms if summary.symptom == symptom]
    return found


def local_days(content: ReportContent) -> list[date]:
    return [row.onset_at.astimezone(content.zone).date() for row in content.entries]


def summary_with(episodes: int, previous_episodes: int) -> SymptomSummary:
    return SymptomSummary(
        symptom="Headache",
        side_effect_slug="headache",
        category="common",
        episodes=episodes,
        days_affected=episodes,
        worst_severity=2,
        median_severity=2.0,
        median_interference=1.0,
        median_minutes_from_dose=None,
        median_duration_minutes=None,
        share_resolved_within_2h=None,
        previous_episodes=previous_episodes,
        previous_median_severity=2.0 if previous_episodes else None,
    )


@pytest.fixture
def june_week(patient: User) -> ReportContent:
    """Pat's week on esketamine: dissociation after sessions, headaches, two free-text symptoms.

    Pat lives in London; in June that is UTC+1.
    """
    course = course_of(patient)
    monday = dose_at(course, london(6, 3, 10, 0))
    thursday = dose_at(course, london(6, 6, 10, 0))
    sunday = dose_at(course, london(6, 9, 19, 0))

    # Dissociation and detachment (dissociative).
    entry_at(
        patient,
        london(6, 3, 10, 10),
        "dissociation",
        resolved_at=london(6, 3, 11, 0),
        severity=3,
        interference=3,
        dose=monday,
    )
    entry_at(
        patient,
        london(6, 6, 10, 20),
        "dissociation",
        resolved_at=london(6, 6, 13, 0),
        severity=2,
        interference=2,
        dose=thursday,
    )
    entry_at(
        patient,
        london(6, 8, 23, 30),
        "dissociation",
        resolved_at=london(6, 9, 0, 30),
        severity=1,
        interference=0,
    )
    entry_at(patient, london(6, 9, 20, 0), "dissociation", severity=2, interference=4, dose=sunday)

    # Headache (common), twice on Tuesday, no dose linked.
    entry_at(patient, london(6, 4, 8, 0), "headache", resolved_at=london(6, 4, 9, 30), severity=2)
    entry_at(patient, london(6, 4, 18, 0), "headache", resolved_at=london(6, 4, 18, 45), severity=1)

    # Free-text symptoms.
    entry_at(
        patient,
        london(6, 5, 12, 0),
        other="Ringing in ears",
        resolved_at=london(6, 5, 12, 5),
        severity=1,
        interference=0,
    )
    entry_at(
        patient,
        london(6, 7, 12, 0),
        other="Ringing in ears",
        resolved_at=london(6, 7, 12, 20),
        severity=1,
        interference=2,
    )
    entry_at(patient, london(6, 7, 9, 0), other="Metallic taste", severity=1, interference=0)

    # The previous week, 27 May to 2 June.
    entry_at(patient, london(5, 28, 10, 0), "dissociation", severity=3)
    entry_at(patient, london(5, 30, 10, 0), "dissociation", severity=4)
    entry_at(patient, london(5, 27, 9, 0), "headache", severity=1)
    entry_at(patient, london(5, 29, 9, 0), "headache", severity=2)
    entry_at(patient, london(5, 31, 9, 0), "headache", severity=3)
    entry_at(patient, london(5, 28, 12, 0), other="Ringing in ears", severity=2)
    entry_at(patient, london(6, 1, 12, 0), other="Ringing in ears", severity=2)

    return report_for(patient, WEEK_START, WEEK_END)


# Per symptom, on Pat's June week


def test_dissociation_reads_episodes_days_severity_timing_and_quick_resolution(
    june_week: ReportContent,
) -> None:
    assert summary_of(june_week, "Dissociation and detachment") == SymptomSummary(
        symptom="Dissociation and detachment",
        side_effect_slug="dissociation",
        category="dissociative",
        episodes=4,
        # Mon 3, Thu 6, Sat 8 and Sun 9 (23:30–00:30 spans midnight; Sunday's ongoing one
        # falls on a day already counted).
        days_affected=4,
        worst_severity=3,
        median_severity=2.0,  # 1, 2, 2, 3
        median_interference=2.5,  # 0, 2, 3, 4
        median_minutes_from_dose=20.0,  # 10, 20, 60; the Saturday one has no dose
        median_duration_minutes=60.0,  # 50, 60, 160; the ongoing one has no duration
        share_resolved_within_2h=0.5,  # 50 and 60 min yes; 160 min and ongoing no
        previous_episodes=2,
        previous_median_severity=3.5,  # 3, 4
        ongoing=1,
    )


def test_headache_has_no_dose_timing_and_no_quick_resolution_share(
    june_week: ReportContent,
) -> None:
    assert summary_of(june_week, "Headache") == SymptomSummary(
        symptom="Headache",
        side_effect_slug="headache",
        category="common",
        episodes=2,
        days_affected=1,  # both on Tuesday
        worst_severity=2,
        median_severity=1.5,
        median_interference=1.0,
        median_minutes_from_dose=None,
        median_duration_minutes=67.5,  # 45, 90
        share_resolved_within_2h=None,  # a common symptom, not dissociative
        previous_episodes=3,
        previous_median_severity=2.0,  # 1, 2, 3
    )


def test_free_text_symptoms_are_grouped_by_their_text(june_week: ReportContent) -> None:
    assert summary_of(june_week, "Ringing in ears") == SymptomSummary(
        symptom="Ringing in ears",
        side_effect_slug=None,
        category=None,
        episodes=2,
        days_affected=2,
        worst_severity=1,
        median_severity=1.0,
        median_interference=1.0,  # 0, 2
        median_minutes_from_dose=None,
        median_duration_minutes=12.5,  # 5, 20
        share_resolved_within_2h=None,
        previous_episodes=2,
        previous_median_severity=2.0,
    )
    assert summary_of(june_week, "Metallic taste") == SymptomSummary(
        symptom="Metallic taste",
        side_effect_slug=None,
        category=None,
        episodes=1,
        days_affected=1,
        worst_severity=1,
        median_severity=1.0,
        median_interference=0.0,
        median_minutes_from_dose=None,
        median_duration_minutes=None,  # still ongoing
        share_resolved_within_2h=None,
        previous_episodes=0,
        previous_median_severity=None,
        ongoing=1,
    )


def test_symptoms_are_listed_worst_first_then_most_frequent(june_week: ReportContent) -> None:
    assert [s.symptom for s in june_week.symptoms] == [
        "Dissociation and detachment",
        "Headache",
        "Ringing in ears",
        "Metallic taste",
    ]
    assert [s.worst_severity_label for s in june_week.symptoms] == [
        "Severe",
        "Moderate",
        "Mild",
        "Mild",
    ]


def test_the_change_against_the_previous_week_reads_in_words(june_week: ReportContent) -> None:
    assert {s.symptom: s.change for s in june_week.symptoms} == {
        "Dissociation and detachment": "2 more episodes than the previous period",
        "Headache": "1 fewer episode than the previous period",
        "Ringing in ears": "same number of episodes as the previous period",
        "Metallic taste": "new this period",
    }


def test_the_previous_period_is_the_same_length_just_before(june_week: ReportContent) -> None:
    assert (june_week.period_start, june_week.period_end) == (WEEK_START, WEEK_END)
    assert (june_week.previous_start, june_week.previous_end) == (
        date(2024, 5, 27),
        date(2024, 6, 2),
    )


@pytest.mark.parametrize(
    ("episodes", "previous_episodes", "sentence"),
    [
        (3, 0, "new this period"),
        (3, 1, "2 more episodes than the previous period"),
        (2, 1, "1 more episode than the previous period"),
        (2, 3, "1 fewer episode than the previous period"),
        (1, 4, "3 fewer episodes than the previous period"),
        (2, 2, "same number of episodes as the previous period"),
        (0, 0, "none in either period"),
    ],
)
def test_every_change_sentence_reads_as_a_provider_expects_and_gives_no_dosing_advice(
    episodes: int, previous_episodes: int, sentence: str
) -> None:
    change = summary_with(episodes, previous_episodes).change

    assert change == sentence
    assert find_dosage_advice(change) == []


def test_the_footer_says_it_gives_no_dosing_advice_and_gives_none(
    june_week: ReportContent,
) -> None:
    assert june_week.footer == FOOTER
    assert "contains no dosing advice" in FOOTER
    assert find_dosage_advice(FOOTER) == []


def test_no_generated_label_in_a_report_gives_dosing_advice(june_week: ReportContent) -> None:
    generated = [
        *(s.change for s in june_week.symptoms),
        *(s.worst_severity_label for s in june_week.symptoms),
        *(row.severity_label for row in june_week.entries),
        *(row.interference_label for row in june_week.entries),
        *(row.red_flag for row in june_week.entries if row.red_flag),
        *Severity.labels,
        *Interference.labels,
        *RedFlag.Action.labels,
        june_week.footer,
    ]

    assert {text: find_dosage_advice(text) for text in generated} == {
        text: [] for text in generated
    }


# Days affected


def test_an_episode_spanning_midnight_counts_on_both_days(patient: User) -> None:
    entry_at(patient, london(6, 4, 23, 30), resolved_at=london(6, 5, 0, 30))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dizziness").days_affected == 2


def test_an_episode_lasting_into_a_third_day_counts_every_day_it_touched(patient: User) -> None:
    entry_at(patient, london(6, 3, 22, 0), resolved_at=london(6, 5, 1, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dizziness").days_affected == 3  # Mon, Tue, Wed


def test_an_ongoing_episode_counts_on_its_start_day_only(patient: User) -> None:
    """Current design: an unresolved symptom is not assumed present every day after."""
    entry_at(patient, london(6, 4, 9, 0), "skin-rash", severity=1)

    content = report_for(patient, WEEK_START, WEEK_END)

    rash = summary_of(content, "Skin rash")
    assert (rash.episodes, rash.days_affected, rash.median_duration_minutes) == (1, 1, None)
    [row] = content.entries
    assert row.resolved_at is None
    assert row.duration_minutes is None


def test_an_episode_running_past_the_period_counts_only_days_inside_it(patient: User) -> None:
    entry_at(patient, london(6, 9, 23, 0), resolved_at=london(6, 10, 1, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    dizziness = summary_of(content, "Dizziness")
    assert dizziness.days_affected == 1  # Sunday 9; Monday 10 is outside the report
    assert dizziness.median_duration_minutes == 120.0  # the episode itself is reported whole


def test_an_episode_that_ends_at_midnight_does_not_count_the_next_day(patient: User) -> None:
    entry_at(patient, london(6, 4, 22, 0), resolved_at=london(6, 5, 0, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dizziness").days_affected == 1


# Timing


def test_only_entries_linked_to_a_dose_give_a_time_from_dose(patient: User) -> None:
    course = course_of(patient)
    dose = dose_at(course, london(6, 3, 10, 0))
    linked = entry_at(patient, london(6, 3, 10, 45), dose=dose)
    # Half an hour after the same dose, but Pat did not link it: no time is inferred.
    unlinked = entry_at(patient, london(6, 3, 10, 30))

    content = report_for(patient, WEEK_START, WEEK_END)

    rows = {row.id: row for row in content.entries}
    assert (rows[linked.pk].minutes_after_dose, rows[linked.pk].drug_name) == (45, "Esketamine")
    assert (rows[unlinked.pk].minutes_after_dose, rows[unlinked.pk].drug_name) == (None, None)
    assert rows[unlinked.pk].dose_id is None
    assert summary_of(content, "Dizziness").median_minutes_from_dose == 45.0


def test_a_symptom_never_linked_to_a_dose_has_no_time_from_dose(patient: User) -> None:
    dose_at(course_of(patient), london(6, 3, 10, 0))
    entry_at(patient, london(6, 3, 11, 0), resolved_at=london(6, 3, 11, 30))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dizziness").median_minutes_from_dose is None
    assert summary_of(content, "Dizziness").median_duration_minutes == 30.0


def test_resolved_within_2_hours_includes_exactly_2_hours_and_counts_ongoing_as_not(
    patient: User,
) -> None:
    entry_at(patient, london(6, 3, 10, 0), "dissociation", resolved_at=london(6, 3, 12, 0))
    entry_at(patient, london(6, 4, 10, 0), "dissociation", resolved_at=london(6, 4, 12, 1))
    entry_at(patient, london(6, 5, 10, 0), "dissociation")
    entry_at(patient, london(6, 6, 10, 0), "perception-changes", resolved_at=london(6, 6, 10, 30))
    entry_at(patient, london(6, 6, 10, 0), "dizziness", resolved_at=london(6, 6, 10, 30))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dissociation and detachment").share_resolved_within_2h == (
        pytest.approx(1 / 3)
    )
    assert summary_of(content, "Perception changes").share_resolved_within_2h == 1.0
    assert summary_of(content, "Dizziness").share_resolved_within_2h is None


# Empty periods, boundaries and other patients


def test_an_empty_period_gives_empty_lists_and_still_lists_the_medication(
    patient: User,
) -> None:
    course = course_of(patient)
    dose_at(course, london(5, 30, 10, 0))  # the week before: not in this report
    entry_at(patient, london(6, 10, 10, 0))  # the week after

    content = report_for(patient, WEEK_START, WEEK_END)

    assert content.symptoms == []
    assert content.entries == []
    assert content.doses == []
    assert content.red_flag_events == []
    assert content.backfilled_or_edited == []
    assert [(c.drug_name, c.doses_logged) for c in content.courses] == [("Esketamine", 0)]
    assert ReportContent.from_json(json.loads(json.dumps(content.to_json()))) == content


def test_a_journal_with_no_medication_and_no_entries_gives_an_empty_report(
    patient: User,
) -> None:
    content = report_for(patient, WEEK_START, WEEK_END)

    assert (content.courses, content.symptoms, content.entries, content.doses) == ([], [], [], [])
    assert content.time_zone == "Europe/London"
    assert content.patient_name == "Name not given"  # never the login name, "pat"


def test_a_report_names_the_patient_and_who_logged_each_entry_never_by_username(
    patient: User,
) -> None:
    Profile.objects.filter(user=patient).update(display_name="Pat Rivera")
    carer = CaregiverFactory.create(username="sam77")
    Profile.objects.filter(user=carer).update(display_name="Sam, Pat's son")
    nameless = CaregiverFactory.create(username="jo_k")
    for logger, hour in ((patient, 9), (carer, 10), (nameless, 11)):
        entry = entry_at(patient, london(6, 4, hour, 0))
        SymptomEntry.objects.filter(pk=entry.pk).update(logged_by=logger)

    content = report_for(patient, WEEK_START, WEEK_END)

    assert content.patient_name == "Pat Rivera"
    assert [row.logged_by for row in content.entries] == [
        "patient",
        "Sam, Pat's son (caregiver)",
        "caregiver",
    ]


def test_the_first_local_midnight_is_included_and_the_one_after_the_last_day_is_not(
    patient: User,
) -> None:
    course = course_of(patient)
    # London is UTC+1 in June: the week runs from 2 June 23:00 UTC to 9 June 23:00 UTC.
    first_instant = entry_at(patient, utc(6, 2, 23, 0))
    last_instant = entry_at(patient, utc(6, 9, 22, 59, 59))
    entry_at(patient, utc(6, 9, 23, 0))  # Monday 10 June 00:00 in London
    just_before = entry_at(patient, utc(6, 2, 22, 59, 59))  # Sunday 2 June 23:59:59
    first_dose = dose_at(course, utc(6, 2, 23, 0))
    dose_at(course, utc(6, 9, 23, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert [row.id for row in content.entries] == [first_instant.pk, last_instant.pk]
    assert local_days(content) == [date(2024, 6, 3), date(2024, 6, 9)]
    assert [dose.id for dose in content.doses] == [first_dose.pk]
    dizziness = summary_of(content, "Dizziness")
    assert (dizziness.episodes, dizziness.days_affected) == (2, 2)
    # The second before the week falls in the previous week.
    assert dizziness.previous_episodes == 1
    assert just_before.pk not in {row.id for row in content.entries}


def test_the_previous_period_starts_at_its_own_local_midnight(patient: User) -> None:
    entry_at(patient, utc(5, 26, 23, 0))  # Monday 27 May 00:00 in London: counted
    entry_at(patient, utc(5, 26, 22, 59))  # Sunday 26 May 23:59: two weeks back
    entry_at(patient, london(6, 5, 10, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert summary_of(content, "Dizziness").previous_episodes == 1


def test_another_patients_entries_and_doses_are_never_included(
    patient: User, other_patient: User
) -> None:
    mine = entry_at(patient, london(6, 5, 10, 0), "headache")
    my_dose = dose_at(course_of(patient), london(6, 5, 9, 0))
    theirs = course_of(other_patient)
    their_dose = dose_at(theirs, london(6, 5, 9, 0))
    entry_at(other_patient, london(6, 5, 10, 0), "headache", dose=their_dose, severity=4)
    entry_at(other_patient, london(6, 6, 10, 0), "suicidal-thoughts")
    entry_at(other_patient, london(5, 29, 10, 0), "headache")

    content = report_for(patient, WEEK_START, WEEK_END)

    assert [row.id for row in content.entries] == [mine.pk]
    assert [dose.id for dose in content.doses] == [my_dose.pk]
    assert [course.doses_logged for course in content.courses] == [1]
    headache = summary_of(content, "Headache")
    assert (headache.episodes, headache.worst_severity, headache.previous_episodes) == (1, 2, 0)
    assert content.red_flag_events == []


# Time zones across a clock change


def test_local_bounds_are_local_midnights_on_days_the_clocks_change() -> None:
    # London, clocks go back on Sunday 27 October 2024: that day lasts 25 hours.
    assert local_bounds(date(2024, 10, 21), date(2024, 10, 27), LONDON) == (
        utc(10, 20, 23, 0),
        utc(10, 28, 0, 0),
    )
    # New York, clocks go forward on Sunday 10 March 2024: that day lasts 23 hours.
    assert local_bounds(date(2024, 3, 4), date(2024, 3, 10), NEW_YORK) == (
        utc(3, 4, 5, 0),
        utc(3, 11, 4, 0),
    )


def test_london_entries_near_midnight_land_on_the_local_day_when_the_clocks_go_back(
    patient: User,
) -> None:
    entry_at(patient, utc(10, 20, 22, 59))  # Sunday 20 October 23:59 BST: previous week
    entry_at(patient, utc(10, 20, 23, 0))  # Monday 21 October 00:00 BST
    # Half an hour apart, both on 26 October in UTC, but on two days in London.
    entry_at(patient, utc(10, 26, 22, 45), "headache")  # Saturday 26 October 23:45 BST
    entry_at(patient, utc(10, 26, 23, 15), "headache")  # Sunday 27 October 00:15 BST
    entry_at(patient, utc(10, 27, 23, 30))  # Sunday 27 October 23:30 GMT
    entry_at(patient, utc(10, 28, 0, 0))  # Monday 28 October 00:00 GMT: next week

    content = report_for(patient, date(2024, 10, 21), date(2024, 10, 27))

    assert local_days(content) == [
        date(2024, 10, 21),
        date(2024, 10, 26),
        date(2024, 10, 27),
        date(2024, 10, 27),
    ]
    headache = summary_of(content, "Headache")
    assert (headache.episodes, headache.days_affected) == (2, 2)
    dizziness = summary_of(content, "Dizziness")
    assert (dizziness.episodes, dizziness.days_affected, dizziness.previous_episodes) == (2, 2, 1)


def test_london_durations_and_dose_timing_across_the_clock_change_are_real_minutes(
    patient: User,
) -> None:
    course = course_of(patient)
    # 01:20 BST happens before the clocks go back at 02:00 BST (01:00 GMT) ...
    dose = dose_at(course, london(10, 27, 1, 20))
    # ... and 01:10 GMT comes after 01:40 BST: 30 real minutes, though the clock went back.
    quick = entry_at(
        patient,
        london(10, 27, 1, 40),
        "dissociation",
        resolved_at=london(10, 27, 1, 10, fold=1),
        dose=dose,
    )
    # Saturday 23:00 BST to Sunday 09:00 GMT: 11 hours, not the 10 the clock face shows.
    overnight = entry_at(
        patient, london(10, 26, 23, 0), "headache", resolved_at=london(10, 27, 9, 0)
    )

    content = report_for(patient, date(2024, 10, 21), date(2024, 10, 27))

    rows = {row.id: row for row in content.entries}
    assert (rows[quick.pk].minutes_after_dose, rows[quick.pk].duration_minutes) == (20, 30)
    assert rows[overnight.pk].duration_minutes == 660
    dissociation = summary_of(content, "Dissociation and detachment")
    assert dissociation.median_duration_minutes == 30.0
    assert dissociation.share_resolved_within_2h == 1.0
    assert summary_of(content, "Headache").days_affected == 2


def test_new_york_entries_near_midnight_land_on_the_local_day_when_the_clocks_go_forward(
    db: None,
) -> None:
    nora: User = PatientFactory.create(username="nora", profile__time_zone="America/New_York")
    entry_at(nora, utc(3, 4, 4, 59))  # Sunday 3 March 23:59 EST: previous week
    entry_at(nora, utc(3, 4, 5, 0))  # Monday 4 March 00:00 EST
    # Twenty minutes apart, both on 10 March in UTC, but on two days in New York.
    entry_at(nora, utc(3, 10, 4, 50), "headache")  # Saturday 9 March 23:50 EST
    entry_at(nora, utc(3, 10, 5, 10), "headache")  # Sunday 10 March 00:10 EST
    entry_at(nora, utc(3, 11, 3, 30))  # Sunday 10 March 23:30 EDT
    # Monday 11 March 00:30 EDT: outside, though within 7 × 24 h of the first midnight.
    entry_at(nora, utc(3, 11, 4, 30))

    content = report_for(nora, date(2024, 3, 4), date(2024, 3, 10))

    assert content.time_zone == "America/New_York"
    assert local_days(content) == [
        date(2024, 3, 4),
        date(2024, 3, 9),
        date(2024, 3, 10),
        date(2024, 3, 10),
    ]
    headache = summary_of(content, "Headache")
    assert (headache.episodes, headache.days_affected) == (2, 2)
    dizziness = summary_of(content, "Dizziness")
    assert (dizziness.episodes, dizziness.days_affected, dizziness.previous_episodes) == (2, 2, 1)


def test_new_york_durations_across_the_clock_change_are_real_minutes(db: None) -> None:
    nora: User = PatientFactory.create(username="nora", profile__time_zone="America/New_York")
    dose = dose_at(course_of(nora), new_york(3, 10, 0, 45))
    # 01:00 EST to 04:00 EDT: the clock moves 3 hours but only 2 pass.
    entry_at(
        nora,
        new_york(3, 10, 1, 0),
        "dissociation",
        resolved_at=new_york(3, 10, 4, 0),
        dose=dose,
    )
    # 01:30 EST to 03:10 EDT: 40 minutes.
    entry_at(
        nora,
        new_york(3, 10, 1, 30),
        "dissociation",
        resolved_at=new_york(3, 10, 3, 10),
        dose=dose,
    )

    content = report_for(nora, date(2024, 3, 4), date(2024, 3, 10))

    assert [row.duration_minutes for row in content.entries] == [120, 40]
    assert [row.minutes_after_dose for row in content.entries] == [15, 45]
    dissociation = summary_of(content, "Dissociation and detachment")
    assert dissociation.median_duration_minutes == 80.0
    assert dissociation.median_minutes_from_dose == 30.0
    assert dissociation.share_resolved_within_2h == 1.0  # exactly 2 real hours counts


# Courses and doses


def test_a_report_for_one_course_keeps_its_doses_and_entries_and_those_with_no_dose(
    patient: User,
) -> None:
    esketamine = course_of(patient)
    lamotrigine = course_of(patient, "lamotrigine")
    session = dose_at(esketamine, london(6, 3, 10, 0))
    dose_at(esketamine, london(6, 6, 10, 0))
    tablet = dose_at(lamotrigine, london(6, 3, 8, 0))
    after_session = entry_at(patient, london(6, 3, 10, 30), "dissociation", dose=session)
    after_tablet = entry_at(patient, london(6, 3, 9, 0), "headache", dose=tablet)
    unlinked = entry_at(patient, london(6, 4, 9, 0), "headache")
    earlier_tablet = dose_at(lamotrigine, london(5, 29, 8, 0))
    entry_at(patient, london(5, 29, 9, 0), "headache", dose=earlier_tablet)

    content = report_for(patient, WEEK_START, WEEK_END, courses=[esketamine])

    assert [(c.id, c.drug_name, c.doses_logged) for c in content.courses] == [
        (esketamine.pk, "Esketamine", 2)
    ]
    assert {dose.course_id for dose in content.doses} == {esketamine.pk}
    assert [row.id for row in content.entries] == [after_session.pk, unlinked.pk]
    assert after_tablet.pk not in {row.id for row in content.entries}
    headache = summary_of(content, "Headache")
    # The previous week's headache followed a lamotrigine tablet: not this report's story.
    assert (headache.episodes, headache.previous_episodes, headache.change) == (
        1,
        0,
        "new this period",
    )


def test_doses_are_counted_per_course_within_the_period(patient: User) -> None:
    esketamine = course_of(patient)
    lamotrigine = course_of(patient, "lamotrigine")
    for day in (3, 6):
        dose_at(esketamine, london(6, day, 10, 0))
    for day in range(3, 10):
        dose_at(lamotrigine, london(6, day, 8, 0))
    dose_at(lamotrigine, london(6, 10, 8, 0))  # the Monday after

    content = report_for(patient, WEEK_START, WEEK_END)

    assert {c.drug_name: c.doses_logged for c in content.courses} == {
        "Esketamine": 2,
        "Lamotrigine": 7,
    }
    assert len(content.doses) == 9
    assert [d.taken_at for d in content.doses] == sorted(d.taken_at for d in content.doses)


# Red flags


def test_a_very_severe_entry_asks_to_contact_the_prescriber_today(patient: User) -> None:
    course_of(patient)
    very_severe = entry_at(patient, london(6, 4, 10, 0), severity=4, interference=4)
    entry_at(patient, london(6, 5, 10, 0), "headache", severity=1)

    content = report_for(patient, WEEK_START, WEEK_END)

    assert [(row.id, row.severity_label, row.red_flag) for row in content.red_flag_events] == [
        (very_severe.pk, "Very severe", "Contact your prescriber today")
    ]
    assert summary_of(content, "Dizziness").worst_severity_label == "Very severe"


def test_suicidal_thoughts_ask_to_call_emergency_services_now(patient: User) -> None:
    course_of(patient)
    thoughts = entry_at(patient, london(6, 6, 22, 0), "suicidal-thoughts", severity=1)

    content = report_for(patient, WEEK_START, WEEK_END)

    assert [(row.id, row.red_flag) for row in content.red_flag_events] == [
        (thoughts.pk, "Call emergency services now")
    ]
    assert summary_of(content, "Suicidal thoughts").category == "serious"


# Back-filled and edited


def test_entries_logged_more_than_a_day_late_or_edited_are_marked(patient: User) -> None:
    onset = london(6, 3, 10, 0)
    late = entry_at(patient, onset, logged_at=onset + timedelta(hours=24, minutes=1))
    on_the_day = entry_at(patient, onset, "headache", logged_at=onset + timedelta(hours=24))
    edited = entry_at(patient, london(6, 4, 10, 0), edited_at=london(6, 4, 18, 0))
    prompt = entry_at(patient, london(6, 5, 10, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    rows = {row.id: row for row in content.entries}
    assert (rows[late.pk].is_backfilled, rows[late.pk].is_edited) == (True, False)
    assert (rows[on_the_day.pk].is_backfilled, rows[on_the_day.pk].is_edited) == (False, False)
    assert (rows[edited.pk].is_backfilled, rows[edited.pk].is_edited) == (False, True)
    assert rows[edited.pk].edited_at == london(6, 4, 18, 0)
    assert (rows[prompt.pk].is_backfilled, rows[prompt.pk].is_notable) == (False, False)
    assert [row.id for row in content.backfilled_or_edited] == [late.pk, edited.pk]


def test_doses_logged_late_or_edited_are_marked(patient: User) -> None:
    course = course_of(patient)
    taken = london(6, 3, 10, 0)
    late = dose_at(course, taken, logged_at=taken + timedelta(days=3))
    edited = dose_at(course, london(6, 6, 10, 0), edited_at=london(6, 6, 12, 0))
    prompt = dose_at(course, london(6, 9, 10, 0))

    content = report_for(patient, WEEK_START, WEEK_END)

    assert [(d.id, d.is_backfilled, d.is_edited) for d in content.doses] == [
        (late.pk, True, False),
        (edited.pk, False, True),
        (prompt.pk, False, False),
    ]


# Notes


def test_notes_are_left_out_unless_the_patient_opts_in(patient: User) -> None:
    entry_at(patient, london(6, 3, 10, 0), notes="Worse when I stood up quickly")

    without = report_for(patient, WEEK_START, WEEK_END)
    with_notes = report_for(patient, WEEK_START, WEEK_END, include_notes=True)

    assert (without.notes_included, [row.notes for row in without.entries]) == (False, [""])
    assert "stood up" not in json.dumps(without.to_json())
    assert (with_notes.notes_included, [row.notes for row in with_notes.entries]) == (
        True,
        ["Worse when I stood up quickly"],
    )


# Stored form and cost


def test_the_json_form_reads_back_as_the_report_without_its_entries(
    june_week: ReportContent,
) -> None:
    assert june_week.red_flag_events  # the severe Monday dissociation: a row worth checking
    content = _with_one_entry_edited(june_week)

    restored = ReportContent.from_json(json.loads(json.dumps(content.to_json())))

    # The files hold the entries; the pages show the rest, red flags and changed entries too.
    assert restored == replace(content, entries=[])
    assert restored.backfilled_or_edited == [content.entries[0]]


def test_content_stored_on_the_report_reads_back_as_the_report_without_its_entries(
    june_week: ReportContent,
) -> None:
    report = Report.objects.get(pk=june_week.report_id)
    report.content = june_week.to_json()
    report.save(update_fields=["content"])

    assert stored_content(Report.objects.get(pk=report.pk)) == replace(june_week, entries=[])


def test_content_stored_with_every_entry_before_reads_back_too(june_week: ReportContent) -> None:
    """Reports built before the entries were left out keep showing their changed entries."""
    content = _with_one_entry_edited(june_week)
    earlier = content.to_json()
    del earlier["backfilled_or_edited"]
    earlier["entries"] = [_flat_entry(row) for row in content.entries]

    restored = ReportContent.from_json(json.loads(json.dumps(earlier)))

    assert restored == replace(content, entries=[])
    assert restored.backfilled_or_edited == [content.entries[0]]


def _with_one_entry_edited(content: ReportContent) -> ReportContent:
    edited = replace(content.entries[0], is_edited=True, edited_at=content.generated_at)
    entries = [edited, *content.entries[1:]]
    return replace(content, entries=entries, backfilled_or_edited=[edited])


def _flat_entry(row: EntryRow) -> dict[str, object]:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in vars(row).items()
    }


def journal_with(patient: User, entries: int) -> None:
    """A mixed journal: two courses, doses linked or not, free text, the previous week too."""
    esketamine = course_of(patient)
    lamotrigine = course_of(patient, "lamotrigine")
    symptoms = ["dizziness", "dissociation", "headache", "nausea", "suicidal-thoughts"]
    for number in range(entries):
        day = 3 + number % 7
        course = esketamine if number % 2 else lamotrigine
        dose = dose_at(course, london(6, day, 8, 0)) if number % 3 else None
        onset = london(6, day, 9, number % 60)
        entry_at(
            patient,
            onset,
            symptoms[number % len(symptoms)],
            other="Ringing in ears" if number % 4 == 0 else "",
            resolved_at=onset + timedelta(minutes=30) if number % 5 else None,
            severity=number % 5,
            interference=number % 5,
            dose=dose,
            notes="noted",
            edited_at=onset + timedelta(hours=1) if number % 6 == 0 else None,
        )
        previous_week = london(5, 27, 9, 0) + timedelta(days=number % 7)
        entry_at(patient, previous_week, symptoms[number % len(symptoms)])


def queries_for_report(patient: User, include_notes: bool) -> tuple[int, ReportContent]:
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=WEEK_START,
        period_end=WEEK_END,
        include_notes=include_notes,
    )
    report = Report.objects.get(pk=report.pk)
    library_copy()  # each process reads the library once
    with CaptureQueriesContext(connection) as queries:
        content = report_content(report=report)
    return len(queries), content


@pytest.mark.parametrize("include_notes", [False, True])
def test_a_report_costs_the_same_queries_for_3_entries_as_for_30(include_notes: bool) -> None:
    few, many = PatientFactory.create(), PatientFactory.create()
    journal_with(few, 3)
    journal_with(many, 30)

    few_queries, few_content = queries_for_report(few, include_notes)
    many_queries, many_content = queries_for_report(many, include_notes)

    assert (len(few_content.entries), len(many_content.entries)) == (3, 30)
    assert many_content.red_flag_events
    assert many_queries == few_queries


def test_the_patients_own_words_group_whatever_their_case_and_spacing(patient: User) -> None:
    entry_at(patient, london(6, 3, 9), other="Ringing in ears")
    entry_at(patient, london(6, 4, 9), other="ringing  in EARS ")

    content = report_for(patient, date(2024, 6, 3), date(2024, 6, 9))

    assert [(s.symptom, s.episodes) for s in content.symptoms] == [("Ringing in ears", 2)]


def test_own_words_that_match_a_library_name_stay_a_row_of_their_own(patient: User) -> None:
    entry_at(patient, london(6, 3, 9), "dissociation", severity=3)
    entry_at(patient, london(6, 4, 9), other="Dissociation and detachment", severity=1)

    content = report_for(patient, date(2024, 6, 3), date(2024, 6, 9))

    rows = {(s.symptom, s.category, s.episodes) for s in content.symptoms}
    assert rows == {
        ("Dissociation and detachment", "dissociative", 1),
        ("Dissociation and detachment", None, 1),
    }
    library_row = next(s for s in content.symptoms if s.category == "dissociative")
    assert library_row.share_resolved_within_2h == 0.0
