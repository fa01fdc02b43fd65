"""The questionnaires API: the forms, and the patient's responses to each."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import PatientApi, service_errors
from journal.api.serializers import RedFlagOutputSerializer, red_flag_data
from journal.models import DoseEvent
from journal.services import SUGGESTED
from questionnaires import selectors, services
from questionnaires.instruments import FORMS, RECALL_QUESTIONS, Form
from questionnaires.models import Instrument, QuestionnaireResponse
from reference.selectors import library_copy

NO_JOURNAL = OpenApiResponse(description="Only patients fill in questionnaires: no journal here.")
NO_FORM = OpenApiResponse(description="There is no questionnaire with that slug.")
SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, enum=Instrument.values, description="The questionnaire."
)
RATING = {"type": "integer", "minimum": 0, "maximum": 4}
ANSWER = {
    "oneOf": [
        {"type": "integer", "minimum": 0, "maximum": 3},
        {
            "type": "object",
            "properties": {
                "side_effect": {"type": "string"},
                "frequency": RATING,
                "severity": RATING,
                "interference": RATING,
            },
            "required": ["side_effect", "frequency", "severity", "interference"],
        },
    ]
}


# Fields named like DRF's own Field attributes (`label`, `source`): the answer's key names
# are the API's, and mypy sees only the clash with the attribute.
class OptionSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]


class ItemSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()
    loinc = serializers.CharField(help_text="The item's LOINC code; empty for Sidelog's own.")


class BandSerializer(serializers.Serializer[Any]):
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]


class RecallQuestionSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    question = serializers.CharField()
    options = OptionSerializer(many=True)


class SymptomSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()


class FormSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(help_text="phq-9, gad-7 or weekly-recall.")
    name = serializers.CharField()
    title = serializers.CharField()
    stem = serializers.CharField(help_text="The question every item answers.")
    items = ItemSerializer(many=True, help_text="Answer each with one of `options`' values.")
    options = OptionSerializer(many=True)
    difficulty = ItemSerializer(allow_null=True, help_text="An optional last question.")
    difficulty_options = OptionSerializer(many=True)
    bands = BandSerializer(many=True, help_text="Severity by total score; none for the recall.")
    source = serializers.CharField()  # type: ignore[assignment]
    copyright = serializers.CharField()
    panel_loinc = serializers.CharField()
    total_loinc = serializers.CharField()
    symptoms = SymptomSerializer(
        many=True, help_text="The weekly recall's symptoms: yours (empty for the others)."
    )
    recall_questions = RecallQuestionSerializer(many=True)


def form_data(form: Form, *, patient: User) -> dict[str, Any]:
    recall = form.slug == Instrument.WEEKLY_RECALL
    symptoms = selectors.recall_symptoms(patient=patient) if recall else []
    questions = [
        {
            "field": field,
            "question": question,
            "options": [{"value": value, "label": label} for value, label in enumerate(labels)],
        }
        for field, question, labels in (RECALL_QUESTIONS if recall else ())
    ]
    return {
        **{name: getattr(form, name) for name in ("slug", "name", "title", "stem", "source")},
        **{name: getattr(form, name) for name in ("copyright", "panel_loinc", "total_loinc")},
        "items": [vars(item) for item in form.items],
        "options": [{"value": o.value, "label": o.label} for o in form.options],
        "difficulty": vars(form.difficulty) if form.difficulty else None,
        "difficulty_options": [
            {"value": o.value, "label": o.label} for o in form.difficulty_options
        ],
        "bands": [vars(band) for band in form.bands],
        "symptoms": [{"slug": s.slug, "name": s.name} for s in symptoms],
        "recall_questions": questions,
    }


@extend_schema_field({"type": "array", "items": ANSWER, "minItems": 1})
class AnswersField(serializers.ListField):
    """The PHQ-9's 9 or the GAD-7's 7 answers, 0 to 3 in order; or, for the weekly recall,
    one object per symptom (its slug and three ratings from 0 to 4)."""

    child = serializers.JSONField()


class ResponseInputSerializer(serializers.Serializer[Any]):
    answers = AnswersField()
    completed_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    difficulty = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=3, help_text="PHQ-9 only."
    )
    dose = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The session it was filled in for; left out, your latest ketamine or "
        "esketamine dose in the 24 hours before; null for none.",
    )


class ResponseOutputSerializer(serializers.ModelSerializer[QuestionnaireResponse]):
    answers = serializers.SerializerMethodField()
    dose = serializers.IntegerField(source="dose_id", read_only=True, allow_null=True)
    logged_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    red_flags = serializers.SerializerMethodField(
        help_text="Who to contact and how soon, the most urgent first: the PHQ-9's ninth item "
        "above 0 raises the suicidal-thoughts red flag with your country's numbers."
    )

    class Meta:
        model = QuestionnaireResponse
        fields = ["id", "instrument", "answers", "difficulty", "score", "band", "completed_at"]
        fields += ["dose", "logged_by", "created_at", "red_flags"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": ANSWER})
    def get_answers(self, response: QuestionnaireResponse) -> Any:
        if response.instrument != Instrument.WEEKLY_RECALL:
            return response.answers
        by_id = library_copy().side_effects_by_id
        return [
            {**answer, "side_effect": getattr(by_id.get(answer["side_effect"]), "slug", "")}
            for answer in response.answers
        ]

    @extend_schema_field(RedFlagOutputSerializer(many=True))
    def get_red_flags(self, response: QuestionnaireResponse) -> Any:
        country: str = self.context["country"]
        return [red_flag_data(flag, country) for flag in selectors.red_flags_of(response)]


@extend_schema_view(
    get=extend_schema(
        summary="The questionnaires",
        tags=["questionnaires"],
        description="The PHQ-9 and GAD-7 with their published wording, answer options, "
        "scoring bands, source and copyright notice, and the weekly recall of your usual "
        "symptoms.",
        responses={200: FormSerializer(many=True), 404: NO_JOURNAL},
    )
)
class QuestionnaireListApi(PatientApi):
    http_method_names = ["get", "head", "options"]
    serializer_class = FormSerializer
    pagination_class = None

    def get(self, request: Request) -> Response:
        return Response([form_data(form, patient=self.patient) for form in FORMS.values()])


@extend_schema_view(
    get=extend_schema(
        summary="Your responses to a questionnaire",
        tags=["questionnaires"],
        description="The latest first, 50 to a page.",
        parameters=[SLUG],
        responses={200: ResponseOutputSerializer(many=True), 404: NO_FORM},
    ),
    post=extend_schema(
        summary="Fill in a questionnaire",
        tags=["questionnaires"],
        description="Answers are checked, scored and banded at once; a wrong number of "
        "answers or one out of range is a 400 and nothing is saved.",
        request=ResponseInputSerializer,
        parameters=[SLUG],
        responses={201: ResponseOutputSerializer, 400: None, 404: NO_FORM},
    ),
)
class QuestionnaireResponseListApi(PatientApi):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ResponseOutputSerializer

    def form(self, slug: str) -> Form:
        if slug not in FORMS:
            raise NotFound("There is no such questionnaire.")
        return FORMS[slug]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "country": selectors.country_of(self.patient)}

    def get_queryset(self) -> QuerySet[QuestionnaireResponse]:
        return selectors.response_list(patient=self.patient, instrument=self.kwargs["slug"])

    def get(self, request: Request, slug: str) -> Response:
        self.form(slug)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        form = self.form(slug)
        given = ResponseInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        answers = values["answers"]
        if form.slug == Instrument.WEEKLY_RECALL:
            answers = self.recall_by_id(answers)
        with service_errors():
            response = services.questionnaire_response_create(
                patient=self.patient,
                logged_by=self.patient,
                instrument=form.slug,
                answers=answers,
                completed_at=values.get("completed_at"),
                difficulty=values.get("difficulty"),
                dose=self.dose(values),
            )
        return Response(self.get_serializer(response).data, status=201)

    def dose(self, values: dict[str, Any]) -> DoseEvent | object | None:
        if "dose" not in values:
            return SUGGESTED
        if values["dose"] is None:
            return None
        dose = DoseEvent.objects.filter(course__patient=self.patient, pk=values["dose"]).first()
        if dose is None:
            raise ValidationError({"dose": ["That dose is not in your journal."]})
        return dose

    def recall_by_id(self, answers: list[Any]) -> list[Any]:
        """The recall's symptoms given by slug, as the service takes them: by id."""
        by_slug = library_copy().side_effects
        converted = []
        for answer in answers:
            slug = answer.get("side_effect") if isinstance(answer, dict) else None
            if not isinstance(slug, str) or slug not in by_slug:
                raise ValidationError({"answers": ["Name each symptom by its library slug."]})
            converted.append({**answer, "side_effect": by_slug[slug].pk})
        return converted
