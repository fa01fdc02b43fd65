"""A patient granting a provider access to their reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from reports import selectors as report_selectors
from reports.models import Report


class GrantForm(forms.Form):
    """Who to share with, and what: every report until revoked, or the ones ticked.

    It validates only: `sharing.services.provider_grant_create` makes the grant.
    """

    ALL = "all"
    CHOSEN = "chosen"

    provider_email = forms.EmailField(
        label="Your provider's email",
        max_length=254,
        error_messages={
            "required": "Enter your provider's email address.",
            "invalid": "Enter an email address, like name@clinic.example.",
        },
    )
    scope = forms.ChoiceField(
        label="What they can see",
        choices=[
            (ALL, "All my reports, including new ones, until I revoke this"),
            (CHOSEN, "Only the reports I choose"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to share."},
    )
    reports = forms.ModelMultipleChoiceField(
        label="Reports to share",
        queryset=Report.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from your own ready reports."},
    )

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        ready = report_selectors.report_list(patient=patient).filter(status=Report.Status.READY)
        self.fields["reports"].queryset = ready  # type: ignore[attr-defined]

    def clean_provider_email(self) -> str:
        email: str = self.cleaned_data["provider_email"]
        if self.patient.email and email.lower() == self.patient.email.lower():
            raise forms.ValidationError("Enter your provider's address, not your own.")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == self.CHOSEN and not cleaned.get("reports"):
            self.add_error("reports", "Tick the reports to share, or share all of them.")
        return cleaned

    @property
    def all_reports(self) -> bool:
        return bool(self.cleaned_data["scope"] == self.ALL)

    @property
    def chosen_reports(self) -> list[Report]:
        return [] if self.all_reports else list(self.cleaned_data["reports"])
