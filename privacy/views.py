"""The patient's own data: all of it to take away, and deleting it.

Only the patient reaches these pages: a caregiver keeping their journal, and everyone
else, gets the journal's usual 404.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.access import journal_owner_only
from privacy import deletion, export
from privacy.forms import AccountDeleteForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_export(request: HttpRequest) -> HttpResponseBase:
    """GET: a page with the button. POST: the zip, written to the audit log."""
    patient = journal_owner_only(request)
    if request.method != "POST":
        return render(request, "privacy/data_export.html")
    made = export.data_export_create(patient=patient, request=request)
    # Sent from its temporary file a block at a time (RFC 6266's name: a plain quoted one, or
    # `filename*` for a username beyond ASCII); the file goes when the response is closed.
    response = FileResponse(
        made.file, as_attachment=True, filename=made.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=patient)
    if form.is_bound and form.is_valid():
        deletion.account_delete(user=patient)
        logout(request)
        return render(request, "privacy/account_delete_done.html")
    return render(request, "privacy/account_delete.html", {"form": form})
