"""The patient's own data: who saw it, all of it to take away, and deleting it.

Only the patient reaches these pages: a caregiver keeping their journal, and everyone
else, gets the journal's usual 404.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.models import AuditOutcome
from journal import privacy
from journal.audit import audit_list
from journal.forms.privacy import AccountDeleteForm
from journal.views.access import journal_owner_only

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
    return render(request, "journal/audit.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    """GET: a page with the button. POST: the zip, written to the audit log."""
    patient = journal_owner_only(request)
    if request.method != "POST":
        return render(request, "registration/data_export.html")
    export = privacy.data_export_create(patient=patient, request=request)
    response = HttpResponse(export.content, content_type="application/zip")
    # RFC 6266: a plain quoted name, or `filename*` for a username beyond ASCII.
    response["Content-Disposition"] = (
        content_disposition_header(True, export.filename) or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=patient)
    if form.is_bound and form.is_valid():
        privacy.account_delete(user=patient)
        logout(request)
        return render(request, "registration/account_delete_done.html")
    return render(request, "registration/account_delete.html", {"form": form})
