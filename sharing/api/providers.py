"""The provider API: the reports patients shared with the signed-in provider, and nothing else.

Every request checks the grants afresh, so a revocation takes effect on the next call.
Anyone who is not a provider, and any report not shared with this one, gets the same 404.
Reading a report or downloading one of its files is written to the patient's audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import SignedInSchema, refuse_unsupported_method
from accounts.selectors import is_provider, person_name
from reports.api import FILE_PARAMETERS, FILE_RESPONSES
from reports.content import ReportContent, stored_content
from reports.downloads import report_file_response
from reports.models import Report
from sharing import selectors as sharing
from sharing.selectors import NOTHING_SHARED
from sharing.services import provider_report_read

FILE_KINDS = ("pdf", "csv", "fhir")
NOT_SHARED = OpenApiResponse(description=f"“{NOTHING_SHARED}” Not a provider, or not shared.")
TAGS = ["provider"]


class SharedReportSerializer(serializers.ModelSerializer[Report]):
    patient = serializers.SerializerMethodField(help_text="The patient's name as they give it.")
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "patient", "period_start", "period_end", "finished_at", "downloads"]

    def get_patient(self, report: Report) -> str:
        return person_name(report.patient)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_downloads(self, report: Report) -> dict[str, str]:
        """Links to the PDF, CSV and FHIR files."""
        return {
            kind: reverse("sharing-api:provider-report-file", args=[report.pk, kind])
            for kind in FILE_KINDS
        }


class SharedCourseSerializer(serializers.Serializer[Any]):
    drug_name = serializers.CharField()
    route_label = serializers.CharField()
    started_on = serializers.DateField()
    stopped_on = serializers.DateField(allow_null=True)
    regimen = serializers.CharField(help_text="As the prescriber wrote it, never interpreted.")
    doses_logged = serializers.IntegerField(help_text="Doses recorded in the period.")


class SharedSymptomSerializer(serializers.Serializer[Any]):
    symptom = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    episodes = serializers.IntegerField()
    days_affected = serializers.IntegerField()
    worst_severity = serializers.IntegerField(help_text="0 (none) to 4 (very severe).")
    worst_severity_label = serializers.CharField()
    median_severity = serializers.FloatField()
    median_interference = serializers.FloatField(help_text="0 (not at all) to 4 (very much).")
    median_minutes_from_dose = serializers.FloatField(allow_null=True)
    median_duration_minutes = serializers.FloatField(allow_null=True)
    share_resolved_within_2h = serializers.FloatField(
        allow_null=True, help_text="0 to 1; dissociative effects only."
    )
    previous_episodes = serializers.IntegerField()
    change = serializers.CharField(help_text="Compared with the previous period, in words.")


class SharedRedFlagEventSerializer(serializers.Serializer[Any]):
    symptom = serializers.CharField()
    onset_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    severity = serializers.IntegerField()
    severity_label = serializers.CharField()
    drug_name = serializers.CharField(allow_null=True, help_text="Of the dose it followed.")
    minutes_after_dose = serializers.IntegerField(allow_null=True)
    red_flag = serializers.CharField(help_text="Who the patient was told to contact.")


class SharedReportDetailSerializer(SharedReportSerializer):
    """The report's status and the summary stored when it was built."""

    courses = serializers.SerializerMethodField()
    symptoms = serializers.SerializerMethodField()
    red_flag_events = serializers.SerializerMethodField()
    footer = serializers.SerializerMethodField()

    class Meta(SharedReportSerializer.Meta):
        fields = [
            *SharedReportSerializer.Meta.fields,
            "status",
            "courses",
            "symptoms",
            "red_flag_events",
            "footer",
        ]

    @property
    def content(self) -> ReportContent | None:
        content: ReportContent | None = self.context["content"]
        return content

    @extend_schema_field(SharedCourseSerializer(many=True))
    def get_courses(self, report: Report) -> Any:
        return SharedCourseSerializer(self.content.courses if self.content else [], many=True).data

    @extend_schema_field(SharedSymptomSerializer(many=True))
    def get_symptoms(self, report: Report) -> Any:
        rows = self.content.symptoms if self.content else []
        return SharedSymptomSerializer(rows, many=True).data

    @extend_schema_field(SharedRedFlagEventSerializer(many=True))
    def get_red_flag_events(self, report: Report) -> Any:
        rows = self.content.red_flag_events if self.content else []
        return SharedRedFlagEventSerializer(rows, many=True).data

    def get_footer(self, report: Report) -> str:
        """What the report is and is not: a record, with no dosing advice."""
        return self.content.footer if self.content else ""


class ProviderApi(GenericAPIView[Report]):
    """Base: the signed-in provider, and the reports shared with them right now."""

    schema = SignedInSchema()
    provider: User

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        refuse_unsupported_method(self, request)
        user = request.user
        if not isinstance(user, User) or not is_provider(user):
            raise NotFound(NOTHING_SHARED)
        self.provider = user

    def get_queryset(self) -> QuerySet[Report]:
        return sharing.provider_report_list(provider=self.provider)

    def shared_report(self, pk: int) -> Report:
        report = self.get_queryset().filter(pk=pk).first()
        if report is None:
            raise NotFound(NOTHING_SHARED)
        return report

    def audit(self, report: Report, what: str) -> None:
        provider_report_read(
            report=report, provider=self.provider, what=what, request=self.request._request
        )


class SharedReportListApi(ProviderApi):
    serializer_class = SharedReportSerializer

    @extend_schema(
        summary="List the reports shared with you",
        description="Ready reports that patients share with you now, newest first, 50 to a page.",
        tags=TAGS,
        responses={200: SharedReportSerializer(many=True), 404: NOT_SHARED},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class SharedReportDetailApi(ProviderApi):
    serializer_class = SharedReportDetailSerializer

    @extend_schema(
        summary="Read a report shared with you",
        description="The summary stored when the report was built. The patient's audit "
        "log records that you read it.",
        tags=TAGS,
        responses={200: SharedReportDetailSerializer, 404: NOT_SHARED},
    )
    def get(self, request: Request, pk: int) -> Response:
        report = self.shared_report(pk)
        content = stored_content(report)
        data = SharedReportDetailSerializer(report, context={"content": content}).data
        self.audit(report, "summary via the API")
        return Response(data)


class SharedReportFileApi(ProviderApi):
    @extend_schema(
        summary="Download a report shared with you",
        description="The patient's audit log records the download.",
        operation_id="v1_provider_reports_file_retrieve",
        tags=TAGS,
        parameters=FILE_PARAMETERS,
        responses={**FILE_RESPONSES, 404: NOT_SHARED},
    )
    def get(self, request: Request, pk: int, kind: str) -> FileResponse:
        report = self.shared_report(pk)
        try:
            response = report_file_response(report, kind)
        except Http404 as error:
            raise NotFound(str(error)) from None
        self.audit(report, kind)
        return response
