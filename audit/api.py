"""The audit API: who saw or changed what of your data, the rows of "Who saw my data"."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi
from audit.models import AuditAction, AuditEvent
from audit.services import audit_list


class AuditEventOutputSerializer(serializers.ModelSerializer[AuditEvent]):
    actor = serializers.CharField(
        source="actor_label",
        read_only=True,
        help_text="Who: their name and role, or the share link's recipient.",
    )
    # A string, not an enum: RedFlag's `action` already names an enum "Action" in the schema.
    action = serializers.CharField(
        read_only=True,
        help_text="What happened, as a code: " + ", ".join(f"`{code}`" for code in AuditAction),
    )
    action_label = serializers.CharField(
        source="get_action_display", read_only=True, help_text="What, in words."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "action_label",
            "target",
            "ip_address",
            "outcome",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "created_at": {"help_text": "When, in your time zone."},
            "target": {"help_text": "Which of your data, e.g. the report's period."},
            "ip_address": {"help_text": "The internet address the request came from."},
        }


@extend_schema_view(
    get=extend_schema(
        summary="Who saw or changed your data",
        tags=["audit"],
        description="Every open and download of what you shared, every share and access "
        "given or ended, what caregivers did for you and downloads of all your data; "
        "newest first, 50 to a page. `outcome` is `refused` when someone was turned away.",
        responses={
            200: AuditEventOutputSerializer(many=True),
            404: OpenApiResponse(description="Only patients have a log: no journal here."),
        },
    )
)
class AuditListApi(PatientApi):
    """Your audit log. Rows are only ever added: none can be changed or deleted."""

    http_method_names = ["get", "head", "options"]
    serializer_class = AuditEventOutputSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_list(patient_id=self.patient.pk)

    def get(self, request: Request) -> Response:
        """Newest first, 50 to a page."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
