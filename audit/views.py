"""Who saw my data: the patient's page of their audit log.

Only the patient reaches it: a caregiver keeping their journal, and everyone else, gets the
journal's usual 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.access import journal_owner_only
from audit.models import AuditOutcome
from audit.services import audit_list

AUDIT_PAGE_SIZE = 50


@never_cache
@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    """Who saw my data: newest first, in the patient's own time zone (the middleware's)."""
    patient = journal_owner_only(request)
    page = Paginator(audit_list(patient_id=patient.pk), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "events": page.object_list, "refused": AuditOutcome.REFUSED}
    return render(request, "audit/log.html", context)
