"""The reading form and the clinic session form. They parse input; journal.services checks
the ranges and decides what is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.html import format_html, format_html_join

from accounts.forms import LimitedTextField
from accounts.text_limits import NOTE
from journal import selectors, services
from journal.forms.journal import DOSE_NONE, DOSE_SUGGESTED, _dose_label, datetime_field
from journal.models import ClinicSession, DoseEvent, Measurement

NUMBER = {"inputmode": "numeric", "autocomplete": "off"}
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(
        label="What did you measure?",
        choices=Measurement.Kind.choices,
        widget=forms.RadioSelect,
    )
    measured_at = datetime_field("When?")
    systolic = forms.IntegerField(
        label="Blood pressure: top number (systolic, mmHg)",
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    diastolic = forms.IntegerField(
        label="Blood pressure: bottom number (diastolic, mmHg)",
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    pulse = forms.IntegerField(
        label="Pulse the cuff showed (optional)",
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    value = forms.DecimalField(
        label="Heart rate, oxygen saturation or temperature",
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text="Beats per minute, % or degrees, as the device shows it.",
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.1"}),
    )
    unit = forms.ChoiceField(
        label="Temperature in",
        choices=Measurement.TemperatureUnit.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    context = forms.ChoiceField(label="When was it taken?", choices=Measurement.Context.choices)
    with_warning_signs = forms.BooleanField(
        label="I have warning signs with this reading", required=False
    )
    dose = forms.ChoiceField(label="Which dose was it taken around?")
    note = LimitedTextField(
        label="Note", max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.doses = {str(d.pk): d for d in selectors.doses_for_choice(patient=patient)}
        current = self.initial.get("dose")
        if isinstance(current, DoseEvent):
            self.doses.setdefault(str(current.pk), current)
            self.initial["dose"] = str(current.pk)
        dose_field: forms.ChoiceField = self.fields["dose"]  # type: ignore[assignment]
        dose_field.choices = [
            (DOSE_SUGGESTED, "Suggested: the latest dose in the 24 h before"),
            (DOSE_NONE, "Not linked to a dose"),
            *[(pk, _dose_label(dose)) for pk, dose in self.doses.items()],
        ]
        signs = selectors.warning_signs_by_kind()
        if signs:
            self.fields["with_warning_signs"].help_text = format_html(
                "Tick if you have any of these: {}",
                format_html_join(
                    "; ",
                    "{} ({})",
                    (
                        (text, Measurement.Kind(kind).label.lower())
                        for kind, texts in signs.items()
                        for text in texts
                    ),
                ),
            )

    def measurement_input(self) -> services.MeasurementInput:
        data = self.cleaned_data
        return services.MeasurementInput(
            kind=data["kind"],
            measured_at=data["measured_at"],
            systolic=data["systolic"],
            diastolic=data["diastolic"],
            pulse=data["pulse"],
            value=data["value"],
            unit=data["unit"] if data["kind"] == Measurement.Kind.BODY_TEMPERATURE else "",
            context=data["context"],
            note=data["note"],
            with_warning_signs=data["with_warning_signs"],
        )

    def chosen_dose(self) -> Any:
        choice = self.cleaned_data["dose"]
        if choice == DOSE_SUGGESTED:
            return services.SUGGESTED
        if choice == DOSE_NONE:
            return None
        return self.doses[choice]


class ClinicSessionForm(forms.Form):
    ready_to_leave_at = datetime_field(
        "When did the clinic say you were ready to leave?",
        required=False,
        help_text="Leave empty if you don't know.",
    )
    went_home = forms.ChoiceField(
        label="How did you get home?",
        choices=[("", "Not said"), *ClinicSession.WentHome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = LimitedTextField(
        label="Note", max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
