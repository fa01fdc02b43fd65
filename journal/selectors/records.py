"""Courses, doses and entries, read from the patient: one of someone else's is never found."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reference.models import SideEffect
from reference.selectors import library_copy

SUGGESTION_WINDOW = timedelta(hours=24)


# Courses


def course_list(*, patient: User) -> QuerySet[MedicationCourse]:
    return MedicationCourse.objects.filter(patient=patient).select_related("drug")


def course_get(*, patient: User, pk: int) -> MedicationCourse:
    return get_object_or_404(course_list(patient=patient), pk=pk)


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


@dataclass(frozen=True)
class DosesNear:
    """All of a patient's doses taken from `start` to `end`, oldest first (of two at the same
    time, the one logged first), with their courses: read once for a page of entries, for
    the doses suggested for them and for the red-flag rules that count hours from a dose."""

    doses: list[DoseEvent]
    start: datetime
    end: datetime

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def doses_near(
    *,
    patient: User,
    onsets: Sequence[datetime],
    before: timedelta,
    courses: Sequence[MedicationCourse] | None = None,
) -> DosesNear:
    """The patient's doses from `before` the earliest of `onsets` to the latest, in one query
    by the (course, time) index; each with its course, from `courses` (all the patient's)
    when the caller has read them already."""
    start, end = min(onsets) - before, max(onsets)
    doses = DoseEvent.objects.filter(
        course__patient=patient, taken_at__gte=start, taken_at__lte=end
    ).order_by("taken_at", "pk")
    if courses is None:
        return DosesNear(list(doses.select_related("course")), start, end)
    course_by_id = {course.pk: course for course in courses}
    rows = list(doses)
    for dose in rows:
        dose.course = course_by_id[dose.course_id]
    return DosesNear(rows, start, end)


def doses_suggested(
    *, patient: User, onsets: Sequence[datetime], near: DosesNear | None = None
) -> dict[datetime, DoseEvent]:
    """The dose a symptom starting at each of `onsets` is linked to unless the patient says
    otherwise: the latest of theirs in the 24 hours before it started (of two at the same
    time, the one logged last). Onsets with no such dose are left out.

    The one place this is decided, in one query for a whole page of entries (none when
    `near`, read by the caller, reaches back far enough).
    """
    if not onsets:
        return {}
    if near is None or not near.covers(min(onsets) - SUGGESTION_WINDOW, max(onsets)):
        near = doses_near(patient=patient, onsets=onsets, before=SUGGESTION_WINDOW)
    doses = near.doses
    times = [dose.taken_at for dose in doses]
    found = {}
    for onset in onsets:
        latest = bisect.bisect_right(times, onset)  # the doses taken at or before it
        if latest and times[latest - 1] >= onset - SUGGESTION_WINDOW:
            found[onset] = doses[latest - 1]
    return found


def dose_suggested(*, patient: User, onset_at: datetime) -> DoseEvent | None:
    """`doses_suggested` for one onset: what logging or editing an entry links it to."""
    return doses_suggested(patient=patient, onsets=[onset_at]).get(onset_at)


def doses_for_choice(*, patient: User, limit: int = 30) -> list[DoseEvent]:
    """Recent doses to choose from when linking a symptom to the dose it followed."""
    return list(dose_list(patient=patient).order_by("-taken_at", "-pk")[:limit])


def entry_list(
    *,
    patient: User,
    start: datetime | None = None,
    end: datetime | None = None,
    side_effect_slug: str | None = None,
    course_id: int | None = None,
) -> QuerySet[SymptomEntry]:
    """A patient's entries. The related rows a page or an answer shows, and the dose each
    entry would be linked to (`dose_suggested_id`), are filled in by `relations_fill` once
    the page of entries is known."""
    entries = SymptomEntry.objects.filter(patient=patient)
    if start is not None:
        entries = entries.filter(onset_at__gte=start)
    if end is not None:
        entries = entries.filter(onset_at__lt=end)
    if side_effect_slug:
        entries = entries.filter(side_effect__slug=side_effect_slug)
    if course_id is not None:
        entries = entries.filter(dose__course_id=course_id)
    return entries


def relations_fill(
    *,
    patient: User,
    entries: Sequence[SymptomEntry] = (),
    doses: Sequence[DoseEvent] = (),
    courses: Sequence[MedicationCourse] | None = None,
    suggest: bool = False,
    near: DosesNear | None = None,
) -> None:
    """Give a page of entries and doses the rows shown with them, without joining them in;
    with `suggest`, each entry its `dose_suggested_id` too (the API and the entry's pages
    show it, the timeline does not), from `near` when the caller has read the doses around
    them.

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
    if suggest:
        suggested = doses_suggested(
            patient=patient, onsets=[entry.onset_at for entry in entries], near=near
        )
        for entry in entries:
            found = suggested.get(entry.onset_at)
            entry.dose_suggested_id = found.pk if found else None  # type: ignore[attr-defined]
        # Most entries follow the dose suggested for them: it is read already.
        given = {dose.pk: dose for dose in suggested.values()} | given
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
    relations_fill(patient=patient, entries=[entry], suggest=True)
    return entry


def symptom_choices() -> QuerySet[SideEffect]:
    return SideEffect.objects.published().order_by("category", "name")
