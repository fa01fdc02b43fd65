"""The journal API: a patient's courses, doses and symptom entries.

Serializers only check the shape of input; journal.services decides what may be written.
Every read starts from the acting patient, so another person's ids answer 404, and anyone
without a journal (staff, content editors, providers) gets 404 on every journal endpoint.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Model, QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi, SignedInSchema, service_errors
from journal import selectors, services
from journal.api.serializers import (
    MAX_ID,
    CourseInputSerializer,
    CourseOutputSerializer,
    DoseInputSerializer,
    DoseOutputSerializer,
    EntryInputSerializer,
    EntryOutputSerializer,
    FilterSerializer,
)
from journal.models import DoseEvent, MedicationCourse, SymptomEntry

BAD_INPUT = OpenApiResponse(description="Field errors, `{field: [message]}`; nothing written.")
NOT_FOUND = OpenApiResponse(description="Not one of your rows, or no journal on this account.")
# Query parameters left empty (`?to=`) are ignored, as a form's empty fields are.
EMPTY = {"type": "string", "maxLength": 0}
DAY_OR_MOMENT = {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}, EMPTY]}
FILTERS = [
    OpenApiParameter(
        "from", DAY_OR_MOMENT, description="A date (your own day) or an ISO 8601 time."
    ),
    OpenApiParameter(
        "to", DAY_OR_MOMENT, description="Up to and including this date, or up to this time."
    ),
    OpenApiParameter(
        "course",
        {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID}, EMPTY]},
        description="Only those of this course id.",
    ),
]


class JournalSchema(SignedInSchema):
    """Bodies from the view's `input_serializer` and `output_serializer`, errors included."""

    def get_request_serializer(self) -> Any:
        view = cast("JournalApi", self.view)
        return view.input_serializer if self.method in ("POST", "PUT", "PATCH") else None

    def get_response_serializers(self) -> Any:
        output = cast("JournalApi", self.view).output_serializer
        if isinstance(self.view, JournalListApi):
            if self.method == "POST":
                return {201: output, 400: BAD_INPUT, 404: NOT_FOUND}
            return {200: output(many=True), 400: BAD_INPUT, 404: NOT_FOUND}
        if self.method == "GET":
            return {200: output, 404: NOT_FOUND}
        if self.method == "DELETE":
            return {204: None, 400: BAD_INPUT, 404: NOT_FOUND}
        return {200: output, 400: BAD_INPUT, 404: NOT_FOUND}

    def get_tags(self) -> list[str]:
        return [self.path.split("/")[3]]  # /api/v1/<tag>/...


