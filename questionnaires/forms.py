"""Page forms: fill a questionnaire on one page, and choose when to be asked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from journal.models import DoseEvent
from questionnaires.instruments import FORMS, RECALL_QUESTIONS, Form
from questionnaires.models import Instrument, QuestionnaireSchedule
from reference.models import SideEffect


def _radio(
    label: str, choices: list[tuple[int, str]], required: str = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        required=bool(required),
        error_messages={"required": required} if required else {},
    )


class QuestionnaireForm(forms.Form):
    """One radio group per item (per symptom and question for the weekly recall), and
    whether it was filled in for the session the patient just had."""

    def __init__(
        self,
        *args: Any,
        form: Form,
        symptoms: list[SideEffect],
        session: DoseEvent | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = form
        self.symptoms = symptoms
        options = [(option.value, option.label) for option in form.options]
        for item in form.items:
            self.fields[f"item_{item.number}"] = _radio(
                f"{item.number}. {item.text}", options, f"Answer question {item.number}."
            )
        if form.difficulty is not None:
            choices = [(option.value, option.label) for option in form.difficulty_options]
            self.fields["difficulty"] = _radio(form.difficulty.text, choices)
        for symptom in symptoms:
            for name, question, labels in RECALL_QUESTIONS:
                self.fields[f"{symptom.slug}-{name}"] = _radio(
                    f"{symptom.name}: {question}",
                    list(enumerate(labels)),
                    f"Answer “{question}” for {symptom.name.lower()}.",
                )
        self.session = session
        if session is not None:
            self.fields["for_session"] = forms.BooleanField(
                label=f"This is for my {session.course.drug.name} session at "
                f"{timezone.localtime(session.taken_at):%H:%M}",
                required=False,
                initial=True,
            )

    def answers(self) -> list[Any]:
        data = self.cleaned_data
        if self.instrument.slug == Instrument.WEEKLY_RECALL:
            return [
                {
                    "side_effect": symptom.pk,
                    **{name: data[f"{symptom.slug}-{name}"] for name, _q, _l in RECALL_QUESTIONS},
                }
                for symptom in self.symptoms
            ]
        return [data[f"item_{item.number}"] for item in self.instrument.items]

    def difficulty(self) -> int | None:
        value = self.cleaned_data.get("difficulty")
        return value if isinstance(value, int) else None

    def dose(self) -> DoseEvent | None:
        return self.session if self.cleaned_data.get("for_session") else None


class ScheduleForm(forms.Form):
    """How often each questionnaire is asked for, on the dashboard."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slug, form in FORMS.items():
            self.fields[slug] = forms.ChoiceField(
                label=form.title,
                choices=QuestionnaireSchedule.Every.choices,
                widget=forms.RadioSelect,
                initial=current.get(slug, QuestionnaireSchedule.Every.NEVER),
            )
