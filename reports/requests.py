"""Asking for a report from the journal's pages, by the patient or by the caregiver keeping
their journal. What a caregiver asks for is written to the patient's audit log in the same
transaction as the request."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest

from audit.services import audit_caregiver_acted
from reports.models import Report
from reports.services import report_request, report_retry


@transaction.atomic
def report_ask(
    *,
    patient: User,
    asked_by: User,
    today: date,
    request: HttpRequest | None = None,
    **choices: Any,
) -> Report:
    """A report of the period, medicines, notes and paper size in `choices` (see
    `reports.services.report_request`); built once this transaction commits."""
    report = report_request(patient=patient, requested_by=asked_by, today=today, **choices)
    audit_caregiver_acted(
        patient_id=patient.pk, actor=asked_by, what="asked for a report", request=request
    )
    return report


@transaction.atomic
def report_ask_again(
    *, report: Report, asked_by: User, request: HttpRequest | None = None
) -> Report:
    """Build again a report that failed."""
    report_retry(report=report)
    audit_caregiver_acted(
        patient_id=report.patient_id,
        actor=asked_by,
        what="asked to build a report again",
        request=request,
    )
    return report
