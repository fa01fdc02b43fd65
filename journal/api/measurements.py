"""`/api/v1/measurements/`: readings (blood pressure, heart rate, oxygen saturation, body
temperature), each answered with its `red_flags` as entries are; and
`/api/v1/doses/<id>/clinic-session/`: what the clinic said about a ketamine or esketamine
session given there. Serializers check the shape; journal.services decides what is written.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi, service_errors
from accounts.serializers import TextField
from accounts.text_limits import NOTE
from journal import selectors, services
from journal.api.serializers import (
    MAX_ID,
    FilterSerializer,
    FlagField,
    MomentField,
    OwnRowField,
    RedFlagOutputSerializer,
    WholeNumberField,
    red_flag_data,
)
from journal.api.views import (
    BAD_INPUT,
    FILTERS,
    NOT_FOUND,
    JournalApi,
    JournalDetailApi,
    JournalListApi,
)
from journal.models import (
    DIASTOLIC,
    PULSE,
    SYSTOLIC,
    Bounds,
    ClinicSession,
    DoseEvent,
    Measurement,
    fahrenheit_from_celsius,
)

EMPTY = {"type": "string", "maxLength": 0}


def bounded(bounds: Bounds, what: str, help_text: str) -> WholeNumberField:
    low, high = int(bounds.low), int(bounds.high)
    message = f"{what} must be between {low} and {high} {bounds.unit}."
    return WholeNumberField(
        min_value=low,
        max_value=high,
        allow_null=True,
        default=None,
        help_text=help_text,
        error_messages={"min_value": message, "max_value": message},
    )


class MeasurementInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Measurement.Kind.choices)
    measured_at = MomentField(help_text="When the reading was taken.")
    systolic = bounded(SYSTOLIC, "The top number", "Blood pressure only: the top number, mmHg.")
    diastolic = bounded(
        DIASTOLIC, "The bottom number", "Blood pressure only: the bottom number, mmHg."
    )
    pulse = bounded(PULSE, "The pulse", "Blood pressure only, optional: the pulse the cuff showed.")
    value = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        default=None,
        help_text="Heart rate (beats per minute, 20–250), oxygen saturation (%, 50–100) or body "
        "temperature (in `unit`: 30–45 °C, 86–113 °F).",
    )
    unit = serializers.ChoiceField(
        choices=Measurement.TemperatureUnit.choices,
        required=False,
        help_text="Body temperature only: `C` or `F`. Left out: the unit in your profile.",
    )
    context = serializers.ChoiceField(  # type: ignore[assignment]  # DRF's metaclass takes it
        choices=Measurement.Context.choices, default=Measurement.Context.HOME
    )
    note = TextField(allow_blank=True, default="", max_length=NOTE)
    with_warning_signs = FlagField(
        default=False,
        help_text="You have the warning signs the rules for this kind of reading name "
        "(e.g. chest pain or a sudden severe headache with a high blood pressure).",
    )
    dose = OwnRowField(
        rows=selectors.dose_list,
        allow_null=True,
        required=False,
        help_text="The id of the dose it was taken around, or null. Left out on POST or PUT: "
        "the latest dose in the 24 hours before (none for `before_dose`). On PATCH: unchanged.",
    )


class MeasurementOutputSerializer(serializers.ModelSerializer[Measurement]):
    dose = serializers.IntegerField(source="dose_id", read_only=True, allow_null=True)
    value = serializers.SerializerMethodField(
        method_name="value_shown",  # not `get_value`: a serializer's own method
        help_text="As typed: a temperature in `unit`. Null for blood pressure.",
    )
    unit = serializers.SerializerMethodField(help_text='`C` or `F` for a temperature, else "".')
    celsius = serializers.SerializerMethodField(help_text="A temperature in °C, as stored.")
    reading = serializers.CharField(read_only=True, help_text="As a person reads it.")
    logged_by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)
    is_backfilled = serializers.BooleanField(read_only=True)
    is_edited = serializers.BooleanField(read_only=True)
    red_flags = serializers.SerializerMethodField(
        help_text="Who to contact and how soon: every rule the reading meets, the most urgent "
        "first (show that one above everything); empty if none."
    )

    class Meta:
        model = Measurement
        fields = ["id", "kind", "systolic", "diastolic", "pulse", "value", "unit", "celsius"]
        fields += ["reading", "measured_at", "context", "note", "with_warning_signs", "dose"]
        fields += ["logged_by", "created_at", "updated_at", "is_backfilled", "is_edited"]
        fields += ["red_flags"]

    @extend_schema_field({"type": "number", "nullable": True})
    def value_shown(self, row: Measurement) -> float | None:
        if row.value is None:
            return None
        shown = fahrenheit_from_celsius(row.value) if self.get_unit(row) == "F" else row.value
        return float(shown)

    def get_unit(self, row: Measurement) -> str:
        return row.entered_unit if row.kind == Measurement.Kind.BODY_TEMPERATURE else ""

    @extend_schema_field({"type": "number", "nullable": True})
    def get_celsius(self, row: Measurement) -> float | None:
        if row.kind != Measurement.Kind.BODY_TEMPERATURE or row.value is None:
            return None
        return float(row.value)

    @extend_schema_field(RedFlagOutputSerializer(many=True))
    def get_red_flags(self, row: Measurement) -> Any:
        flagger: selectors.MeasurementFlagger = self.context["flagger"]
        return [red_flag_data(rule, flagger.country) for rule in flagger.for_measurement(row)]  # type: ignore[arg-type]


class MeasurementFilterSerializer(FilterSerializer):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["kind"] = serializers.ChoiceField(choices=Measurement.Kind.choices, required=False)
        fields["dose"] = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        return fields


def current_values(row: Measurement) -> dict[str, Any]:
    """A reading as its input: what a PATCH changes some of."""
    unit = row.entered_unit
    value = row.value
    if value is not None and unit == Measurement.TemperatureUnit.FAHRENHEIT:
        value = fahrenheit_from_celsius(value)
    names = ["kind", "measured_at", "systolic", "diastolic", "pulse", "context", "note"]
    values = {name: getattr(row, name) for name in names}
    return values | {
        "value": value,
        "unit": unit,
        "with_warning_signs": row.with_warning_signs,
        "dose": row.dose,
    }


class MeasurementMixin(JournalApi):
    input_serializer = MeasurementInputSerializer
    output_serializer = MeasurementOutputSerializer

    def validated(self, current: Model | None = None) -> dict[str, Any]:
        partial = self.request.method == "PATCH"
        serializer = self.input_serializer(
            data=self.request.data, partial=partial, context={"patient": self.patient}
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if partial and isinstance(current, Measurement):
            values = current_values(current) | values
        return values

    def represent(self, row: Any, *, many: bool = False) -> Any:
        flagger = selectors.MeasurementFlagger(patient=self.patient)
        return self.output_serializer(row, many=many, context={"flagger": flagger}).data

    def measurement_input(self, values: dict[str, Any]) -> tuple[services.MeasurementInput, Any]:
        dose = values.pop("dose", services.SUGGESTED)
        values["unit"] = values.get("unit") or ""
        return services.MeasurementInput(**values), dose


KIND_FILTERS = [
    OpenApiParameter(
        "kind",
        {"anyOf": [{"type": "string", "enum": Measurement.Kind.values}, EMPTY]},
        description="Only readings of this kind.",
    ),
    OpenApiParameter(
        "dose",
        {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID}, EMPTY]},
        description="Only readings linked to this dose id.",
    ),
]


@extend_schema_view(
    get=extend_schema(summary="List your readings", parameters=[*FILTERS, *KIND_FILTERS]),
    post=extend_schema(
        summary="Log a reading",
        description="If the answer's `red_flags` is not empty, show it first: it says who "
        "to contact and how soon.",
    ),
)
class MeasurementListApi(MeasurementMixin, JournalListApi):
    """A reading: blood pressure (with an optional pulse), heart rate, oxygen saturation or
    body temperature, when it was taken and the dose it was taken around."""

    def rows(self) -> QuerySet[Measurement]:
        serializer = MeasurementFilterSerializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        found: dict[str, Any] = serializer.validated_data
        rows = selectors.measurement_list(
            patient=self.patient,
            start=found.get("from"),
            end=found.get("to"),
            kind=found.get("kind"),
            dose_id=found.get("dose"),
        )
        if found.get("course") is not None:
            rows = rows.filter(dose__course_id=found["course"])
        return rows

    def create(self, values: dict[str, Any]) -> Measurement:
        data, dose = self.measurement_input(values)
        return services.measurement_create(
            patient=self.patient, logged_by=self.patient, data=data, dose=dose, request=self.request
        )


@extend_schema_view(
    get=extend_schema(summary="Get a reading"),
    put=extend_schema(summary="Replace a reading (the old version stays in its history)"),
    patch=extend_schema(summary="Correct some fields of a reading (the old version is kept)"),
    delete=extend_schema(summary="Delete a reading"),
)
class MeasurementDetailApi(MeasurementMixin, JournalDetailApi):
    """One of your readings. A change keeps the earlier version in its history."""

    def row(self, pk: int) -> Measurement:
        return self.found(selectors.measurement_get, pk)

    def update(self, row: Measurement, values: dict[str, Any]) -> Measurement:
        data, dose = self.measurement_input(values)
        return services.measurement_update(
            measurement=row, data=data, dose=dose, acted_by=self.patient, request=self.request
        )

    def remove(self, row: Measurement) -> None:
        services.measurement_delete(measurement=row, acted_by=self.patient, request=self.request)


# The clinic session


class ClinicSessionInputSerializer(serializers.Serializer[Any]):
    ready_to_leave_at = MomentField(
        allow_null=True, default=None, help_text="When the clinic said you were ready to leave."
    )
    went_home = serializers.ChoiceField(
        choices=ClinicSession.WentHome.choices, allow_blank=True, default=""
    )
    note = TextField(allow_blank=True, default="", max_length=NOTE)


class ClinicSessionOutputSerializer(serializers.Serializer[Any]):
    dose = serializers.IntegerField()
    ready_to_leave_at = serializers.DateTimeField(allow_null=True)
    went_home = serializers.ChoiceField(
        choices=[("", ""), *ClinicSession.WentHome.choices], allow_blank=True
    )
    note = serializers.CharField(allow_blank=True)
    readings = MeasurementOutputSerializer(
        many=True,
        help_text="The readings linked to the dose, oldest first, each with its `context` "
        "(before the dose, about 40 minutes after, at discharge) and `red_flags`.",
    )


@extend_schema_view(
    get=extend_schema(
        summary="A clinic session's record",
        tags=["doses"],
        description="Ketamine and esketamine doses given in a clinic only (404 for others). "
        "Empty until recorded. Add the clinic's blood pressure readings with "
        "`POST /api/v1/measurements/`, with this `dose` and their `context`.",
        responses={200: ClinicSessionOutputSerializer, 404: NOT_FOUND},
    ),
    put=extend_schema(
        summary="Record a clinic session",
        tags=["doses"],
        request=ClinicSessionInputSerializer,
        responses={200: ClinicSessionOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class DoseClinicSessionApi(PatientApi):
    """What the clinic said about one of your ketamine or esketamine sessions given there."""

    serializer_class = ClinicSessionInputSerializer
    pagination_class = None

    def dose(self, pk: int) -> DoseEvent:
        dose: DoseEvent = self.found(selectors.dose_get, pk)
        if not services.is_clinic_session(dose):
            raise NotFound(services.NOT_A_CLINIC_SESSION)
        return dose

    def get_object(self) -> DoseEvent:
        """The dose, for DRF's OPTIONS metadata: it looks one up before describing a PUT."""
        return self.dose(int(self.kwargs["pk"]))

    def answer(self, dose: DoseEvent) -> Response:
        session = selectors.clinic_session_of(dose)
        record = {
            "dose": dose.pk,
            "ready_to_leave_at": session.ready_to_leave_at if session else None,
            "went_home": session.went_home if session else "",
            "note": session.note if session else "",
            "readings": selectors.readings_of_dose(dose),
        }
        flagger = selectors.MeasurementFlagger(patient=self.patient)
        return Response(ClinicSessionOutputSerializer(record, context={"flagger": flagger}).data)

    def get(self, request: Request, pk: int) -> Response:
        return self.answer(self.dose(pk))

    def put(self, request: Request, pk: int) -> Response:
        dose = self.dose(pk)
        serializer = ClinicSessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.clinic_session_save(
                dose=dose, logged_by=self.patient, request=request, **serializer.validated_data
            )
        return self.answer(dose)
