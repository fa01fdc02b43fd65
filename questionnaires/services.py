"""Writes: record a filled questionnaire (checked, scored and banded), set the schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from journal.models import DoseEvent
from journal.services import CLOCK_TOLERANCE, EARLIEST, SUGGESTED
from questionnaires.instruments import RECALL_QUESTIONS, RECALL_SCALE, Form, form_for
from questionnaires.models import Instrument, QuestionnaireResponse, QuestionnaireSchedule
from questionnaires.selectors import session_dose_suggested
from reference.selectors import library_copy

RECALL_FIELDS = tuple(name for name, _question, _labels in RECALL_QUESTIONS)


def _is_answer(value: object, scale: range) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in scale


def _scored_answers(form: Form, answers: Any) -> list[int]:
    values = [option.value for option in form.options]
    scale = range(min(values), max(values) + 1)
    count = len(form.items)
    if not isinstance(answers, list) or len(answers) != count:
        raise ValidationError(
            {"answers": f"The {form.name} has {count} questions: give {count} answers."}
        )
    wrong = [str(number) for number, value in enumerate(answers, 1) if not _is_answer(value, scale)]
    if wrong:
        raise ValidationError(
            {
                "answers": f"Answer each question with a whole number from {scale.start} to "
                f"{scale.stop - 1}; question {', '.join(wrong)} did not."
            }
        )
    return list(answers)


def _recall_answers(answers: Any) -> list[dict[str, int]]:
    """One {"side_effect": id, "frequency", "severity", "interference"} per symptom, each a
    published library symptom rated once, each rating 0 to 4."""
    published = library_copy().side_effects_by_id
    if not isinstance(answers, list) or not answers:
        raise ValidationError({"answers": "Rate at least one symptom."})
    seen: set[int] = set()
    for answer in answers:
        if not isinstance(answer, dict) or set(answer) != {"side_effect", *RECALL_FIELDS}:
            raise ValidationError(
                {
                    "answers": "Give each symptom as side_effect, frequency, severity and "
                    "interference."
                }
            )
        symptom = answer["side_effect"]
        if not _is_answer(symptom, range(1, 2**31)) or symptom not in published:
            raise ValidationError({"answers": "That symptom is not in the library."})
        if symptom in seen:
            raise ValidationError({"answers": "Rate each symptom once."})
        seen.add(symptom)
        if not all(_is_answer(answer[name], RECALL_SCALE) for name in RECALL_FIELDS):
            raise ValidationError({"answers": "Rate each symptom with a whole number from 0 to 4."})
    return [dict(answer) for answer in answers]


def _checked_dose(patient: User, dose: DoseEvent | object | None, at: datetime) -> DoseEvent | None:
    if dose is SUGGESTED:
        return session_dose_suggested(patient=patient, at=at)
    if isinstance(dose, DoseEvent):
        if dose.course.patient_id != patient.pk:
            raise ValidationError({"dose": "That dose is not in your journal."})
        return dose
    return None


def questionnaire_response_create(
    *,
    patient: User,
    logged_by: User,
    instrument: str,
    answers: Any,
    completed_at: datetime | None = None,
    difficulty: int | None = None,
    dose: DoseEvent | object | None = SUGGESTED,
) -> QuestionnaireResponse:
    """Check the answers, score and band them, and save the response; nothing is saved
    when anything is wrong (a ValidationError names the field)."""
    form = form_for(instrument)
    if form is None:
        raise ValidationError({"instrument": "There is no such questionnaire."})
    completed_at = completed_at or timezone.now()
    if completed_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"completed_at": "The time filled in can't be in the future."})
    if completed_at < EARLIEST:
        raise ValidationError({"completed_at": "That is too far in the past; check the year."})
    score: int | None = None
    if instrument == Instrument.WEEKLY_RECALL:
        checked: list[Any] = _recall_answers(answers)
        difficulty = None
    else:
        checked = _scored_answers(form, answers)
        score = form.score(checked)
        if difficulty is not None and (form.difficulty is None or difficulty not in range(4)):
            raise ValidationError({"difficulty": "Answer from 0 to 3, or leave it out."})
    with transaction.atomic():
        return QuestionnaireResponse.objects.create(
            patient=patient,
            logged_by=logged_by,
            instrument=instrument,
            answers=checked,
            difficulty=difficulty,
            score=score,
            band=form.band_for(score) if score is not None else "",
            completed_at=completed_at,
            dose=_checked_dose(patient, dose, completed_at),
        )


def questionnaire_schedule_set(*, patient: User, instrument: str, every: str) -> None:
    if instrument not in Instrument.values or every not in QuestionnaireSchedule.Every.values:
        raise ValidationError({"every": "Choose how often."})
    QuestionnaireSchedule.objects.update_or_create(
        patient=patient, instrument=instrument, defaults={"every": every}
    )