class JournalApi(PatientApi):
    """The acting patient's journal, read and written in their own time zone."""

    schema = JournalSchema()
    input_serializer: type[serializers.Serializer[Any]]
    output_serializer: type[serializers.ModelSerializer[Any]]

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        """What OPTIONS describes (DRF's metadata): the fields a write takes, else the output."""
        return getattr(self, "input_serializer", None) or self.output_serializer

    def validated(self, current: Model | None = None) -> dict[str, Any]:
        """The request's fields; on PATCH, merged over the `current` row's values."""
        partial = self.request.method == "PATCH"
        serializer = self.input_serializer(
            data=self.request.data, partial=partial, context={"patient": self.patient}
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if partial and current is not None:
            values = {
                name: getattr(current, name) for name, _ in serializer.fields.items()
            } | values
        return values

    def represent(self, row: Any, *, many: bool = False) -> Any:
        return self.output_serializer(row, many=many).data


class JournalListApi(JournalApi):
    def rows(self) -> QuerySet[Any]:
        raise NotImplementedError

    def create(self, values: dict[str, Any]) -> Model:
        raise NotImplementedError

    def filters(self, *, by_side_effect: bool = False) -> dict[str, Any]:
        context = {"by_side_effect": by_side_effect}
        serializer = FilterSerializer(data=self.request.query_params, context=context)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = serializer.validated_data
        return {"start": values.get("from"), "end": values.get("to"), **values}

    def get(self, request: Request) -> Response:
        """Newest first, 50 to a page."""
        rows = self.rows()
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(self.represent(rows, many=True))
        return self.get_paginated_response(self.represent(page, many=True))

    def post(self, request: Request) -> Response:
        values = self.validated()
        with service_errors():
            row = self.create(values)
        return Response(self.represent(row), status=status.HTTP_201_CREATED)


class JournalDetailApi(JournalApi):
    def row(self, pk: int) -> Any:
        raise NotImplementedError

    def get_object(self) -> Any:
        """The row, for DRF's OPTIONS metadata: it looks one up before describing a PUT."""
        return self.row(int(self.kwargs["pk"]))

    def update(self, row: Any, values: dict[str, Any]) -> Model:
        raise NotImplementedError

    def remove(self, row: Any) -> None:
        raise NotImplementedError

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.represent(self.row(pk)))

    def put(self, request: Request, pk: int) -> Response:
        row = self.row(pk)
        values = self.validated(current=row)
        with service_errors():
            row = self.update(row, values)
        return Response(self.represent(row))

    def patch(self, request: Request, pk: int) -> Response:
        """Fields left out keep their values."""
        return self.put(request, pk)

    def delete(self, request: Request, pk: int) -> Response:
        with service_errors():
            self.remove(self.row(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary="List your medication courses"),
    post=extend_schema(summary="Add a medication course"),
)
class CourseListApi(JournalListApi):
    """A medicine you take, from its start date, with the regimen as the prescriber wrote it."""

    input_serializer = CourseInputSerializer
    output_serializer = CourseOutputSerializer

    def rows(self) -> QuerySet[MedicationCourse]:
        return selectors.course_list(patient=self.patient)

    def create(self, values: dict[str, Any]) -> MedicationCourse:
        return services.course_create(patient=self.patient, data=services.CourseInput(**values))


@extend_schema_view(
    get=extend_schema(summary="Get a course"),
    put=extend_schema(summary="Replace a course"),
    patch=extend_schema(summary="Correct some fields of a course"),
    delete=extend_schema(summary="Delete a course added by mistake (only one with no doses)"),
)
class CourseDetailApi(JournalDetailApi):
    """One of your courses. One with recorded doses can't be deleted: give it a stop date."""

    input_serializer = CourseInputSerializer
    output_serializer = CourseOutputSerializer

    def row(self, pk: int) -> MedicationCourse:
        return self.found(selectors.course_get, pk)

    def update(self, row: MedicationCourse, values: dict[str, Any]) -> MedicationCourse:
        return services.course_update(course=row, data=services.CourseInput(**values))

    def remove(self, row: MedicationCourse) -> None:
        services.course_delete(course=row)


@extend_schema_view(
    get=extend_schema(summary="List your doses", parameters=FILTERS),
    post=extend_schema(summary="Log a dose taken or given"),
)
class DoseListApi(JournalListApi):
    """A dose that was taken or given: a record of what happened."""

    input_serializer = DoseInputSerializer
    output_serializer = DoseOutputSerializer

    def rows(self) -> QuerySet[DoseEvent]:
        found = self.filters()
        return selectors.dose_list(
            patient=self.patient,
            start=found["start"],
            end=found["end"],
            course_id=found.get("course"),
        )

    def create(self, values: dict[str, Any]) -> DoseEvent:
        return services.dose_create(logged_by=self.patient, **values)


@extend_schema_view(
    get=extend_schema(summary="Get a dose"),
    put=extend_schema(summary="Replace a dose record"),
    patch=extend_schema(summary="Correct some fields of a dose record"),
    delete=extend_schema(summary="Delete a dose record"),
)
class DoseDetailApi(JournalDetailApi):
    """One of your recorded doses."""

    input_serializer = DoseInputSerializer
    output_serializer = DoseOutputSerializer

    def row(self, pk: int) -> DoseEvent:
        return self.found(selectors.dose_get, pk)

    def update(self, row: DoseEvent, values: dict[str, Any]) -> DoseEvent:
        return services.dose_update(dose=row, **values)

    def remove(self, row: DoseEvent) -> None:
        services.dose_delete(dose=row)


