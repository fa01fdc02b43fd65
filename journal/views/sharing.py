"""The patient's sharing page: links, providers and caregivers in one place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from journal import selectors
from journal.models import Report, ShareLink
from journal.sharing import selectors as sharing
from journal.views.access import journal_owner_only


@login_required
def sharing_overview(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    reports = selectors.report_list(patient=patient).filter(status=Report.Status.READY)
    links = ShareLink.objects.filter(report__patient=patient).select_related("report")
    context = {
        "ready_reports": reports,
        "share_links": links.order_by("-created_at", "-pk"),
        "grants": sharing.grants_for(patient=patient),
        "caregivers": sharing.caregivers_of(patient=patient),
    }
    return render(request, "journal/sharing.html", context)
