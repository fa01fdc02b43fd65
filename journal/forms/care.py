"""Forms for caregivers: the patient's invitation, and a caregiver's own account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from journal.forms.accounts import SignUpForm
from sharing.models import CareRelationship


class CaregiverInviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email",
        max_length=254,
        help_text="Sidelog emails them a link to accept. They can log doses and symptoms "
        "for you and build reports; they can't share your reports or change your account.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        in_force = CareRelationship.objects.filter(
            patient=self.patient, caregiver_email__iexact=email, ended_at__isnull=True
        )
        if in_force.exists():
            raise forms.ValidationError(
                "You have already invited this address. End that invitation first to send "
                "a new one."
            )
        return email


class CaregiverSignUpForm(SignUpForm):
    """A caregiver's account: the patient's sign-up fields, plus the name the patient sees.

    It validates only: the view creates the account and accepts the invitation together.
    """

    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="How the patient sees you in their journal, e.g. “Sam, Pat's son”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["username", "email", "password1", "password2", "display_name", "time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = "Sidelog shows you times in this zone."
