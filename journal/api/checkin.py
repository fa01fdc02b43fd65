"""`/api/v1/doses/<id>/check-in/`: a ketamine or esketamine dose's check-in steps, and one
step recorded. Times and windows are `journal.checkin`'s; the rules are the service's."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi, service_errors
from journal import checkin, selectors, services
from journal.api.serializers import (
    EntryOutputSerializer,
    FlagField,
    SymptomField,
    WholeNumberField,
)
from journal.api.views import BAD_INPUT, NOT_FOUND
from journal.models import CheckInRating, DoseEvent

# Every symptom a step may rate at once, and then some.
MAX_RATINGS = 30


class CheckInRatingInputSerializer(serializers.Serializer[Any]):
    side_effect = SymptomField(help_text="A slug from /api/v1/side-effects/, e.g. `dizziness`.")
    severity = WholeNumberField(
        min_value=0,
        max_value=4,
        help_text="Now: 0 None, 1 Mild, 2 Moderate, 3 Severe, 4 Very severe.",
    )
    interference = WholeNumberField(
        min_value=0,
        max_value=4,
        allow_null=True,
        default=None,
        help_text="With daily activities, 0 Not at all to 4 Very much; null or left out if "
        "not said.",
    )
    gone = FlagField(default=False, help_text="Gone now: records this moment as its end.")


class CheckInStepInputSerializer(serializers.Serializer[Any]):
    point = serializers.ChoiceField(choices=CheckInRating.Point.choices)
    ratings = serializers.ListField(
        child=CheckInRatingInputSerializer(), min_length=1, max_length=MAX_RATINGS
    )


class CheckInRatingOutputSerializer(serializers.Serializer[Any]):
    side_effect = serializers.CharField(source="side_effect.slug", help_text="A symptom slug.")
    severity = serializers.IntegerField(min_value=0, max_value=4)
    interference = serializers.IntegerField(min_value=0, max_value=4, allow_null=True)
    gone = serializers.BooleanField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class CheckInStepOutputSerializer(serializers.Serializer[Any]):
    point = serializers.ChoiceField(choices=CheckInRating.Point.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    due_at = serializers.DateTimeField(help_text="When the step opens.")
    due_until = serializers.DateTimeField(help_text="Not done by then, the step is late.")
    status = serializers.ChoiceField(choices=[(value, value) for value in checkin.STATUSES])
    optional = serializers.BooleanField(help_text="The patient adds it if they wish.")
    recorded_late = serializers.BooleanField(help_text="Rated after its window closed.")
    ratings = CheckInRatingOutputSerializer(many=True)


class CheckInStepRecordedSerializer(serializers.Serializer[Any]):
    step = CheckInStepOutputSerializer()
    entries = EntryOutputSerializer(
        many=True,
        help_text="The entries of the symptoms rated, each with its `red_flags`: show the "
        "most urgent first.",
    )


@extend_schema_view(
    get=extend_schema(
        summary="A dose's check-in steps",
        tags=["doses"],
        description="Ketamine and esketamine doses only (404 for others). Each step's time "
        "and status: upcoming, due, late (not done after its window) or done.",
        responses={200: CheckInStepOutputSerializer(many=True), 404: NOT_FOUND},
    ),
    post=extend_schema(
        summary="Record one check-in step",
        tags=["doses"],
        description="A step not yet due is refused with 400 saying when it opens. A late "
        "step is recorded and marked `recorded_late`. Rating a step again replaces it.",
        request=CheckInStepInputSerializer,
        responses={201: CheckInStepRecordedSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class DoseCheckInApi(PatientApi):
    """The post-dose check-in of one of your ketamine or esketamine doses."""

    serializer_class = CheckInStepInputSerializer
    pagination_class = None

    def dose(self, pk: int) -> DoseEvent:
        dose: DoseEvent = self.found(selectors.dose_get, pk)
        if not dose.offers_checkin:
            raise NotFound("The check-in is for ketamine and esketamine sessions.")
        return dose

    def get(self, request: Request, pk: int) -> Response:
        steps = selectors.checkin_steps(dose=self.dose(pk), now=timezone.now())
        return Response(CheckInStepOutputSerializer(steps, many=True).data)

    def post(self, request: Request, pk: int) -> Response:
        dose = self.dose(pk)
        serializer = CheckInStepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = serializer.validated_data["point"]
        ratings = [services.StepRating(**values) for values in serializer.validated_data["ratings"]]
        with service_errors():
            entries = services.checkin_step_record(
                dose=dose, point=point, ratings=ratings, logged_by=self.patient, request=request
            )
        now = timezone.now()
        step = next(s for s in selectors.checkin_steps(dose=dose, now=now) if s.point == point)
        matcher = selectors.RedFlagMatcher(patient=self.patient)
        matcher.expect(entries)
        answer = {
            "step": CheckInStepOutputSerializer(step).data,
            "entries": EntryOutputSerializer(
                entries, many=True, context={"red_flag_matcher": matcher}
            ).data,
        }
        return Response(answer, status=status.HTTP_201_CREATED)
