"""Courses, doses and entries, read from the patient: one of someone else's is never found."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, QuerySet, Subquery
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
