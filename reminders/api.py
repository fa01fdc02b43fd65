"""The reminders API: your reminder settings, and your pending and sent reminders."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi, service_errors
from reminders.models import Reminder, ReminderSettings, ShownStatus
from reminders.selectors import reminder_settings_of, reminders_listed
from reminders.services import reminder_settings_update

NO_JOURNAL = OpenApiResponse(description="Only patients have reminders: no journal here.")
TIME_OF_DAY = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "20:00"}


@extend_schema_field(TIME_OF_DAY)
class TimeOfDayField(serializers.TimeField):
    """A time of day as "HH:MM", in the patient's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


@extend_schema_field({**TIME_OF_DAY, "nullable": True})
class OptionalTimeOfDayField(TimeOfDayField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, default=None, **kwargs)


class ReminderSettingsSerializer(serializers.ModelSerializer[ReminderSettings]):
    daily_at = TimeOfDayField(
        required=False, default=time(20, 0), help_text='"HH:MM" in your time zone.'
    )
    quiet_start = OptionalTimeOfDayField(help_text='Quiet hours\' start, "HH:MM", or null.')
    quiet_end = OptionalTimeOfDayField(help_text='Quiet hours\' end, "HH:MM", or null.')

    class Meta:
        model = ReminderSettings
        fields = ["checkin_reminders", "daily_reminder", "daily_at", "quiet_start", "quiet_end"]
        extra_kwargs = {
            "checkin_reminders": {"required": False},
            "daily_reminder": {"required": False},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("quiet_start"), attrs.get("quiet_end")
        if (start is None) != (end is None):
            raise serializers.ValidationError(
                {
                    "quiet_end" if end is None else "quiet_start": "Give both ends of quiet hours, "
                    "or neither."
                }
            )
        if start is not None and start == end:
            raise serializers.ValidationError(
                {"quiet_end": "Quiet hours must end at another time than they start."}
            )
        return attrs


class ReminderOutputSerializer(serializers.ModelSerializer[Reminder]):
    status = serializers.ChoiceField(
        source="shown_status",
        choices=ShownStatus.choices,
        read_only=True,
        help_text="`pending` until it is sent.",
    )

    class Meta:
        model = Reminder
        fields = ["id", "kind", "due_at", "status", "sent_at", "dose", "point"]
        read_only_fields = fields


@extend_schema_view(
    get=extend_schema(
        summary="Your reminder settings",
        tags=["reminders"],
        responses={200: ReminderSettingsSerializer, 404: NO_JOURNAL},
    ),
    put=extend_schema(
        summary="Change your reminder settings",
        tags=["reminders"],
        description="Check-in reminders after ketamine and esketamine sessions, a daily "
        "journal reminder at `daily_at`, and quiet hours (`quiet_start` to `quiet_end`, both "
        "or neither), all in your time zone. Fields left out are off or empty.",
        request=ReminderSettingsSerializer,
        responses={200: ReminderSettingsSerializer, 400: None, 404: NO_JOURNAL},
    ),
)
class ReminderSettingsApi(PatientApi):
    http_method_names = ["get", "put", "head", "options"]
    serializer_class = ReminderSettingsSerializer

    def get_object(self) -> ReminderSettings:
        return reminder_settings_of(self.patient)

    def get(self, request: Request) -> Response:
        return Response(ReminderSettingsSerializer(self.get_object()).data)

    def put(self, request: Request) -> Response:
        serializer = ReminderSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            saved = reminder_settings_update(
                patient=self.patient,
                checkin_reminders=data.get("checkin_reminders", False),
                daily_reminder=data.get("daily_reminder", False),
                daily_at=data.get("daily_at") or time(20, 0),
                quiet_start=data.get("quiet_start"),
                quiet_end=data.get("quiet_end"),
            )
        return Response(ReminderSettingsSerializer(saved).data)


@extend_schema_view(
    get=extend_schema(
        summary="Your reminders",
        tags=["reminders"],
        description="Pending and sent reminders, the latest due first, 50 to a page.",
        responses={200: ReminderOutputSerializer(many=True), 404: NO_JOURNAL},
    )
)
class ReminderListApi(PatientApi):
    http_method_names = ["get", "head", "options"]
    serializer_class = ReminderOutputSerializer

    def get_queryset(self) -> QuerySet[Reminder]:
        return reminders_listed(patient=self.patient)

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
