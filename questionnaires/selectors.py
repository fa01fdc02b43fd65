"""Reads: a patient's responses, their schedule, which questionnaires are due, which
symptoms the weekly recall asks about, and the red flags a response raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet

from accounts.selectors import patient_profile
from journal.models import CHECKIN_DRUG_SLUGS, DoseEvent, MedicationCourse, SymptomEntry
from journal.quick_log import quick_symptoms
from journal.selectors import SUGGESTION_WINDOW, RedFlagMatcher
from questionnaires.instruments import FORMS, PHQ_9_SELF_HARM_ITEM, Form
from questionnaires.models import Instrument, QuestionnaireResponse, QuestionnaireSchedule
from reference.models import RedFlag, SideEffect
from reference.selectors import library_copy

SUICIDAL_THOUGHTS = "suicidal-thoughts"
RECALL_SYMPTOMS = 6
WEEK = timedelta(days=7)


def response_list(
    *, patient: User, instrument: str | None = None
) -> QuerySet[QuestionnaireResponse]:
    responses = QuestionnaireResponse.objects.filter(patient=patient).select_related(
        "logged_by", "dose__course__drug"
    )
    return responses.filter(instrument=instrument) if instrument else responses


def recall_symptoms(*, patient: User) -> list[SideEffect]:
    """The weekly recall's symptoms: the patient's most-logged, then their medicines' common
    ones, as the dashboard's quick buttons (serious symptoms go through the entry form)."""
    courses = MedicationCourse.objects.filter(patient=patient).select_related("drug")
    return quick_symptoms(patient=patient, courses=list(courses), limit=RECALL_SYMPTOMS)


def session_dose_suggested(*, patient: User, at: datetime) -> DoseEvent | None:
    """The ketamine or esketamine session a questionnaire filled at `at` is for, unless the
    patient says otherwise: their latest in the 24 hours before, as for symptom entries."""
    return (
        DoseEvent.objects.filter(
            course__patient=patient,
            course__drug__slug__in=CHECKIN_DRUG_SLUGS,
            taken_at__gte=at - SUGGESTION_WINDOW,
            taken_at__lte=at,
        )
        .select_related("course__drug")
        .order_by("-taken_at", "-pk")
        .first()
    )


def red_flags_of(response: QuestionnaireResponse) -> list[RedFlag]:
    """The published red flags for suicidal thoughts, most urgent first, when the PHQ-9's
    ninth item is answered above "Not at all"; none otherwise.

    The answer is read as an entry of the library's "suicidal thoughts" at the time the
    form was filled, so the rules match through the same machinery as logged symptoms."""
    if response.instrument != Instrument.PHQ_9 or not response.answers:
        return []
    answer = response.answers[PHQ_9_SELF_HARM_ITEM - 1]
    symptom = library_copy().side_effects.get(SUICIDAL_THOUGHTS)
    if not answer or symptom is None:
        return []
    reading = SymptomEntry(
        patient=response.patient,
        side_effect=symptom,
        severity=answer,
        onset_at=response.completed_at,
        dose=response.dose,
    )
    return RedFlagMatcher(patient=response.patient).for_entry(reading)


def country_of(patient: User) -> str:
    """Whose emergency and crisis numbers a red flag gives."""
    profile = patient_profile(patient)
    return str(profile.country) if profile else ""


def schedules_of(*, patient: User) -> dict[str, str]:
    """How often the patient wants each questionnaire: "never" unless they chose."""
    chosen = dict(
        QuestionnaireSchedule.objects.filter(patient=patient).values_list("instrument", "every")
    )
    return {slug: chosen.get(slug, QuestionnaireSchedule.Every.NEVER) for slug in FORMS}


@dataclass(frozen=True)
class Due:
    form: Form
    reason: str


def questionnaires_due(*, patient: User, now: datetime) -> list[Due]:
    """The questionnaires the patient's schedule asks for now: a weekly one not filled in
    the past 7 days; a per-session one not filled since a ketamine or esketamine dose taken
    in the past 24 hours."""
    schedules = {
        slug: every
        for slug, every in schedules_of(patient=patient).items()
        if every != QuestionnaireSchedule.Every.NEVER
    }
    if not schedules:
        return []
    latest = _latest_by_instrument(patient)
    session = session_dose_suggested(patient=patient, at=now)
    due = []
    for slug, every in schedules.items():
        filled = latest.get(slug)
        if every == QuestionnaireSchedule.Every.WEEK and (filled is None or filled <= now - WEEK):
            due.append(Due(FORMS[slug], "weekly"))
        elif (
            every == QuestionnaireSchedule.Every.SESSION
            and session is not None
            and (filled is None or filled < session.taken_at)
        ):
            due.append(Due(FORMS[slug], f"after your {session.course.drug.name} session"))
    return due


def _latest_by_instrument(patient: User) -> dict[str, datetime]:
    latest: dict[str, datetime] = {}
    rows = QuestionnaireResponse.objects.filter(patient=patient).values_list(
        "instrument", "completed_at"
    )
    for instrument, completed_at in rows:
        if instrument not in latest or completed_at > latest[instrument]:
            latest[instrument] = completed_at
    return latest


@dataclass(frozen=True)
class Summary:
    form: Form
    latest: QuestionnaireResponse | None
    previous: QuestionnaireResponse | None
    every: str

    @property
    def every_label(self) -> str:
        return str(QuestionnaireSchedule.Every(self.every).label)

    @property
    def trend(self) -> str:
        if self.latest is None or self.previous is None:
            return ""
        if self.latest.score is None or self.previous.score is None:
            return ""
        change = self.latest.score - self.previous.score
        if change == 0:
            return "the same as the time before"
        return f"{abs(change)} {'higher' if change > 0 else 'lower'} than the time before"


def summaries(*, patient: User) -> list[Summary]:
    """Each questionnaire with the patient's latest two responses and their schedule."""
    every = schedules_of(patient=patient)
    found = []
    for slug, form in FORMS.items():
        latest_two = list(response_list(patient=patient, instrument=slug)[:2])
        latest = latest_two[0] if latest_two else None
        previous = latest_two[1] if len(latest_two) > 1 else None
        found.append(Summary(form, latest, previous, every[slug]))
    return found
