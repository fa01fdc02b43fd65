"""The audit trail of what a caregiver does in the journal of the patient they help.

A patient reads in their audit log every change a caregiver made for them (PRODUCT.md
§7.3); the journal's views that write say so with `caregiver_audited`. Reading a report is
audited by `reports.services.report_read_audit`.
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

from accounts.access import acting_user, journal_owner
from audit.models import AuditAction
from audit.services import audit_record

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
