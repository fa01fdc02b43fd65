"""Content editors' admin for the reference library. Every change is kept in history."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from reference.models import (
    AdviceClearance,
    DangerSign,
    Drug,
    DrugSideEffect,
    GuardedContent,
    MeasurementRule,
    RedFlag,
    SideEffect,
    dosage_advice_review,
)
from reference.services import advice_clearance_request, is_content_editor


def _editor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class GuardedAdminForm(forms.ModelForm[Any]):
    """A guarded model's admin form: a flagged sentence it refuses is sent to a second
    content editor, who may confirm it is not dosing advice (see `AdviceClearanceAdmin`)."""

    editor: ClassVar[User | None] = None
    """Who is saving; set on the form class the admin builds for each request."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or self.editor is None:
            return
        if not isinstance(self.instance, GuardedContent):
            return
        refused = [name for name in self.instance.guarded_fields if name in self.errors]
        review = dosage_advice_review(self.instance, refused)
        for name, sentences in review.uncleared.items():
            advice_clearance_request(sentences=sentences, requested_by=self.editor)
            self.add_error(
                name,
                "Sent to a second content editor, who can confirm under “Advice clearances” "
                "that it is not dosing advice; save again once they have.",
            )


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    form = GuardedAdminForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form: type[forms.ModelForm[Any]] = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, GuardedAdminForm):
            form.editor = _editor(request)  # a class made for this request alone
        return form


class DrugSideEffectInline(admin.TabularInline[DrugSideEffect, Drug]):
    model = DrugSideEffect
    form = GuardedAdminForm
    extra = 0
    autocomplete_fields = ["side_effect"]
    fields = ["side_effect", "frequency", "label_percent", "notes"]

    def get_formset(self, request: HttpRequest, obj: Drug | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset.form, GuardedAdminForm):
            formset.form.editor = _editor(request)  # a class made for this request alone
        return formset


@admin.register(Drug)
class DrugAdmin(GuardedHistoryAdmin):
    list_display = ["name", "drug_class", "atc_code", "rxnorm_code", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["name", "brand_names", "drug_class", "summary"]
    readonly_fields = ["updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DrugSideEffectInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "brand_names", "is_published"]}),
        ("What it is", {"fields": ["drug_class", "mechanism", "treats", "routes", "summary"]}),
        ("Codes (only where verified)", {"fields": ["atc_code", "rxnorm_code"]}),
        ("Record", {"fields": ["updated_at"]}),
    ]


class DangerSignInline(admin.StackedInline[DangerSign, SideEffect]):
    model = DangerSign
    form = GuardedAdminForm
    extra = 0
    fields = ["position", "label", "slug"]

    def get_formset(
        self, request: HttpRequest, obj: SideEffect | None = None, **kwargs: Any
    ) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset.form, GuardedAdminForm):
            formset.form.editor = _editor(request)  # a class made for this request alone
        return formset

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Entries keep the slugs they ticked: a saved slug never changes.
        return ["slug"] if obj is not None and obj.danger_signs.exists() else []


