"""Serializers of the journal API: they check the shape of input and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from accounts.serializers import TextField
from accounts.text_limits import DOSE_AMOUNT, NOTE, SYMPTOM_WORDS
from journal import selectors
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reference.models import Drug, RedFlag, SideEffect
from reference.selectors import library_copy

MAX_ID = 2**63 - 1
EARLIEST_YEAR = 1900

# Fields


class MomentField(serializers.DateTimeField):
    """ISO 8601; a time without an offset is in the patient's zone, active for the request."""

    default_error_messages = {"too_early": f"Enter a time after the year {EARLIEST_YEAR}."}

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        if moment.year < EARLIEST_YEAR:
            self.fail("too_early")
        return moment


def sent_as_json(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Whether the field's value came typed, in JSON: in a form, every value is text."""
    return not html.is_html_input(getattr(field.root, "initial_data", None))


def is_number(data: Any) -> bool:
    return isinstance(data, int | float) and not isinstance(data, bool)


class WholeNumberField(serializers.IntegerField):
    """In JSON a number, not text such as "2"; a form sends it as text."""

    def to_internal_value(self, data: Any) -> int:
        if sent_as_json(self) and not is_number(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class FlagField(serializers.BooleanField):
    """In JSON `true` or `false`, not 0, 1 or "yes"; a form spells it as forms do."""

    def to_internal_value(self, data: Any) -> bool:
        if sent_as_json(self) and not isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class DayField(serializers.DateField):
    default_error_messages = {"too_early": f"Enter a date after the year {EARLIEST_YEAR}."}

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if day.year < EARLIEST_YEAR:
            self.fail("too_early")
        return day


class PeriodBoundField(MomentField):
    """A `from`/`to` filter: a date is the patient's own day, and `to` includes it."""

    default_error_messages = {"period": "Enter a date (2025-05-01) or a date and time."}

    def __init__(self, *, end: bool, **kwargs: Any) -> None:
        self.end = end
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str) or len(value) > 40:
            self.fail("period")
        try:
            day = parse_date(value)
            if day is None:
                return super().to_internal_value(value)
            day += timedelta(days=1 if self.end else 0)
        except (ValueError, OverflowError):
            self.fail("period")
        if day.year < EARLIEST_YEAR:
            self.fail("too_early")
        return timezone.make_aware(datetime.combine(day, time.min))


BLANK = "This field may not be blank."


def refuse_blank_json(field: serializers.RelatedField[Any, Any, Any], data: Any) -> None:
    """DRF reads "" as null for a relation, which is how a form sends null; JSON has null."""
    if data == "" and sent_as_json(field):
        field.fail("blank")


class OwnRowField(serializers.PrimaryKeyRelatedField[Any]):
    """The id of one of the acting patient's rows; anyone else's is simply not found."""

    default_error_messages = {
        "does_not_exist": "Not found.",
        "incorrect_type": "Not found.",
        "blank": BLANK,
    }

    def __init__(self, *, rows: Callable[..., QuerySet[Any]], **kwargs: Any) -> None:
        self.rows = rows
        id_field = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        super().__init__(pk_field=id_field, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.rows(patient=self.context["patient"])

    def run_validation(self, data: Any = empty) -> Any:
        refuse_blank_json(self, data)
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        if sent_as_json(self) and not is_number(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class LibraryField(serializers.SlugRelatedField[Any]):
    """The slug of a published drug or symptom."""

    default_error_messages = {
        "does_not_exist": "Not found in Sidelog's library.",
        "invalid": "Not found.",
        "blank": BLANK,
    }

    def run_validation(self, data: Any = empty) -> Any:
        refuse_blank_json(self, data)
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        # PostgreSQL refuses a NUL character in a query with an error of its own.
        if not isinstance(data, str) or "\x00" in data:
            self.fail("does_not_exist")
        return super().to_internal_value(data)


def library_field(model: type[Drug] | type[SideEffect], **kwargs: Any) -> Any:
    return LibraryField(slug_field="slug", queryset=model.objects.published(), **kwargs)


class SymptomField(LibraryField):
    """A published symptom's slug, found in the process's copy of the library (no query)."""

    # Not a queryset passed in: DRF copies the arguments of every field for every request.
    queryset = SideEffect.objects

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self) -> QuerySet[SideEffect]:
        """The choices an OPTIONS request describes."""
        return SideEffect.objects.published()

    def to_internal_value(self, data: Any) -> SideEffect:
        if not isinstance(data, str):
            self.fail("does_not_exist")
        found = library_copy().side_effects.get(data)
        if found is None:
            self.fail("does_not_exist")
        return found


# Serializers


class FilterSerializer(serializers.Serializer[Any]):
    """Query parameters of the dose and entry lists (`from` can't be a class attribute)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {
            "from": PeriodBoundField(end=False, required=False),
            "to": PeriodBoundField(end=True, required=False),
            "course": serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID),
        }
        if self.context.get("by_side_effect"):
            fields["side_effect"] = serializers.SlugField(required=False, max_length=100)
        return fields


class CourseInputSerializer(serializers.Serializer[Any]):
    drug = library_field(Drug, help_text="A slug from /api/v1/drugs/, e.g. `esketamine`.")
    started_on = DayField()
    stopped_on = DayField(allow_null=True, default=None, help_text="Null while still taking it.")
    route = serializers.ChoiceField(
        choices=MedicationCourse.Route.choices,
        required=False,
        help_text="Left out: the usual way for the drug (`nasal` for esketamine, `iv` for "
        "ketamine, `oral` for the others).",
    )
    regimen = TextField(
        allow_blank=True,
        default="",
        max_length=NOTE,
        help_text="As the prescriber wrote it; stored as written and never interpreted.",
    )


class CourseOutputSerializer(serializers.ModelSerializer[MedicationCourse]):
    drug = serializers.SlugRelatedField[Drug](slug_field="slug", read_only=True)

    class Meta:
        model = MedicationCourse
        fields = ["id", "drug", "started_on", "stopped_on", "route", "regimen", "created_at"]
        fields += ["updated_at"]


class DoseInputSerializer(serializers.Serializer[Any]):
    course = OwnRowField(rows=selectors.course_list, help_text="The id of one of your courses.")
    taken_at = MomentField(help_text="When it was taken or given.")
    setting = serializers.ChoiceField(
        choices=DoseEvent.Setting.choices,
        required=False,
        help_text="Left out: `clinic` for ketamine and esketamine, `home` for the others.",
    )
    amount = TextField(
        allow_blank=True,
        default="",
        max_length=DOSE_AMOUNT,
        help_text="As written, e.g. `56 mg` or `2 devices`: stored and shown, never interpreted.",
    )
    note = TextField(allow_blank=True, default="", max_length=NOTE)


class DoseOutputSerializer(serializers.ModelSerializer[DoseEvent]):
    course = serializers.IntegerField(source="course_id", read_only=True)
    logged_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    is_backfilled = serializers.BooleanField(read_only=True)
    is_edited = serializers.BooleanField(read_only=True)

    class Meta:
        model = DoseEvent
        fields = ["id", "course", "taken_at", "setting", "amount", "note", "logged_by"]
        fields += ["created_at"]
        fields += ["updated_at", "is_backfilled", "is_edited"]


class EntryInputSerializer(serializers.Serializer[Any]):
    side_effect = SymptomField(
        allow_null=True,
        default=None,
        help_text="A slug from /api/v1/side-effects/, e.g. `dissociation`; "
        "or null, and describe the symptom in `other_symptom`.",
    )
    other_symptom = TextField(allow_blank=True, default="", max_length=SYMPTOM_WORDS)
    onset_at = MomentField(help_text="When it started.")
    resolved_at = MomentField(allow_null=True, default=None, help_text="Null while ongoing.")
    severity = WholeNumberField(
        min_value=0, max_value=4, help_text="0 None, 1 Mild, 2 Moderate, 3 Severe, 4 Very severe."
    )
    interference = WholeNumberField(
        min_value=0,
        max_value=4,
        help_text="With daily activities: 0 Not at all, 1 A little bit, 2 Somewhat, "
        "3 Quite a bit, 4 Very much.",
    )
    notes = TextField(allow_blank=True, default="", max_length=NOTE)
    dose = OwnRowField(
        rows=selectors.dose_list,
        allow_null=True,
        required=False,
        help_text="The id of the dose it followed, or null for none. Left out on POST or PUT: "
        "the latest dose in the 24 hours before onset. Left out on PATCH: unchanged.",
    )
    danger_signs = serializers.ListField(
        child=serializers.SlugField(max_length=60),
        default=list,
        max_length=30,
        help_text="Slugs of the symptom's danger signs that are present, from "
        "/api/v1/side-effects/<slug>/ (e.g. `blisters` with `skin-rash`).",
    )
    matched_side_effect = SymptomField(
        allow_null=True,
        required=False,
        help_text="With `other_symptom` only: the library symptom those words name, or null "
        "for none. Left out: Sidelog reads it from the words (on PATCH, a symptom you chose "
        "is kept while `other_symptom` is unchanged).",
    )


class RedFlagOutputSerializer(serializers.Serializer[RedFlag]):
    action = serializers.ChoiceField(choices=RedFlag.Action.choices)
    action_label = serializers.CharField(source="get_action_display")
    signs = serializers.CharField()
    guidance = serializers.SerializerMethodField(
        help_text="With the emergency and crisis numbers of the patient's country."
    )

    def get_guidance(self, flag: RedFlag) -> str:
        return flag.guidance_for(self.context["country"])


def red_flag_data(flag: RedFlag, country: str) -> dict[str, str]:
    """What `RedFlagOutputSerializer` gives (a test holds them together), without DRF's
    walk through its fields for every flag of every entry on a page."""
    return {
        "action": flag.action,
        "action_label": str(flag.get_action_display()),
        "signs": flag.signs,
        "guidance": flag.guidance_for(country),
    }


class EntryOutputSerializer(serializers.ModelSerializer[SymptomEntry]):
    # Null when the symptom is described in `other_symptom` instead.
    side_effect = serializers.SlugRelatedField[SideEffect](
        slug_field="slug", read_only=True, allow_null=True
    )
    dose = serializers.IntegerField(source="dose_id", read_only=True, allow_null=True)
    dose_suggested = serializers.IntegerField(
        source="dose_suggested_id",
        read_only=True,
        allow_null=True,
        help_text="The latest dose in the 24 hours before onset, if any.",
    )
    logged_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    is_backfilled = serializers.BooleanField(read_only=True)
    is_edited = serializers.BooleanField(read_only=True)
    # Plain numbers: the same 0–4 choices already have a name in the reference schema.
    severity = serializers.IntegerField(read_only=True, min_value=0, max_value=4)
    severity_label = serializers.CharField(read_only=True)
    interference = serializers.IntegerField(read_only=True, min_value=0, max_value=4)
    interference_label = serializers.CharField(read_only=True)
    matched_side_effect = serializers.SlugRelatedField[SideEffect](
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The library symptom that `other_symptom` names, which red flags read it as.",
    )
    match_set_by_patient = serializers.BooleanField(
        read_only=True, help_text="Whether the patient chose `matched_side_effect`."
    )
    danger_signs = serializers.ListField(child=serializers.CharField(), read_only=True)
    red_flags = serializers.SerializerMethodField(
        help_text="Who to contact and how soon: every rule that applies, the most urgent "
        "first (show that one above everything); empty if none applies. Emergency and crisis "
        "numbers are those of the patient's country."
    )

    class Meta:
        model = SymptomEntry
        fields = ["id", "side_effect", "other_symptom", "matched_side_effect"]
        fields += ["match_set_by_patient", "onset_at", "resolved_at", "severity"]
        fields += ["severity_label", "interference", "interference_label", "danger_signs"]
        fields += ["notes", "dose", "dose_suggested", "logged_by", "created_at", "updated_at"]
        fields += ["is_backfilled", "is_edited", "red_flags"]

    @extend_schema_field(RedFlagOutputSerializer(many=True))
    def get_red_flags(self, entry: SymptomEntry) -> Any:
        matcher: selectors.RedFlagMatcher = self.context["red_flag_matcher"]
        return [red_flag_data(flag, matcher.country) for flag in matcher.for_entry(entry)]

    def to_representation(self, entry: SymptomEntry) -> dict[str, Any]:
        """The fields declared above, written out directly.

        DRF's walk through 21 fields costs about 100 µs an entry, five times this, and the
        list answers 50 entries within its 10 ms goal. The fields above still declare the
        answer (and the schema); `tests/journal/test_api_entries.py` holds this to DRF's
        own rendering of them.
        """
        zone = timezone.get_current_timezone()

        def moment(value: datetime) -> str:
            # As DRF's DateTimeField writes it: ISO 8601 in the request's zone, UTC as "Z".
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return {
            "id": entry.pk,
            "side_effect": entry.side_effect.slug if entry.side_effect else None,
            "other_symptom": entry.other_symptom,
            "matched_side_effect": (
                entry.matched_side_effect.slug if entry.matched_side_effect else None
            ),
            "match_set_by_patient": entry.match_set_by_patient,
            "onset_at": moment(entry.onset_at),
            "resolved_at": moment(entry.resolved_at) if entry.resolved_at else None,
            "severity": entry.severity,
            "severity_label": str(entry.severity_label),
            "interference": entry.interference,
            "interference_label": str(entry.interference_label),
            "danger_signs": list(entry.danger_signs),
            "notes": entry.notes,
            "dose": entry.dose_id,
            "dose_suggested": entry.dose_suggested_id,  # type: ignore[attr-defined]
            "logged_by": entry.logged_by.username if entry.logged_by else None,
            "created_at": moment(entry.created_at),
            "updated_at": moment(entry.updated_at),
            "is_backfilled": entry.is_backfilled,
            "is_edited": entry.is_edited,
            "red_flags": self.get_red_flags(entry),
        }
