"""Read-only API of the reference library: published content, open to anyone."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reference import selectors
from reference.models import DangerSign, Drug, DrugSideEffect, RedFlag, SideEffect


class SideEffectSerializer(serializers.ModelSerializer[SideEffect]):
    class Meta:
        model = SideEffect
        fields = ["name", "slug", "category", "description", "typical_course", "self_care"]


class DangerSignSerializer(serializers.ModelSerializer[DangerSign]):
    class Meta:
        model = DangerSign
        fields = ["slug", "label"]


class SideEffectDetailSerializer(SideEffectSerializer):
    """A side effect with the words people use for it and the signs that make it urgent."""

    synonyms = serializers.ListField(
        source="synonym_list", child=serializers.CharField(), read_only=True
    )
    danger_signs = DangerSignSerializer(many=True, read_only=True)

    class Meta(SideEffectSerializer.Meta):
        fields = [*SideEffectSerializer.Meta.fields, "synonyms", "danger_signs"]


class DrugSerializer(serializers.ModelSerializer[Drug]):
    brand_names = serializers.ListField(
        source="brand_name_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Drug
        fields = [
            "name",
            "slug",
            "brand_names",
            "drug_class",
            "mechanism",
            "treats",
            "routes",
            "rxnorm_code",
            "atc_code",
            "summary",
        ]


class DrugSideEffectSerializer(serializers.ModelSerializer[DrugSideEffect]):
    side_effect = serializers.SlugRelatedField[SideEffect](slug_field="slug", read_only=True)
    name = serializers.CharField(source="side_effect.name", read_only=True)
    category = serializers.CharField(source="side_effect.category", read_only=True)

    class Meta:
        model = DrugSideEffect
        fields = ["side_effect", "name", "category", "frequency", "label_percent", "notes"]


class RedFlagSerializer(serializers.ModelSerializer[RedFlag]):
    # Null: a rule on any symptom (at its minimum severity), or on every drug.
    side_effect = serializers.SlugRelatedField[SideEffect](
        slug_field="slug", read_only=True, allow_null=True
    )
    drug = serializers.SlugRelatedField[Drug](slug_field="slug", read_only=True, allow_null=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    danger_signs = serializers.SlugRelatedField[DangerSign](
        slug_field="slug", many=True, read_only=True
    )
    guidance = serializers.SerializerMethodField(
        help_text="Who to contact and how; with “your local emergency number” where a "
        "patient reads their own country's."
    )

    class Meta:
        model = RedFlag
        fields = [
            "side_effect",
            "drug",
            "min_severity",
            "danger_signs",
            "within_hours_of_dose",
            "action",
            "action_label",
            "signs",
            "guidance",
            "sources",
        ]

    def get_guidance(self, flag: RedFlag) -> str:
        return flag.guidance_for(None)


class DrugDetailSerializer(DrugSerializer):
    """A drug with its published side effects and the red flags that apply to it."""

    side_effects = DrugSideEffectSerializer(many=True, read_only=True)
    red_flags = RedFlagSerializer(many=True, read_only=True)

    class Meta(DrugSerializer.Meta):
        fields = [*DrugSerializer.Meta.fields, "side_effects", "red_flags"]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        page: selectors.DrugPage = instance
        return {
            **DrugSerializer(page.drug).data,
            "side_effects": DrugSideEffectSerializer(page.links, many=True).data,
            "red_flags": RedFlagSerializer(page.red_flags, many=True).data,
        }


NO_SUCH_PAGE = OpenApiResponse(description="No such page.")


@extend_schema_view(
    get=extend_schema(responses={200: DrugSerializer(many=True), 404: NO_SUCH_PAGE})
)
class DrugListApi(ListAPIView[Drug]):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = DrugSerializer

    def get_queryset(self) -> Any:
        return selectors.drug_list()


class DrugDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={
            200: DrugDetailSerializer,
            404: OpenApiResponse(description="No published drug has this slug."),
        }
    )
    def get(self, request: Request, slug: str) -> Response:
        page = selectors.drug_page(slug=slug)
        return Response(DrugDetailSerializer(page).data)  # type: ignore[arg-type]


@extend_schema_view(
    get=extend_schema(responses={200: SideEffectSerializer(many=True), 404: NO_SUCH_PAGE})
)
class SideEffectListApi(ListAPIView[SideEffect]):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = SideEffectSerializer

    def get_queryset(self) -> Any:
        return selectors.side_effect_list()


class SideEffectDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={
            200: SideEffectDetailSerializer,
            404: OpenApiResponse(description="No published side effect has this slug."),
        }
    )
    def get(self, request: Request, slug: str) -> Response:
        page = selectors.side_effect_page(slug=slug)
        return Response(SideEffectDetailSerializer(page.side_effect).data)
