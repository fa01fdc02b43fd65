"""The quick log's form: a symptom and a severity, nothing else, so a tap saves it whole."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from journal.quick_log import serious_side_effect_ids
from reference.models import Severity, SideEffect
from reference.selectors import library_copy


class QuickEntryForm(forms.Form):
    side_effect = forms.ChoiceField(label="Symptom")
    severity = forms.TypedChoiceField(
        label="How bad is it now?",
        coerce=int,
        choices=Severity.choices,
        widget=forms.RadioSelect,  # drawn by hand: five submit buttons
        error_messages={"required": "Choose how bad it is, from 0 (none) to 4 (very severe)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        library = library_copy()
        serious = serious_side_effect_ids(library)
        offered = sorted(
            (effect for pk, effect in library.side_effects_by_id.items() if pk not in serious),
            key=lambda effect: effect.name,
        )
        self.side_effects = {effect.slug: effect for effect in offered}
        field = cast(forms.ChoiceField, self.fields["side_effect"])
        field.choices = [(e.slug, e.name) for e in offered]
        field.error_messages["invalid_choice"] = (
            "Choose a symptom from the list. A serious one is logged from the full form, with "
            "its danger signs."
        )

    def chosen_side_effect(self) -> SideEffect:
        return self.side_effects[self.cleaned_data["side_effect"]]
