"""What a patient changes about a report once asked for: its name, or the report itself gone.

Sharing sits below reports, so a deleted report's share links and provider access are ended
by a receiver of `report_deleting` (`sharing.receivers`), in the deletion's transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

from accounts.text_limits import REPORT_NAME, plain_text, too_long
from audit.services import audit_caregiver_acted
from reports.models import DeletedReport, Report

# Sent with `report`, `deleted_by` and `request` before the row goes, in its transaction.
report_deleting = Signal()

# Reports asked for longer ago than this no longer count towards the patient's limits.
COUNTED_FOR = timedelta(days=1)


@transaction.atomic
def report_rename(
    *, report: Report, name: str, renamed_by: User, request: HttpRequest | None = None
) -> Report:
    """Name the report as the patient likes; "" goes back to its period."""
    name = plain_text(name).strip()
    if len(name) > REPORT_NAME:
        raise ValidationError({"name": too_long(REPORT_NAME)})
    report.name = name
    report.save(update_fields=["name", "updated_at"])
    audit_caregiver_acted(
        patient_id=report.patient_id, actor=renamed_by, what="renamed a report", request=request
    )
    return report


def report_delete(*, report: Report, deleted_by: User, request: HttpRequest | None = None) -> None:
    """Delete the report, its files, its share links and any provider access it alone gave.

    A build under way finds the row gone and stops; the report still counts towards the
    hourly and daily limits (`DeletedReport`)."""
    with transaction.atomic():
        # Waits for a build storing its files, so that those are deleted too.
        report = Report.objects.select_for_update().get(pk=report.pk)
        report_deleting.send(Report, report=report, deleted_by=deleted_by, request=request)
        files = [(field.storage, field.name or "") for field in _files(report)]
        if report.created_at > timezone.now() - COUNTED_FOR:
            DeletedReport.objects.create(
                patient_id=report.patient_id, requested_at=report.created_at
            )
        audit_caregiver_acted(
            patient_id=report.patient_id,
            actor=deleted_by,
            what=f"deleted the {report.period_label}",
            request=request,
        )
        report.delete()
        transaction.on_commit(lambda: _files_delete(files))


def _files(report: Report) -> list[FieldFile]:
    return [field for field in (report.pdf, report.csv, report.fhir, report.chart) if field]


def _files_delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)
