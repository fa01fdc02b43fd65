"""Forms for share links: the patient making one, and a recipient typing its access code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from accounts.forms import LimitedTextField
from accounts.text_limits import RECIPIENT
from sharing.services import DEFAULT_LINK_DAYS, LONGEST_LINK_DAYS

LIFETIMES = [
    (7, "7 days"),
    (14, "14 days"),
    (30, "30 days"),
    (90, "90 days"),
]


class ShareLinkForm(forms.Form):
    recipient = LimitedTextField(
        label="Who is it for?",
        max_length=RECIPIENT,
        help_text="Their name, and where they work if that helps, e.g. “Dr Okafor, Riverside "
        "Clinic”. It is shown on the shared page and in your list of who saw your reports.",
    )
    days = forms.TypedChoiceField(
        label="The link works for",
        choices=LIFETIMES,
        coerce=int,
        initial=DEFAULT_LINK_DAYS,
    )
    other_days = forms.IntegerField(
        label="Or another number of days",
        required=False,
        min_value=1,
        max_value=LONGEST_LINK_DAYS,
        help_text=f"From 1 to {LONGEST_LINK_DAYS}. Leave empty to use the choice above.",
    )
    with_access_code = forms.BooleanField(
        label="Also ask for a 6-digit access code",
        required=False,
        help_text="Give the code to them separately, e.g. by phone: the link alone then "
        "opens nothing.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("other_days"):
            cleaned["days"] = cleaned["other_days"]
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """What `share_link_create` takes from this form."""
        return {
            "recipient": self.cleaned_data["recipient"],
            "days": self.cleaned_data["days"],
            "with_access_code": self.cleaned_data["with_access_code"],
        }


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label="Access code",
        strip=True,
        validators=[RegexValidator(r"^[0-9]{6}$", "Enter the 6 digits of the code.")],
        error_messages={"required": "Enter the access code."},
        help_text="The 6 digits the patient gave you with the link.",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "6",
                "pattern": "[0-9]{6}",
            }
        ),
    )
