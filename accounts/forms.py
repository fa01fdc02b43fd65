"""Forms for signing up and for a patient's account settings."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UsernameField,
)
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django_countries import countries

from accounts.models import birth_date_problem
from accounts.text_limits import NAME, PASSWORD, USERNAME, plain_text, too_long
from reference.helplines import HELPLINES

Result = TypeVar("Result")

# Shown first so most people find their zone without scrolling through ~600 names.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "UTC",
)
# Names the tz database carries for its own use, not places anyone lives.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})

TIME_ZONE_HELP = "Sidelog shows every time in your journal in this zone."


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - _NOT_PLACES)


def time_zone_choices() -> list[tuple[str, Any]]:
    everything = [(name, name.replace("_", " ")) for name in time_zone_names()]
    common = [(name, name.replace("_", " ")) for name in COMMON_TIME_ZONES]
    return [("", "Choose your time zone"), ("Common", common), ("All time zones", everything)]


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        help_text=TIME_ZONE_HELP,
        # static/js/time-zone.js offers the browser's zone.
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
        error_messages={
            "required": "Choose your time zone.",
            "invalid_choice": "Choose a time zone from the list.",
        },
    )


def country_choices() -> list[tuple[str, Any]]:
    common = [(code, countries.name(code)) for code in HELPLINES]
    everything = [(country.code, country.name) for country in countries]
    return [
        ("", "The country of my time zone"),
        ("Countries Sidelog has help numbers for", common),
        ("All countries", everything),
    ]


def country_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Country",
        choices=country_choices,
        required=False,
        help_text="Red-flag warnings give this country's emergency and crisis numbers.",
        error_messages={"invalid_choice": "Choose a country from the list."},
    )


class LimitedTextField(forms.CharField):
    """Free text of at most `max_length` characters (`accounts.text_limits`), refused with the
    message the API gives for the same field."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        messages = {"max_length": too_long(max_length), **kwargs.pop("error_messages", {})}
        super().__init__(max_length=max_length, error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> str | None:
        """The text as typed, less bidirectional control characters (`plain_text`)."""
        return super().to_python(plain_text(value) if isinstance(value, str) else value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            # A browser would cut a long paste short without a word; the form says why instead.
            attrs.pop("maxlength", None)
        return attrs


def length_limited(field: forms.CharField, limit: int) -> None:
    """Make a field of a form Sidelog did not declare take at most `limit` characters, refused
    with the API's message."""
    field.max_length = limit
    field.validators = [
        validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)
    ]
    field.validators.append(MaxLengthValidator(limit))
    field.error_messages["max_length"] = too_long(limit)
    field.widget.attrs["maxlength"] = str(limit)


def passwords_limited(form: forms.BaseForm) -> None:
    """Each password field of `form` takes at most PASSWORD characters, as the API's sign-in."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.PasswordInput):
            length_limited(field, PASSWORD)


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's login form shows a username's limit but does not check it.
        username: forms.CharField = self.fields["username"]  # type: ignore[assignment]
        length_limited(username, USERNAME)
        passwords_limited(self)


class AccountPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        passwords_limited(self)


class AccountSetPasswordForm(SetPasswordForm):
    """A new password after a reset."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        passwords_limited(self)


def patient_name_field() -> forms.CharField:
    return LimitedTextField(
        label="Your name on reports",
        required=False,
        max_length=NAME,
        help_text="Reports and the pages you share name you this way, never by your username. "
        "Leave it empty and they say “Name not given”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def service_result(
    form: forms.BaseForm, service: Callable[[dict[str, Any]], Result]
) -> Result | None:
    """What `service` returns for a submitted, valid form's cleaned data; None when the form
    was not submitted or not valid, or the service refused (its reasons now on the form)."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


def account_email_field(help_text: str) -> forms.EmailField:
    return forms.EmailField(
        label="Email",
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SignUpForm(BaseUserCreationForm):
    """Username, email, password twice and time zone, checked by Django's validators.

    It validates only, and never asks whether a username or an address is taken (the page
    would tell anyone): `accounts.services.sign_up_request` does, from `account_data()`, and
    says so by email.
    """

    email = account_email_field(
        "For resetting your password, and the reminders you ask for. Sidelog sends nothing else."
    )
    display_name = patient_name_field()
    time_zone = time_zone_field()
    country = country_field()
    checkin_reminders = forms.BooleanField(
        label="Remind me to check in after ketamine or esketamine sessions",
        required=False,
        help_text="By email, about 40 minutes and 2 hours after a session you log. "
        "You can change this in your settings.",
    )

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        passwords_limited(self)
        self.fields[
            "username"
        ].help_text = "Letters, digits and @ . + - _ only, up to 150 characters."

    def account_data(self) -> dict[str, Any]:
        """What `user_sign_up` needs to know, beyond the role."""
        data = self.cleaned_data
        return {
            "checkin_reminders": bool(data.get("checkin_reminders")),
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"],
            "time_zone": data["time_zone"],
            "country": data.get("country", ""),
            "display_name": data.get("display_name", ""),
        }

    def validate_unique(self) -> None:
        """Not here: whether the username is taken is told by email only."""


class AccountSettingsForm(forms.Form):
    display_name = patient_name_field()
    email = account_email_field(
        "Where Sidelog sends password reset links. A new address is used once you open the "
        "link we send to it."
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday"}),
        help_text="Shown on your reports, so that your provider can match them to your record.",
        error_messages={"invalid": "Enter a date, e.g. 1980-04-23."},
    )
    time_zone = time_zone_field()
    country = country_field()
    temperature_unit = forms.ChoiceField(
        label="Temperatures in",
        choices=[("C", "°C (Celsius)"), ("F", "°F (Fahrenheit)")],
        required=False,
        widget=forms.RadioSelect,
        help_text="How Sidelog shows and asks for your temperature readings.",
    )

    def clean_date_of_birth(self) -> date | None:
        # Checked here too, so that it shows with the form's other errors at once; the
        # request's zone is the patient's (sharing.middleware), as the service's check is.
        day: date | None = self.cleaned_data["date_of_birth"]
        problem = day and birth_date_problem(day, today=timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return day


class ProviderSignUpForm(SignUpForm):
    """A patient's sign-up form with the name patients will know the provider by."""

    display_name = LimitedTextField(
        label="Your name as patients know you",
        max_length=NAME,
        help_text="For example “Dr Jane Okafor”. Patients see it next to the reports they "
        "share with you.",
        error_messages={"required": "Enter your name as patients know you."},
    )

    field_order = ["username", "email", "display_name", "password1", "password2", "time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["checkin_reminders"]
        self.fields["email"].help_text = (
            "Use the address patients share their reports with. Sidelog also sends password "
            "reset links to it."
        )
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["time_zone"].help_text = "Sidelog shows the times in reports in this zone."


class CaregiverSignUpForm(SignUpForm):
    """A caregiver's account: the patient's sign-up fields, plus the name the patient sees.

    It validates only; the invitation's view asks `sign_up_request` for the account, whose
    emailed link comes back to the invitation to be answered.
    """

    display_name = LimitedTextField(
        label="Your name",
        max_length=NAME,
        help_text="How the patient sees you in their journal, e.g. “Sam, Pat's son”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["username", "email", "password1", "password2", "display_name", "time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["checkin_reminders"]
        self.fields["time_zone"].help_text = "Sidelog shows you times in this zone."
