"""Asking for reports and building them.

The report row is written in the request's transaction and the build is enqueued only once
that commits. A patient asks for a few reports an hour and a day at most, and for one while
none of theirs is still building (`REPORTS_PER_HOUR`, `REPORTS_PER_DAY`,
`REPORT_BUILDS_AT_ONCE`). A broker that is down delays a report but never loses it: the row stays
queued and the periodic `report_requeue_stale` sends it again. Building is idempotent: a
ready report is never rebuilt, and a rebuild overwrites the same files.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone

from accounts.text_limits import REPORT_NAME, plain_text
from audit.models import AuditAction
from audit.services import audit_record
from journal.models import MedicationCourse
from reports.background import report_build_in_thread
from reports.chart import chart_svg
from reports.content import report_content
from reports.fhir import collector_paused, fhir_write
from reports.models import DeletedReport, Report
from reports.pdf import pdf_bytes
from reports.spreadsheet import csv_write

logger = logging.getLogger(__name__)

LONGEST_PERIOD = timedelta(days=366)
# A year mistyped ("0205" for "2025") would otherwise reach dates before year 1 when the
# report compares the period with the one before it.
EARLIEST_START = date(1900, 1, 1)
# After this many failed or lost attempts a report is marked failed instead of re-sent.
MAX_ATTEMPTS = 5
FAILED_MESSAGE = (
    "Something went wrong while building this report. Try again; if it keeps failing, "
    "your journal is safe and nothing was lost."
)


# What a patient who asked while a build of theirs is under way is told to wait, in seconds:
# most builds take a few.
BUSY_RETRY_AFTER = 30
UNFINISHED = (Report.Status.QUEUED, Report.Status.BUILDING)


class ReportLimitReached(ValidationError):
    """A report refused because of the patient's limits; `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="report_limit")
        self.retry_after = retry_after


def _wait_in_words(seconds: int) -> str:
    if seconds <= 60:
        return "in a minute"
    if seconds < 2 * 60 * 60:
        return f"in {math.ceil(seconds / 60)} minutes"
    return f"in {math.ceil(seconds / 3600)} hours"


def _builds_check(*, patient_id: int, message: str) -> None:
    """Refuse another build while as many of the patient's as allowed are unfinished."""
    unfinished = Report.objects.filter(patient_id=patient_id, status__in=UNFINISHED).count()
    if unfinished >= settings.REPORT_BUILDS_AT_ONCE:
        raise ReportLimitReached(message, retry_after=BUSY_RETRY_AFTER)


def _requests_check(*, patient_id: int, now: datetime) -> None:
    """Refuse a new report when the patient asked for as many as allowed in the last hour or
    day. The rows are the count, with those of reports the patient deleted since."""
    windows = [
        (timedelta(hours=1), settings.REPORTS_PER_HOUR, "the last hour", "an hour"),
        (timedelta(days=1), settings.REPORTS_PER_DAY, "the last 24 hours", "a day"),
    ]
    most = max(limit for _, limit, _, _ in windows)
    since = now - timedelta(days=1)
    kept = Report.objects.filter(patient_id=patient_id, created_at__gt=since)
    deleted = DeletedReport.objects.filter(patient_id=patient_id, requested_at__gt=since)
    newest_first = sorted(
        [
            *kept.order_by("-created_at").values_list("created_at", flat=True)[:most],
            *deleted.order_by("-requested_at").values_list("requested_at", flat=True)[:most],
        ],
        reverse=True,
    )[:most]
    refusals = []
    for window, limit, recently, per in windows:
        asked = [moment for moment in newest_first if moment > now - window]
        if len(asked) >= limit:
            # Once the limit-th newest leaves the window, one more fits in it.
            wait = max(1, math.ceil((asked[limit - 1] + window - now).total_seconds()))
            message = (
                f"This journal has had {limit} reports in {recently}, the most Sidelog builds "
                f"in {per}. You can ask for another {_wait_in_words(wait)}."
            )
            refusals.append(ReportLimitReached(message, retry_after=wait))
    if refusals:
        raise max(refusals, key=lambda refusal: refusal.retry_after)


def _patient_lock(patient_id: int) -> None:
    """Hold the patient's row until the transaction ends, so their requests queue up here."""
    list(User.objects.select_for_update().filter(pk=patient_id).values_list("pk", flat=True))


