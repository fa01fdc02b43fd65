"""A patient inviting someone to keep their journal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

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
        # Accepted, or an invitation still open: one that was declined or expired is over.
        in_force = CareRelationship.objects.filter(
            patient=self.patient,
            caregiver_email__iexact=email,
            ended_at__isnull=True,
            declined_at__isnull=True,
        ).filter(Q(accepted_at__isnull=False) | Q(invitation_expires_at__gt=timezone.now()))
        if in_force.exists():
            raise forms.ValidationError(
                "You have already invited this address. End that invitation first to send "
                "a new one."
            )
        return email
