"""Content editors' admin for the reference library. Every change is kept in history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reference.models import Drug, DrugSideEffect, RedFlag, SideEffect


class DrugSideEffectInline(admin.TabularInline[DrugSideEffect, Drug]):
    model = DrugSideEffect
    extra = 0
    autocomplete_fields = ["side_effect"]
    fields = ["side_effect", "frequency", "label_percent", "notes"]


@admin.register(Drug)
class DrugAdmin(SimpleHistoryAdmin):
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


@admin.register(SideEffect)
class SideEffectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    search_fields = ["name", "description"]
    readonly_fields = ["updated_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DrugSideEffect)
class DrugSideEffectAdmin(SimpleHistoryAdmin):
    list_display = ["side_effect", "drug", "frequency", "label_percent"]
    list_filter = ["frequency", "drug", "side_effect__category"]
    list_select_related = ["drug", "side_effect"]
    search_fields = ["drug__name", "side_effect__name", "notes"]
    autocomplete_fields = ["drug", "side_effect"]


@admin.register(RedFlag)
class RedFlagAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "action", "min_severity", "is_published", "updated_at"]
    list_filter = ["action", "is_published", "drug", "side_effect__category"]
    list_select_related = ["drug", "side_effect"]
    search_fields = ["signs", "guidance", "side_effect__name", "drug__name"]
    autocomplete_fields = ["drug", "side_effect"]
    readonly_fields = ["updated_at"]