@admin.register(SideEffect)
class SideEffectAdmin(GuardedHistoryAdmin):
    list_display = ["name", "category", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    search_fields = ["name", "description", "synonyms"]
    readonly_fields = ["updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "category", "description", "typical_course", "self_care"]
    fields += ["synonyms", "is_published", "updated_at"]
    inlines = [DangerSignInline]


@admin.register(DangerSign)
class DangerSignAdmin(GuardedHistoryAdmin):
    list_display = ["label", "side_effect", "slug", "position"]
    list_filter = ["side_effect"]
    list_select_related = ["side_effect"]
    search_fields = ["label", "slug", "side_effect__name"]
    autocomplete_fields = ["side_effect"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["side_effect", "slug"] if obj is not None else []


@admin.register(DrugSideEffect)
class DrugSideEffectAdmin(GuardedHistoryAdmin):
    list_display = ["side_effect", "drug", "frequency", "label_percent"]
    list_filter = ["frequency", "drug", "side_effect__category"]
    list_select_related = ["drug", "side_effect"]
    search_fields = ["drug__name", "side_effect__name", "notes"]
    autocomplete_fields = ["drug", "side_effect"]


class RedFlagAdminForm(GuardedAdminForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        side_effect = cleaned.get("side_effect")
        signs = cleaned.get("danger_signs") or []
        others = [
            sign.label for sign in signs if sign.side_effect_id != getattr(side_effect, "pk", None)
        ]
        if others:
            self.add_error(
                "danger_signs",
                "Choose danger signs of this rule's side effect only: "
                + ", ".join(f"“{label}”" for label in others)
                + " belong to another.",
            )
        return cleaned


@admin.register(RedFlag)
class RedFlagAdmin(GuardedHistoryAdmin):
    form = RedFlagAdminForm
    list_display = ["__str__", "action", "min_severity", "is_published", "updated_at"]
    list_filter = ["action", "is_published", "drug", "side_effect__category"]
    list_select_related = ["drug", "side_effect"]
    search_fields = ["signs", "guidance", "sources", "side_effect__name", "drug__name"]
    autocomplete_fields = ["drug", "side_effect"]
    filter_horizontal = ["danger_signs"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "When it fires",
            {
                "fields": [
                    "side_effect",
                    "drug",
                    "min_severity",
                    "danger_signs",
                    "within_hours_of_dose",
                    "is_published",
                ]
            },
        ),
        ("What the patient is told", {"fields": ["action", "signs", "guidance"]}),
        ("Where it comes from", {"fields": ["sources", "updated_at"]}),
    ]


@admin.register(MeasurementRule)
class MeasurementRuleAdmin(GuardedHistoryAdmin):
    list_display = ["__str__", "kind", "action", "is_published", "updated_at"]
    list_filter = ["kind", "action", "is_published", "drug"]
    list_select_related = ["drug"]
    search_fields = ["signs", "guidance", "sources", "drug__name"]
    autocomplete_fields = ["drug"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "When it fires",
            {
                "fields": [
                    "kind",
                    "drug",
                    "at_or_above",
                    "diastolic_at_or_above",
                    "below",
                    "needs_warning_signs",
                    "within_hours_of_dose",
                    "is_published",
                ]
            },
        ),
        ("What the patient is told", {"fields": ["action", "signs", "guidance"]}),
        ("Where it comes from", {"fields": ["sources", "updated_at"]}),
    ]


class AdviceClearanceConfirmForm(forms.ModelForm[AdviceClearance]):
    """A second content editor confirms that a flagged sentence is not dosing advice."""

    editor: ClassVar[User | None] = None

    class Meta:
        model = AdviceClearance
        fields = ["reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].help_text = (
            "Why this sentence is not dosing advice. Saving confirms it in your name, and "
            "the guard then lets it through."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clearance = self.instance
        if clearance.is_confirmed:
            raise ValidationError("This sentence has already been confirmed.")
        if self.editor is None or not is_content_editor(self.editor):
            raise ValidationError("Only a content editor can confirm a sentence.")
        if self.editor.pk == clearance.requested_by_id:
            raise ValidationError(
                "You asked for this confirmation: a second content editor has to give it."
            )
        return cleaned


@admin.register(AdviceClearance)
class AdviceClearanceAdmin(SimpleHistoryAdmin):
    """Sentences the guard refused, waiting for (or given) a second editor's confirmation."""

    form = AdviceClearanceConfirmForm
    list_display = ["__str__", "requested_by", "requested_at", "confirmed_by", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["requested_by", "confirmed_by"]
    search_fields = ["sentence", "reason"]
    fields = ["sentence", "requested_by", "requested_at", "reason", "confirmed_by", "confirmed_at"]
    readonly_fields = ["sentence", "requested_by", "requested_at", "confirmed_by", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # asked for by the admin when it refuses a save

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_confirmed:
            return False  # a confirmation stands as given; history keeps it
        return bool(super().has_change_permission(request, obj))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form: type[forms.ModelForm[Any]] = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, AdviceClearanceConfirmForm):
            form.editor = _editor(request)  # a class made for this request alone
        return form

    def save_model(
        self, request: HttpRequest, obj: AdviceClearance, form: Any, change: bool
    ) -> None:
        obj.confirmed_by = _editor(request)
        obj.confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)
