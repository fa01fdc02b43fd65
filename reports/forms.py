"""The forms a patient fills in to ask for a report and to name it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from accounts.forms import LimitedTextField
from accounts.text_limits import REPORT_NAME
from journal import selectors
from journal.forms.journal import DateInput
from journal.models import MedicationCourse
from reports.models import Report


def report_name_field() -> forms.CharField:
    return LimitedTextField(
        label="Name (optional)",
        max_length=REPORT_NAME,
        required=False,
        help_text="E.g. “Before the March review”. Left empty, the report is named by its period.",
    )


class ReportForm(forms.Form):
    name = report_name_field()
    period_start = forms.DateField(label="From", widget=DateInput())
    period_end = forms.DateField(label="To (included)", widget=DateInput())
    courses = forms.ModelMultipleChoiceField(
        queryset=MedicationCourse.objects.none(),
        required=False,
        label="Medicines",
        help_text="Leave all unticked to include every medicine.",
        widget=forms.CheckboxSelectMultiple,
    )
    include_notes = forms.BooleanField(
        label="Include my notes",
        required=False,
        help_text="Your notes on entries are left out unless you tick this.",
    )
    paper_size = forms.ChoiceField(
        label="Paper size for the PDF",
        choices=Report.PaperSize.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, patient: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses: forms.ModelMultipleChoiceField = self.fields["courses"]  # type: ignore[assignment]
        courses.queryset = selectors.course_list(patient=patient)


class ReportNameForm(forms.Form):
    name = report_name_field()