class EntryMixin(JournalApi):
    input_serializer = EntryInputSerializer
    output_serializer = EntryOutputSerializer

    def represent(self, row: Any, *, many: bool = False) -> Any:
        # One matcher per request, so a page of entries costs the same queries as one entry.
        courses = list(selectors.course_list(patient=self.patient))
        matcher = selectors.RedFlagMatcher(patient=self.patient, courses=courses)
        if many:
            rows = list(row)
            # The doses around the page, read once: those suggested for its entries, and
            # those red flags count hours from.
            near = None
            if rows:
                reach = max(selectors.SUGGESTION_WINDOW, matcher.longest_window)
                onsets = [entry.onset_at for entry in rows]
                near = selectors.doses_near(
                    patient=self.patient, onsets=onsets, before=reach, courses=courses
                )
            selectors.relations_fill(
                patient=self.patient, entries=rows, courses=courses, suggest=True, near=near
            )
            matcher.expect(rows, near=near)
            row = rows
        context = {"red_flag_matcher": matcher}
        return self.output_serializer(row, many=many, context=context).data

    def entry_input(
        self, values: dict[str, Any], current: SymptomEntry | None = None
    ) -> tuple[services.EntryInput, Any]:
        dose = values.pop("dose", services.SUGGESTED)
        values["danger_signs"] = tuple(values.get("danger_signs") or ())
        if "matched_side_effect" not in self.request.data:
            keep = (
                self.request.method == "PATCH"
                and current is not None
                and current.match_set_by_patient
                and values["other_symptom"].strip() == current.other_symptom
            )
            values["matched_side_effect"] = (
                current.matched_side_effect if keep and current else services.READ_FROM_WORDS
            )
        return services.EntryInput(**values), dose


@extend_schema_view(
    get=extend_schema(
        summary="List your symptom entries",
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "side_effect",
                {"type": "string", "pattern": "^[-a-zA-Z0-9_]*$", "maxLength": 100},
                description="A symptom slug.",
            ),
        ],
    ),
    post=extend_schema(
        summary="Log a symptom",
        description="If the answer's `red_flags` is not empty, show it first: it says who "
        "to contact and how soon.",
    ),
)
class EntryListApi(EntryMixin, JournalListApi):
    """A symptom: what it was, when, how bad, and the dose it followed."""

    def rows(self) -> QuerySet[SymptomEntry]:
        found = self.filters(by_side_effect=True)
        return selectors.entry_list(
            patient=self.patient,
            start=found["start"],
            end=found["end"],
            side_effect_slug=found.get("side_effect"),
            course_id=found.get("course"),
        )

    def create(self, values: dict[str, Any]) -> SymptomEntry:
        data, dose = self.entry_input(values)
        entry = services.symptom_entry_create(
            patient=self.patient, logged_by=self.patient, data=data, dose=dose
        )
        return entry


@extend_schema_view(
    get=extend_schema(summary="Get a symptom entry"),
    put=extend_schema(summary="Replace a symptom entry (the old version stays in its history)"),
    patch=extend_schema(summary="Correct some fields of an entry (the old version is kept)"),
    delete=extend_schema(summary="Delete a symptom entry"),
)
class EntryDetailApi(EntryMixin, JournalDetailApi):
    """One of your symptom entries. A change keeps the earlier version in its history."""

    def row(self, pk: int) -> SymptomEntry:
        return self.found(selectors.entry_get, pk)

    def update(self, row: SymptomEntry, values: dict[str, Any]) -> SymptomEntry:
        data, dose = self.entry_input(values, current=row)
        return services.symptom_entry_update(entry=row, data=data, dose=dose)

    def remove(self, row: SymptomEntry) -> None:
        services.symptom_entry_delete(entry=row)