def report_request(
    *,
    patient: User,
    requested_by: User,
    period_start: date,
    period_end: date,
    courses: list[MedicationCourse] | None = None,
    include_notes: bool = False,
    paper_size: str = Report.PaperSize.A4,
    name: str = "",
    today: date,
) -> Report:
    """Write the report row now; the build starts once this transaction commits.

    Refused with `ReportLimitReached` when the patient's limits say so (nothing written).
    """
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = "The end of the period can't be before its start."
    elif period_end - period_start >= LONGEST_PERIOD:
        errors["period_end"] = "A report covers a year at most."
    if period_start > today:
        errors["period_start"] = "The period can't start in the future."
    elif period_start < EARLIEST_START:
        errors["period_start"] = "Check the year: the period can't start before 1900."
    if any(course.patient_id != patient.pk for course in courses or []):
        errors["courses"] = "Choose from your own medicines."
    if paper_size not in Report.PaperSize.values:
        errors["paper_size"] = "Choose A4 or US Letter."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # Parallel requests of one patient's are counted one after another.
        _patient_lock(patient.pk)
        _builds_check(
            patient_id=patient.pk,
            message="A report for this journal is still being built. You can ask for the "
            "next one once it is finished.",
        )
        _requests_check(patient_id=patient.pk, now=timezone.now())
        report = Report.objects.create(
            patient=patient,
            requested_by=requested_by,
            name=plain_text(name).strip()[:REPORT_NAME],
            period_start=period_start,
            period_end=period_end,
            include_notes=include_notes,
            paper_size=paper_size,
        )
        if courses:
            report.courses.set(courses)
        transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return report


def report_enqueue(*, report_id: int) -> bool:
    """Hand the build to a worker; with no broker, to a thread of this process (`make run`),
    or build it now (`REPORT_BUILD_IN_THREAD` off, as in tests). False if the broker is down."""
    from reports.tasks import report_build_task

    if settings.REPORT_BUILD_IN_THREAD and report_build_task.app.conf.task_always_eager:
        report_build_in_thread(report_id=report_id)
        return True
    try:
        report_build_task.apply_async(args=(report_id,), retry=False)
    except Exception as error:  # the broker's client raises several kinds; none may lose a report
        if report_build_task.app.conf.task_always_eager:
            raise  # no broker involved: this is a bug, not an outage
        logger.warning("Report %s stays queued, the broker is unreachable: %s", report_id, error)
        return False
    return True


def report_retry(*, report: Report) -> Report:
    """Build a failed report again. Not a new request, so not counted as one; but it waits,
    as a new one does, until no other build of the patient's is unfinished."""
    if report.status != Report.Status.FAILED:
        raise ValidationError("Only a report that failed can be tried again.")
    with transaction.atomic():
        _patient_lock(report.patient_id)
        _builds_check(
            patient_id=report.patient_id,
            message="Another report for this journal is still being built. Try this one "
            "again once it is finished.",
        )
        report.status = Report.Status.QUEUED
        report.progress = 0
        report.error = ""
        report.attempts = 0
        report.save(update_fields=["status", "progress", "error", "attempts", "updated_at"])
        transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return report


def _progress(report_id: int, attempt: int, percent: int) -> None:
    Report.objects.filter(pk=report_id, attempts=attempt).update(
        progress=percent, updated_at=timezone.now()
    )


def _overwrite(field: FieldFile, name: str, path: Path) -> None:
    """Save under a fixed name, replacing an earlier build's file rather than adding one."""
    stored = field.field.generate_filename(field.instance, name)
    if field.storage.exists(stored):
        field.storage.delete(stored)
    with path.open("rb") as built:
        field.save(name, File(built), save=False)


@dataclass(frozen=True)
class _Built:
    """What one attempt made: the content as stored JSON, and its files in a folder."""

    content: dict[str, Any]
    folder: Path


# Each file the report stores, by its field, and its name.
BUILT_FILES = {
    "pdf": "report.pdf",
    "csv": "report.csv",
    "fhir": "report-fhir.json",
    "chart": "chart.svg",
}


