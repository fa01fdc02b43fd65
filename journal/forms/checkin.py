"""The form of one check-in step: each symptom as a row of five severity buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from journal.services import StepRating
from reference.models import Interference, Severity, SideEffect


@dataclass(frozen=True)
class SymptomRow:
    side_effect: SideEffect
    required: bool
    severity: forms.BoundField
    interference: forms.BoundField
    gone: forms.BoundField


class CheckInStepForm(forms.Form):
    """Field names are `<slug>-severity`, `<slug>-interference`, `<slug>-gone`, so a
    service's errors land on their row. The session's symptoms must be rated (0 if not
    felt), so a form sent half-filled is refused with every missing row named at once;
    the patient's usual symptoms may be left out."""

    def __init__(
        self, *args: Any, side_effects: list[SideEffect], required: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.side_effects = side_effects
        self.required = required
        for side_effect in side_effects:
            slug = side_effect.slug
            self.fields[f"{slug}-severity"] = forms.TypedChoiceField(
                label=side_effect.name,
                choices=Severity.choices,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=side_effect.pk in required,
                error_messages={"required": "Choose how strong it is now, from 0 (none) to 4."},
            )
            self.fields[f"{slug}-interference"] = forms.TypedChoiceField(
                label=f"{side_effect.name}, in the way",
                choices=Interference.choices,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{slug}-gone"] = forms.BooleanField(label="Gone now", required=False)

    def rows(self) -> list[SymptomRow]:
        return [
            SymptomRow(
                side_effect=side_effect,
                required=side_effect.pk in self.required,
                severity=self[f"{side_effect.slug}-severity"],
                interference=self[f"{side_effect.slug}-interference"],
                gone=self[f"{side_effect.slug}-gone"],
            )
            for side_effect in self.side_effects
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for side_effect in self.side_effects:
            slug = side_effect.slug
            rated = data.get(f"{slug}-severity") is not None
            if not rated and data.get(f"{slug}-interference") is not None:
                self.add_error(f"{slug}-severity", "Choose how strong it is now, or clear the row.")
            elif not rated and data.get(f"{slug}-gone"):
                self.add_error(f"{slug}-severity", "Choose how strong it was (0 if not felt).")
        return data

    def ratings(self) -> list[StepRating]:
        data = self.cleaned_data
        return [
            StepRating(
                side_effect=side_effect,
                severity=data[f"{side_effect.slug}-severity"],
                interference=data[f"{side_effect.slug}-interference"],
                gone=data[f"{side_effect.slug}-gone"],
            )
            for side_effect in self.side_effects
            if data.get(f"{side_effect.slug}-severity") is not None
        ]
