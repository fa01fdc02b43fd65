"""The audit trail of what a caregiver does in the journal of the patient they help.

A patient reads in their audit log every change a caregiver made for them and every
report a caregiver opened (PRODUCT.md §7.3); these helpers write those rows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase

from audit.models import AuditAction
from journal.audit import audit_record
from journal.views.access import acting_user, journal_owner
from reports.models import Report

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _error_count(request: HttpRequest) -> int:
    storage = messages.get_messages(request)
    count = sum(1 for message in storage if message.level >= messages.ERROR)
    if isinstance(storage, BaseStorage):
        storage.used = False  # reading must not use the messages up (Django's documented way)
    return count


def caregiver_audited(description: str) -> Callable[[View], View]:
    """Record a caregiver's successful write to a patient's journal, e.g. "logged a dose".

    A write succeeded when a POST ends in a redirect with no error message: the journal's
    views redirect after saving, show the form again when it is invalid, and redirect with
    an error message when a service refuses.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST" or not isinstance(request.user, User):
                return view(request, *args, **kwargs)
            # Whose journal is settled before the view runs: the access could end meanwhile.
            # A 404 here (no journal, or an access just ended) is the answer for the view too.
            patient = journal_owner(request)
            caregiver = acting_user(request)
            if patient == caregiver:
                return view(request, *args, **kwargs)
            errors_before = _error_count(request)
            response = view(request, *args, **kwargs)
            succeeded = isinstance(response, HttpResponseRedirectBase)
            if succeeded and _error_count(request) == errors_before:
                audit_record(
                    action=AuditAction.CAREGIVER_ACTED,
                    patient_id=patient.pk,
                    actor=caregiver,
                    target=description,
                    request=request,
                )
            return response

        return cast(View, audited)

    return decorator


def report_read_audit(request: HttpRequest, *, report: Report, kind: str | None = None) -> None:
    """Audit anyone other than the patient reading a ready report or downloading its files.

    `kind` is the file downloaded (pdf, csv, fhir), None for the report page. The chart is
    part of the page, already audited, so fetching it is not a second read.
    """
    reader = acting_user(request)
    if reader.pk == report.patient_id or report.status != Report.Status.READY:
        return
    if kind == "chart":
        return
    period = f"report of {report.period_start:%d %b %Y} to {report.period_end:%d %b %Y}"
    audit_record(
        action=AuditAction.REPORT_VIEWED if kind is None else AuditAction.REPORT_DOWNLOADED,
        patient_id=report.patient_id,
        actor=reader,
        target=period if kind is None else f"{period}, {kind.upper()}",
        request=request,
    )
