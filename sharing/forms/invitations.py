"""The invited person's answer to an invitation: accept or decline, one button each."""

from __future__ import annotations

from django import forms


class InvitationAnswerForm(forms.Form):
    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label="Your answer",
        choices=[(ACCEPT, "Accept"), (DECLINE, "Decline")],
        error_messages={
            "required": "Choose Accept or Decline.",
            "invalid_choice": "Choose Accept or Decline.",
        },
    )

    @property
    def accepts(self) -> bool:
        return bool(self.cleaned_data["decision"] == self.ACCEPT)
