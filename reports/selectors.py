"""A patient's reports."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reports.models import Report


def report_list(*, patient: User) -> QuerySet[Report]:
    """Newest first, without the content each report's own page shows."""
    return report_rows(patient=patient).defer("content")


def report_get(*, patient: User, pk: int) -> Report:
    return get_object_or_404(report_rows(patient=patient), pk=pk)


def report_rows(*, patient: User) -> QuerySet[Report]:
    return Report.objects.filter(patient=patient).order_by("-created_at", "-pk")
