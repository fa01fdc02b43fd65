"""Reports: a summary of a patient's journal over a period, built in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.text_limits import REPORT_NAME
from journal.models import MedicationCourse


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.patient_id}/{report.pk}/{filename}"


class Report(models.Model):
    """A summary of a patient's journal over a period, built in the background.

    The row is written when the patient asks; a Celery task fills in the files. Building it
    again overwrites the same files, so a report is never built into two copies.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class PaperSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "letter", "US Letter"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the patient calls it ("Before the March review"); the period names it otherwise.
    name = models.CharField(max_length=REPORT_NAME, blank=True)
    period_start = models.DateField()
    period_end = models.DateField(help_text="Included.")
    courses = models.ManyToManyField(MedicationCourse, blank=True, related_name="reports")
    include_notes = models.BooleanField(default=False)
    paper_size = models.CharField(max_length=10, choices=PaperSize.choices, default=PaperSize.A4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    builds_completed = models.PositiveIntegerField(default=0)
    built_by = models.CharField(max_length=100, blank=True, help_text="Host and process.")
    content = models.JSONField(null=True, blank=True)
    pdf = models.FileField(upload_to=report_upload_to, blank=True)
    csv = models.FileField(upload_to=report_upload_to, blank=True)
    fhir = models.FileField(upload_to=report_upload_to, blank=True)
    chart = models.FileField(upload_to=report_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "journal_report"  # where it has always been
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_in_order"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
        ]

    def __str__(self) -> str:
        return self.name or self.period_title

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", args=[self.pk])

    @property
    def period_title(self) -> str:
        return f"Report {self.period_start:%d %b %Y} – {self.period_end:%d %b %Y}"

    @property
    def period_label(self) -> str:
        """How the audit log and emails name it: "report of 01 Nov 2026 to 30 Nov 2026"."""
        return f"report of {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    def files_delete(self) -> None:
        """Remove the built files from storage (the row stays)."""
        for field in (self.pdf, self.csv, self.fhir, self.chart):
            if field:
                field.delete(save=False)

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


class DeletedReport(models.Model):
    """When a report the patient deleted was asked for: the hourly and daily limits count it
    as if the report were still there."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["patient", "requested_at"])]

    def __str__(self) -> str:
        return f"Report asked for at {self.requested_at:%Y-%m-%d %H:%M}, deleted"