def report_build(*, report_id: int) -> Report | None:
    """Build a report's content and files. Safe to call again for the same report."""
    report = _build_started(report_id)
    if report is None or report.status != Report.Status.BUILDING:
        return report
    attempt = report.attempts
    with tempfile.TemporaryDirectory(prefix="sidelog-report-") as folder:
        try:
            with _older_objects_frozen(), collector_paused():
                built = _built(report, attempt, Path(folder))
        except DatabaseError:
            raise  # transient: the task retries with backoff
        except Exception as error:
            logger.exception("Report %s failed to build", report_id)
            Report.objects.filter(pk=report_id, attempts=attempt).update(
                status=Report.Status.FAILED,
                error=f"{FAILED_MESSAGE} ({type(error).__name__})",
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            return Report.objects.filter(pk=report_id).first()
        return _build_finished(report_id, attempt, built)


def _build_started(report_id: int) -> Report | None:
    """Claim the report for a new attempt; a missing or ready one is returned as it is."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Report.Status.READY:
            return report
        report.status = Report.Status.BUILDING
        report.attempts += 1
        report.progress = 5
        report.error = ""
        report.started_at = timezone.now()
        report.save(
            update_fields=["status", "attempts", "progress", "error", "started_at", "updated_at"]
        )
    return report


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the cycle collector to the objects the build makes.

    A build over 10,000 entries ran five full collections, 0.65 s in all, and each walked
    every object the process held before it as well (Django's, matplotlib's and WeasyPrint's
    modules and caches, some 200,000). Frozen, those are left alone until the build ends;
    garbage among them (there is little) waits until then too. Nothing else in Sidelog
    freezes objects: the unfreeze at the end returns every frozen one to the collector.

    The build pauses the collector as well (`collector_paused`): what WeasyPrint leaves in
    cycles goes in the one collection after the PDF (peak memory rises by about 10 MB).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _built(report: Report, attempt: int, folder: Path) -> _Built:
    """Compute the content and write every file into `folder`.

    Each file goes to disk as it is made (the CSV and FHIR row by row), so a long report
    never holds more than one format in memory.
    """
    content = report_content(report=report)
    _progress(report.pk, attempt, 30)
    chart = chart_svg(content)
    (folder / BUILT_FILES["chart"]).write_bytes(chart.encode())
    _progress(report.pk, attempt, 45)
    pdf = pdf_bytes(content, chart_svg=chart, paper_size=report.paper_size)
    (folder / BUILT_FILES["pdf"]).write_bytes(pdf)
    gc.collect()  # WeasyPrint leaves cycles behind; the formats that follow reuse their memory
    _progress(report.pk, attempt, 85)
    with (folder / BUILT_FILES["csv"]).open("w", encoding="utf-8", newline="") as out:
        csv_write(content, out)
    with (folder / BUILT_FILES["fhir"]).open("w", encoding="utf-8") as out:
        fhir_write(content, out, base_url=settings.SITE_URL)
    return _Built(content=content.to_json(), folder=folder)


def _build_finished(report_id: int, attempt: int, built: _Built) -> Report | None:
    """Store the files and mark the report ready, unless a newer attempt owns it now or the
    patient deleted it meanwhile."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.attempts != attempt or report.status == Report.Status.READY:
            return report
        for kind, name in BUILT_FILES.items():
            _overwrite(getattr(report, kind), name, built.folder / name)
        report.content = built.content
        report.status = Report.Status.READY
        report.progress = 100
        report.finished_at = timezone.now()
        report.builds_completed += 1
        report.built_by = f"{socket.gethostname()}:{os.getpid()}"
        report.save()
    return report


def report_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Send again the reports that a down broker or a lost worker left behind.

    Queued reports wait `REPORT_QUEUED_GRACE` seconds and building ones
    `REPORT_BUILDING_GRACE` (longer than the task's time limit) before they count as left.
    """
    now = now or timezone.now()
    queued_before = now - timedelta(seconds=settings.REPORT_QUEUED_GRACE)
    building_before = now - timedelta(seconds=settings.REPORT_BUILDING_GRACE)
    stale = Report.objects.filter(
        Q(status=Report.Status.QUEUED, updated_at__lt=queued_before)
        | Q(status=Report.Status.BUILDING, updated_at__lt=building_before)
    )
    resent = []
    for report in stale.only("pk", "attempts"):
        if report.attempts >= MAX_ATTEMPTS:
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.FAILED,
                error=FAILED_MESSAGE,
                finished_at=now,
                updated_at=now,
            )
            continue
        Report.objects.filter(pk=report.pk).update(updated_at=now)
        if report_enqueue(report_id=report.pk):
            resent.append(report.pk)
    return resent


def report_read_audit(
    *, report: Report, reader: User, kind: str | None = None, request: HttpRequest | None = None
) -> None:
    """Audit anyone other than the patient reading a ready report or downloading its files.

    `kind` is the file downloaded (pdf, csv, fhir), None for the report page. The chart is
    part of the page, already audited, so fetching it is not a second read.
    """
    if reader.pk == report.patient_id or report.status != Report.Status.READY:
        return
    if kind == "chart":
        return
    period = report.period_label
    audit_record(
        action=AuditAction.REPORT_VIEWED if kind is None else AuditAction.REPORT_DOWNLOADED,
        patient_id=report.patient_id,
        actor=reader,
        target=period if kind is None else f"{period}, {kind.upper()}",
        request=request,
    )
