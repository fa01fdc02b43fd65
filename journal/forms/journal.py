"""Forms for the journal pages. They parse input; the rules live in journal.services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.forms import LimitedTextField
from accounts.text_limits import DOSE_AMOUNT, NOTE, SYMPTOM_WORDS
from journal import selectors, services
from journal.models import DoseEvent, MedicationCourse
from journal.services import SUGGESTED, EntryInput
from reference.models import Drug, Interference, Severity, SideEffect
from reference.selectors import library_copy

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def datetime_field(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class CourseForm(forms.Form):
    drug = forms.ModelChoiceField(
        queryset=Drug.objects.none(), label="Medicine", empty_label="Choose a medicine"
    )
    started_on = forms.DateField(label="Started on", widget=DateInput())
    stopped_on = forms.DateField(
        label="Stopped on", required=False, widget=DateInput(), help_text="Leave empty if ongoing."
    )
    route = forms.ChoiceField(
        label="How it is taken",
        choices=[("", "The usual way for this medicine"), *MedicationCourse.Route.choices],
        required=False,
        help_text="Usually a nasal spray for esketamine, an infusion for ketamine, and by "
        "mouth for the others.",
    )
    regimen = LimitedTextField(
        label="Regimen, as your prescriber wrote it",
        max_length=NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copied from your prescription or clinic letter. Sidelog only stores it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drug"].queryset = Drug.objects.published()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        # The service checks this too; here it shows with a missing medicine at once.
        data = super().clean() or {}
        started, stopped = data.get("started_on"), data.get("stopped_on")
        if started is not None and stopped is not None and stopped < started:
            self.add_error("stopped_on", "The stop date can't be before the start date.")
        return data


USUAL_SETTING = "Where this medicine is usually given (in clinic for ketamine and esketamine)"


class DoseForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=MedicationCourse.objects.none(), label="Medicine", empty_label=None
    )
    taken_at = datetime_field("Taken or given at")
    amount = LimitedTextField(
        label="Amount (optional)",
        max_length=DOSE_AMOUNT,
        required=False,
        help_text="As written on the label or by your clinic, e.g. “56 mg” or “2 devices”. "
        "Sidelog only stores it.",
    )
    setting = forms.ChoiceField(
        label="Where",
        choices=[("", USUAL_SETTING), *DoseEvent.Setting.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    note = LimitedTextField(
        label="Note", max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.course_list(patient=patient)  # type: ignore[attr-defined]


DOSE_SUGGESTED = "suggested"
DOSE_NONE = "none"
READ_FROM_WORDS = "words"
MATCH_NONE = "none"


class EntryForm(forms.Form):
    side_effect = forms.ModelChoiceField(
        queryset=SideEffect.objects.none(),
        label="What did you notice?",
        required=False,
        empty_label="Choose a symptom",
        to_field_name="slug",
    )
    other_symptom = LimitedTextField(
        label="Or describe something else",
        required=False,
        max_length=SYMPTOM_WORDS,
        help_text="Only if it is not in the list.",
    )
    onset_at = datetime_field("When did it start?")
    resolved_at = datetime_field(
        "When did it stop?", required=False, help_text="Leave empty if it is still going."
    )
    severity = forms.TypedChoiceField(
        label="How bad was it at its worst?",
        choices=[(value, f"{value} – {label}") for value, label in Severity.choices],
        coerce=int,
        widget=forms.RadioSelect,
    )
    interference = forms.TypedChoiceField(
        label="How much did it get in the way of your usual activities?",
        choices=[(value, f"{value} – {label}") for value, label in Interference.choices],
        coerce=int,
        widget=forms.RadioSelect,
    )
    matched_side_effect = forms.ChoiceField(
        label="Which of Sidelog's symptoms is it?",
        required=False,
        help_text="Only for something described in your own words: warning signs are checked "
        "as for this symptom.",
    )
    danger_signs = forms.MultipleChoiceField(
        label="Do you also have any of these?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dose = forms.ChoiceField(label="Which dose did it follow?")
    notes = LimitedTextField(
        label="Notes", max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # A symptom's danger signs right under it; what one's own words name right under them.
    field_order = [
        "side_effect",
        "danger_signs",
        "other_symptom",
        "matched_side_effect",
        "onset_at",
        "resolved_at",
        "severity",
        "interference",
        "dose",
        "notes",
    ]

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        symptoms = selectors.symptom_choices()
        self.fields["side_effect"].queryset = symptoms  # type: ignore[attr-defined]
        matched_field: forms.ChoiceField = self.fields["matched_side_effect"]  # type: ignore[assignment]
        matched_field.choices = [
            (READ_FROM_WORDS, "Let Sidelog read it from my words"),
            (MATCH_NONE, "None of them"),
            *[(symptom.slug, symptom.name) for symptom in symptoms],
        ]
        self.danger_sign_groups = selectors.danger_sign_groups()
        signs_field: forms.MultipleChoiceField = self.fields["danger_signs"]  # type: ignore[assignment]
        signs_field.choices = [
            (f"{group.side_effect.slug}:{sign.slug}", sign.label)
            for group in self.danger_sign_groups
            for sign in group.signs
        ]
        self.doses = {str(d.pk): d for d in selectors.doses_for_choice(patient=patient)}
        current = self.initial.get("dose")
        if isinstance(current, DoseEvent) and str(current.pk) not in self.doses:
            self.doses[str(current.pk)] = current
        dose_field: forms.ChoiceField = self.fields["dose"]  # type: ignore[assignment]
        dose_field.choices = [
            (DOSE_SUGGESTED, "Suggested: the latest dose in the 24 h before"),
            (DOSE_NONE, "Not linked to a dose"),
            *[(pk, _dose_label(dose)) for pk, dose in self.doses.items()],
        ]
        if isinstance(current, DoseEvent):
            self.initial["dose"] = str(current.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's checks of the times, asked now so every error shows at once.
        times = services.entry_time_problems(
            onset_at=data.get("onset_at"), resolved_at=data.get("resolved_at")
        )
        for field, message in times.items():
            if field not in self.errors:
                self.add_error(field, message)
        symptom: SideEffect | None = data.get("side_effect")
        ticked = [value.split(":", 1) for value in data.get("danger_signs", [])]
        if symptom is not None and any(slug != symptom.slug for slug, _ in ticked):
            self.add_error(
                "danger_signs", f"Tick only the signs listed under {symptom.name.lower()}."
            )
        return data

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        matched = data.get("matched_side_effect") or READ_FROM_WORDS
        return EntryInput(
            side_effect=data["side_effect"],
            other_symptom=data["other_symptom"],
            onset_at=data["onset_at"],
            resolved_at=data["resolved_at"],
            severity=data["severity"],
            interference=data["interference"],
            notes=data["notes"],
            danger_signs=tuple(value.split(":", 1)[1] for value in data["danger_signs"]),
            matched_side_effect=(
                services.READ_FROM_WORDS
                if matched == READ_FROM_WORDS
                else library_copy().side_effects.get(matched)
            ),
        )

    def shown_danger_sign_groups(self) -> list[selectors.DangerSignGroup]:
        """The danger signs of the symptom chosen, or of every symptom until one is."""
        chosen = self["side_effect"].value() or self.initial.get("danger_signs_for")
        slug = getattr(chosen, "slug", chosen)
        groups = [group for group in self.danger_sign_groups if group.side_effect.slug == slug]
        return groups or self.danger_sign_groups

    def chosen_dose(self) -> Any:
        choice = self.cleaned_data["dose"]
        if choice == DOSE_SUGGESTED:
            return SUGGESTED
        if choice == DOSE_NONE:
            return None
        return self.doses[choice]


def _dose_label(dose: DoseEvent) -> str:
    amount = f" ({dose.amount})" if dose.amount else ""
    return f"{dose.course.drug.name}{amount}, {_local(dose)}"


def _local(dose: DoseEvent) -> str:
    return timezone.localtime(dose.taken_at).strftime("%a %d %b, %H:%M")


class TimelineFilterForm(forms.Form):
    """What the timeline shows: one symptom, or one medicine's doses and entries. Its choices
    come from the library's copy and the patient's `courses`, read once for the page."""

    side_effect = forms.ChoiceField(required=False, label="Symptom")
    course = forms.TypedChoiceField(required=False, label="Medicine", coerce=int, empty_value=None)

    def __init__(self, *args: Any, courses: Sequence[MedicationCourse], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        symptoms = sorted(
            library_copy().side_effects.values(), key=lambda effect: (effect.category, effect.name)
        )
        symptom_field: forms.ChoiceField = self.fields["side_effect"]  # type: ignore[assignment]
        symptom_field.choices = [
            ("", "All symptoms and doses"),
            *[(symptom.slug, symptom.name) for symptom in symptoms],
        ]
        course_field: forms.ChoiceField = self.fields["course"]  # type: ignore[assignment]
        course_field.choices = [
            ("", "All medicines"),
            *[(course.pk, str(course)) for course in courses],
        ]
