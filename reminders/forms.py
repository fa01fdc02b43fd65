"""The reminder settings form: what to be reminded of, and quiet hours."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms


class TimeOfDayInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ReminderSettingsForm(forms.Form):
    checkin_reminders = forms.BooleanField(
        label="Remind me to check in after ketamine or esketamine sessions",
        required=False,
        help_text="By email and on your journal's page, about 40 minutes and 2 hours after "
        "a session you log.",
    )
    daily_reminder = forms.BooleanField(
        label="Remind me to write in my journal every day", required=False
    )
    daily_at = forms.TimeField(
        label="Daily reminder at",
        required=False,
        widget=TimeOfDayInput(),
        help_text="In your time zone, e.g. 20:00.",
        error_messages={"invalid": "Enter a time of day, e.g. 20:00."},
    )
    quiet_start = forms.TimeField(
        label="Quiet hours from",
        required=False,
        widget=TimeOfDayInput(),
        help_text="Optional. No reminder is sent between these times, e.g. 22:00 to 07:00. "
        "A reminder due then waits until they end; a check-in reminder that would wait "
        "more than 3 hours is skipped.",
        error_messages={"invalid": "Enter a time of day, e.g. 22:00."},
    )
    quiet_end = forms.TimeField(
        label="Quiet hours until",
        required=False,
        widget=TimeOfDayInput(),
        error_messages={"invalid": "Enter a time of day, e.g. 07:00."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("daily_reminder") and data.get("daily_at") is None and "daily_at" in data:
            self.add_error("daily_at", "Enter the time of your daily reminder, e.g. 20:00.")
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if start is not None and end is None and "quiet_end" in data:
            self.add_error("quiet_end", "Enter when quiet hours end, or clear their start.")
        if end is not None and start is None and "quiet_start" in data:
            self.add_error("quiet_start", "Enter when quiet hours start, or clear their end.")
        if start is not None and start == end:
            self.add_error("quiet_end", "Quiet hours must end at another time than they start.")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "checkin_reminders": data["checkin_reminders"],
            "daily_reminder": data["daily_reminder"],
            "daily_at": data["daily_at"] or time(20, 0),
            "quiet_start": data["quiet_start"],
            "quiet_end": data["quiet_end"],
        }
