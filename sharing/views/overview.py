"""The patient's sharing page: links, providers and caregivers in one place."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import journal_owner_only
from reports import selectors as report_selectors
from reports.models import Report
from sharing import selectors as sharing
from sharing.models import ShareLink


def sharing_context(patient: User, **forms: Any) -> dict[str, Any]:
    """What the Sharing page shows; a view that refuses a form passes it back in `forms`."""
    links = ShareLink.objects.filter(report__patient=patient).select_related("report")
    return {
        "ready_reports": report_selectors.report_list(patient=patient).filter(
            status=Report.Status.READY
        ),
        "share_links": links.order_by("-created_at", "-pk"),
        "grants": sharing.grants_for(patient=patient),
        "caregivers": sharing.caregivers_of(patient=patient),
        **forms,
    }


@login_required
def sharing_overview(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    return render(request, "sharing/overview.html", sharing_context(patient))
