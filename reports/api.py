"""The reports API: ask for a report (202), follow its progress, download its files."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import service_errors
from accounts.serializers import TextField
from accounts.text_limits import REPORT_NAME
from journal import selectors
from journal.api.serializers import MAX_ID, FlagField, WholeNumberField
from journal.api.views import NOT_FOUND, JournalDetailApi, JournalListApi
from journal.models import MedicationCourse
from reports import changes, services
from reports import selectors as report_selectors
from reports.downloads import report_file_response
from reports.models import Report

# The route's `[0-9]+` reads as a string pattern; it is the report's id, as on the other routes.
FILE_PARAMETERS = [
    OpenApiParameter("id", int, OpenApiParameter.PATH),
    OpenApiParameter(
        "kind",
        str,
        OpenApiParameter.PATH,
        enum=["pdf", "csv", "fhir"],
        description="pdf, csv or fhir (an R4 document Bundle).",
    ),
]
FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiTypes.BINARY,
    (200, "text/csv"): OpenApiTypes.STR,
    (200, "application/fhir+json"): OpenApiTypes.OBJECT,
}


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before asking again.",
)


class ReportLimitReachedError(APIException):
    """429 with `Retry-After`: DRF's exception handler sends the header for `wait`."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "report_limit"

    def __init__(self, refusal: services.ReportLimitReached) -> None:
        super().__init__(detail=" ".join(refusal.messages))
        self.wait = refusal.retry_after


class ReportInputSerializer(serializers.Serializer[Any]):
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Included.")
    courses = serializers.ListField(
        child=WholeNumberField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        help_text="The course ids to include. An empty list means all of your medicines.",
    )
    include_notes = FlagField(default=False)
    paper_size = serializers.ChoiceField(choices=Report.PaperSize.choices, default="A4")
    name = TextField(
        max_length=REPORT_NAME,
        allow_blank=True,
        default="",
        help_text="What you call the report, e.g. `Before the March review`; empty: its period.",
    )

    def validate_courses(self, ids: list[int]) -> list[MedicationCourse]:
        courses = list(selectors.course_list(patient=self.context["patient"]).filter(pk__in=ids))
        if len(courses) != len(set(ids)):
            raise serializers.ValidationError("Not found.")
        return courses


class ReportNameSerializer(serializers.Serializer[Any]):
    name = TextField(
        max_length=REPORT_NAME,
        allow_blank=True,
        help_text="What you call the report, e.g. `Before the March review`; empty: its period.",
    )


class ReportOutputSerializer(serializers.ModelSerializer[Report]):
    courses = serializers.PrimaryKeyRelatedField[MedicationCourse](many=True, read_only=True)
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "name",
            "status",
            "progress",
            "error",
            "period_start",
            "period_end",
            "courses",
            "include_notes",
            "paper_size",
            "created_at",
            "finished_at",
            "downloads",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_downloads(self, report: Report) -> dict[str, str]:
        """Links to the PDF, CSV and FHIR files once the report is ready."""
        if report.status != Report.Status.READY:
            return {}
        return {
            kind: reverse("reports-api:report-file", args=[report.pk, kind])
            for kind in ("pdf", "csv", "fhir")
        }


@extend_schema_view(
    get=extend_schema(summary="List your reports"),
    post=extend_schema(
        summary="Ask for a report",
        description="Answers 202 at once with the report's id and status; it is built in "
        "the background. Follow its progress at /api/v1/reports/{id}/. A journal gets a "
        "few reports an hour and a day, and a new one once none of its reports is queued "
        "or building: past that, 429 with `Retry-After`.",
        parameters=[RETRY_AFTER],
        responses={
            202: ReportOutputSerializer,
            400: OpenApiResponse(description="Field errors."),
            404: NOT_FOUND,
            429: OpenApiResponse(
                description="Too many reports lately, or one still being built: `detail` "
                "says which and when to ask again."
            ),
        },
    ),
)
class ReportListApi(JournalListApi):
    input_serializer = ReportInputSerializer
    output_serializer = ReportOutputSerializer

    def rows(self) -> Any:
        return report_selectors.report_list(patient=self.patient).prefetch_related("courses")

    def post(self, request: Request) -> Response:
        values = self.validated()
        with service_errors():
            try:
                report = services.report_request(
                    patient=self.patient,
                    requested_by=cast(User, request.user),
                    today=timezone.localdate(),
                    **values,
                )
            except services.ReportLimitReached as refusal:
                raise ReportLimitReachedError(refusal) from None
        report.refresh_from_db()
        return Response(self.represent(report), status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    get=extend_schema(summary="A report's status, progress and downloads"),
    patch=extend_schema(summary="Name a report"),
    delete=extend_schema(
        summary="Delete a report",
        description="Deletes the report and its files, revokes its share links and ends a "
        "provider's access that was to this report alone.",
    ),
)
class ReportDetailApi(JournalDetailApi):
    http_method_names = ["get", "patch", "delete", "head", "options"]
    input_serializer = ReportNameSerializer
    output_serializer = ReportOutputSerializer

    def row(self, pk: int) -> Report:
        return self.found(report_selectors.report_get, pk)

    def update(self, row: Report, values: dict[str, Any]) -> Report:
        return changes.report_rename(
            report=row, name=values["name"], renamed_by=cast(User, self.request.user)
        )

    def remove(self, row: Report) -> None:
        changes.report_delete(report=row, deleted_by=cast(User, self.request.user))


class ReportFileApi(JournalDetailApi):
    """A ready report's PDF, CSV or FHIR R4 document Bundle."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Download a ready report",
        operation_id="v1_reports_file_retrieve",
        parameters=FILE_PARAMETERS,
        responses={**FILE_RESPONSES, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, kind: str = "pdf") -> FileResponse:  # type: ignore[override]
        report = self.found(report_selectors.report_get, pk)
        try:
            return report_file_response(report, kind)
        except Http404 as error:
            raise NotFound(str(error)) from None
