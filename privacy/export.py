"""A patient's own data, all of it in one download.

The export is a zip of every record as JSON and as CSV, the built files of ready reports, and
a README saying what each file is. It is written to a temporary file, the report files
copied into it a chunk at a time, and sent from there: the records are held in memory (a
journal is small), the report files never are, however large or many.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import posixpath
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils import timezone

from accounts.models import patient_zone
from audit.models import AuditAction
from audit.services import audit_list, audit_record
from journal.models import CheckInRating, DoseEvent, MedicationCourse, SymptomEntry
from privacy.export_vitals import vitals_tables
from privacy.records import Table
from privacy.records import day as _day
from privacy.records import history_columns as _history_columns
from privacy.records import history_fields as _history_fields
from privacy.records import moment as _moment
from privacy.records import person as _person
from reference.models import Interference, Severity
from reminders.models import Reminder
from reminders.selectors import reminder_settings_of
from reports.models import Report
from reports.spreadsheet import BYTE_ORDER_MARK, safe_cell
from sharing.models import CareRelationship, ProviderGrant, ShareLink

logger = logging.getLogger(__name__)

REPORT_FILE_FIELDS = ("pdf", "csv", "fhir", "chart")


# Export


# How much of a report file is read at a time into the zip.
COPY_CHUNK = 256 * 1024


@dataclass(frozen=True)
class DataExport:
    filename: str
    # The zip, in a temporary file read from its start; closing it deletes it.
    file: IO[bytes]
    files: list[str] = field(default_factory=list)


# The row builders read fields, foreign keys and get_FOO_display only, so that they work on
# live rows and on simple-history's historical versions alike.

COURSE_COLUMNS = (
    "id",
    "drug",
    "drug_slug",
    "route",
    "route_label",
    "started_on",
    "stopped_on",
    "regimen",
    "created_at",
    "updated_at",
)


def _course_row(course: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": course.id,
        "drug": course.drug.name,
        "drug_slug": course.drug.slug,
        "route": course.route,
        "route_label": course.get_route_display(),
        "started_on": _day(course.started_on),
        "stopped_on": _day(course.stopped_on),
        "regimen": course.regimen,
        "created_at": _moment(course.created_at, zone),
        "updated_at": _moment(course.updated_at, zone),
    }


DOSE_COLUMNS = (
    "id",
    "course_id",
    "drug",
    "taken_at",
    "setting",
    "setting_label",
    "amount",
    "note",
    "logged_by",
    "created_at",
    "updated_at",
    "edited_at",
)


def _dose_row(dose: Any, zone: ZoneInfo, drugs: dict[int, str]) -> dict[str, Any]:
    return {
        "id": dose.id,
        "course_id": dose.course_id,
        "drug": drugs.get(dose.course_id, ""),
        "taken_at": _moment(dose.taken_at, zone),
        "setting": dose.setting,
        "setting_label": dose.get_setting_display(),
        "amount": dose.amount,
        "note": dose.note,
        "logged_by": _person(dose.logged_by),
        "created_at": _moment(dose.created_at, zone),
        "updated_at": _moment(dose.updated_at, zone),
        "edited_at": _moment(dose.edited_at, zone),
    }


ENTRY_COLUMNS = (
    "id",
    "symptom",
    "side_effect_slug",
    "onset_at",
    "resolved_at",
    "ongoing",
    "severity",
    "severity_label",
    "interference",
    "interference_label",
    "notes",
    "dose_id",
    "from_checkin",
    "logged_by",
    "created_at",
    "updated_at",
    "edited_at",
)


def _entry_row(entry: Any, zone: ZoneInfo) -> dict[str, Any]:
    side_effect = entry.side_effect
    return {
        "id": entry.id,
        "symptom": side_effect.name if side_effect else entry.other_symptom,
        "side_effect_slug": side_effect.slug if side_effect else "",
        "onset_at": _moment(entry.onset_at, zone),
        "resolved_at": _moment(entry.resolved_at, zone),
        "ongoing": entry.resolved_at is None,
        "severity": entry.severity,
        "severity_label": Severity(entry.severity).label,
        "interference": entry.interference,
        "interference_label": Interference(entry.interference).label,
        "notes": entry.notes,
        "dose_id": entry.dose_id,
        "from_checkin": entry.from_checkin,
        "logged_by": _person(entry.logged_by),
        "created_at": _moment(entry.created_at, zone),
        "updated_at": _moment(entry.updated_at, zone),
        "edited_at": _moment(entry.edited_at, zone),
    }


def _course_versions(patient: User) -> list[Any]:
    return list(
        MedicationCourse.history.filter(patient_id=patient.pk)
        .select_related("drug", "history_user__profile")
        .order_by("history_date", "history_id")
    )


def _drug_names(patient: User, course_versions: list[Any]) -> dict[int, str]:
    """Each course's drug by course id; doses of courses deleted since still name theirs."""
    courses = MedicationCourse.objects.filter(patient=patient).select_related("drug")
    drugs = {version.id: version.drug.name for version in course_versions}
    drugs |= {course.pk: course.drug.name for course in courses}
    return drugs


def _courses_table(patient: User, zone: ZoneInfo) -> Table:
    courses = (
        MedicationCourse.objects.filter(patient=patient)
        .select_related("drug")
        .order_by("started_on", "pk")
    )
    return Table(
        "courses",
        "Your medication courses: the medicine, how it is taken, the dates, and the "
        "regimen as your prescriber wrote it.",
        COURSE_COLUMNS,
        [_course_row(course, zone) for course in courses],
    )


def _doses_table(patient: User, zone: ZoneInfo, drugs: dict[int, str]) -> Table:
    doses = (
        DoseEvent.objects.filter(course__patient=patient)
        .select_related("logged_by__profile")
        .order_by("taken_at", "pk")
    )
    return Table(
        "doses",
        "Every dose you recorded as taken or given, with its course.",
        DOSE_COLUMNS,
        [_dose_row(dose, zone, drugs) for dose in doses],
    )


def _symptom_entries_table(patient: User, zone: ZoneInfo) -> Table:
    entries = (
        SymptomEntry.objects.filter(patient=patient)
        .select_related("side_effect", "logged_by__profile")
        .order_by("onset_at", "pk")
    )
    return Table(
        "symptom_entries",
        "Every symptom you logged: what, when it started and resolved, severity (0-4), "
        "interference with daily activities (0-4), notes, the dose it followed "
        "(dose_id, see doses) and who logged it.",
        ENTRY_COLUMNS,
        [_entry_row(entry, zone) for entry in entries],
    )


def _checkin_ratings_table(patient: User, zone: ZoneInfo) -> Table:
    ratings = (
        CheckInRating.objects.filter(dose__course__patient=patient)
        .select_related("side_effect")
        .order_by("dose_id", "side_effect__name", "point")
    )
    return Table(
        "checkin_ratings",
        "Your post-dose check-in ratings: a severity (0-4) per symptom at each step "
        "around a dose (dose_id, see doses), how much it got in the way (0-4, if said), "
        "when you said it was gone, and whether the step was filled in late.",
        (
            "id",
            "dose_id",
            "symptom",
            "side_effect_slug",
            "point",
            "point_label",
            "severity",
            "severity_label",
            "interference",
            "resolved_at",
            "recorded_late",
            "created_at",
            "updated_at",
        ),
        [
            {
                "id": rating.pk,
                "dose_id": rating.dose_id,
                "symptom": rating.side_effect.name,
                "side_effect_slug": rating.side_effect.slug,
                "point": rating.point,
                "point_label": rating.get_point_display(),
                "severity": rating.severity,
                "severity_label": Severity(rating.severity).label,
                "interference": rating.interference,
                "resolved_at": _moment(rating.resolved_at, zone),
                "recorded_late": rating.recorded_late,
                "created_at": _moment(rating.created_at, zone),
                "updated_at": _moment(rating.updated_at, zone),
            }
            for rating in ratings
        ],
    )


def _courses_history_table(course_versions: list[Any], zone: ZoneInfo) -> Table:
    return Table(
        "courses_history",
        "Every version of your courses: one row each time one was created, changed or "
        "deleted, with who did it.",
        _history_columns(COURSE_COLUMNS),
        [_history_fields(v, zone) | _course_row(v, zone) for v in course_versions],
    )


def _doses_history_table(zone: ZoneInfo, drugs: dict[int, str]) -> Table:
    dose_versions = (
        DoseEvent.history.filter(course_id__in=list(drugs))
        .select_related("logged_by__profile", "history_user__profile")
        .order_by("history_date", "history_id")
    )
    return Table(
        "doses_history",
        "Every version of your dose records, as for courses_history.",
        _history_columns(DOSE_COLUMNS),
        [_history_fields(v, zone) | _dose_row(v, zone, drugs) for v in dose_versions],
    )


def _symptom_entries_history_table(patient: User, zone: ZoneInfo) -> Table:
    entry_versions = (
        SymptomEntry.history.filter(patient_id=patient.pk)
        .select_related("side_effect", "logged_by__profile", "history_user__profile")
        .order_by("history_date", "history_id")
    )
    return Table(
        "symptom_entries_history",
        "Every version of your symptom entries, as for courses_history: an entry "
        "corrected later shows each earlier version here.",
        _history_columns(ENTRY_COLUMNS),
        [_history_fields(v, zone) | _entry_row(v, zone) for v in entry_versions],
    )


def _journal_tables(patient: User, zone: ZoneInfo) -> list[Table]:
    course_versions = _course_versions(patient)
    drugs = _drug_names(patient, course_versions)
    return [
        _courses_table(patient, zone),
        _doses_table(patient, zone, drugs),
        _symptom_entries_table(patient, zone),
        _checkin_ratings_table(patient, zone),
        _courses_history_table(course_versions, zone),
        _doses_history_table(zone, drugs),
        _symptom_entries_history_table(patient, zone),
    ]


def _report_file_paths(report: Report) -> dict[str, Any]:
    """Where each built file of a ready report goes in the zip, by its stored file."""
    if report.status != Report.Status.READY:
        return {}
    found = {}
    for name in REPORT_FILE_FIELDS:
        stored = getattr(report, name)
        if stored:
            found[f"reports/{report.pk}/{posixpath.basename(stored.name)}"] = stored
    return found


def _reports_table(patient: User, zone: ZoneInfo, report_files: dict[int, list[str]]) -> Table:
    reports = (
        Report.objects.filter(patient=patient)
        .select_related("requested_by__profile")
        .prefetch_related("courses")
        .order_by("created_at", "pk")
    )
    return Table(
        "reports",
        "Your reports: the period, the courses they cover, their status, and (in the "
        "JSON file only) the content each was built from. The files of ready reports "
        "are in reports/<id>/.",
        (
            "id",
            "status",
            "period_start",
            "period_end",
            "course_ids",
            "include_notes",
            "paper_size",
            "requested_by",
            "created_at",
            "finished_at",
            "files",
            "content",
        ),
        [
            {
                "id": report.pk,
                "status": report.status,
                "period_start": _day(report.period_start),
                "period_end": _day(report.period_end),
                "course_ids": sorted(course.pk for course in report.courses.all()),
                "include_notes": report.include_notes,
                "paper_size": report.paper_size,
                "requested_by": _person(report.requested_by),
                "created_at": _moment(report.created_at, zone),
                "finished_at": _moment(report.finished_at, zone),
                "files": report_files.get(report.pk, []),
                "content": report.content,
            }
            for report in reports
        ],
        json_only=("content",),
    )


def _share_links_table(patient: User, zone: ZoneInfo) -> Table:
    links = ShareLink.objects.filter(report__patient=patient).order_by("created_at", "pk")
    now = timezone.now()
    return Table(
        "share_links",
        "The share links you made: which report, who for, when they expire or were "
        "revoked. The links themselves are not kept by Sidelog, so they are not here.",
        (
            "id",
            "report_id",
            "recipient",
            "created_at",
            "expires_at",
            "revoked_at",
            "has_access_code",
            "active",
        ),
        [
            {
                "id": link.pk,
                "report_id": link.report_id,
                "recipient": link.recipient,
                "created_at": _moment(link.created_at, zone),
                "expires_at": _moment(link.expires_at, zone),
                "revoked_at": _moment(link.revoked_at, zone),
                "has_access_code": link.needs_access_code,
                "active": link.is_active(now),
            }
            for link in links
        ],
    )


def _provider_grants_table(patient: User, zone: ZoneInfo) -> Table:
    grants = (
        ProviderGrant.objects.filter(patient=patient)
        .select_related("provider__profile")
        .prefetch_related("reports")
        .order_by("created_at", "pk")
    )
    return Table(
        "provider_grants",
        "The providers you gave access to your reports: all of them or chosen ones "
        "(report_ids), and when the access ended.",
        (
            "id",
            "provider_email",
            "provider",
            "all_reports",
            "report_ids",
            "created_at",
            "revoked_at",
            "active",
        ),
        [
            {
                "id": grant.pk,
                "provider_email": grant.provider_email,
                "provider": _person(grant.provider),
                "all_reports": grant.all_reports,
                "report_ids": sorted(report.pk for report in grant.reports.all()),
                "created_at": _moment(grant.created_at, zone),
                "revoked_at": _moment(grant.revoked_at, zone),
                "active": grant.is_active,
            }
            for grant in grants
        ],
    )


def _care_relationships_table(patient: User, zone: ZoneInfo) -> Table:
    care = (
        CareRelationship.objects.filter(Q(patient=patient) | Q(caregiver=patient))
        .select_related("patient__profile", "caregiver__profile")
        .order_by("created_at", "pk")
    )
    return Table(
        "care_relationships",
        "Caregivers you invited (your_role: patient) and patients whose journal you "
        "help keep (your_role: caregiver).",
        (
            "id",
            "your_role",
            "patient",
            "caregiver_email",
            "caregiver",
            "created_at",
            "accepted_at",
            "ended_at",
        ),
        [
            {
                "id": relationship.pk,
                "your_role": "patient" if relationship.patient_id == patient.pk else "caregiver",
                "patient": _person(relationship.patient),
                "caregiver_email": relationship.caregiver_email,
                "caregiver": _person(relationship.caregiver),
                "created_at": _moment(relationship.created_at, zone),
                "accepted_at": _moment(relationship.accepted_at, zone),
                "ended_at": _moment(relationship.ended_at, zone),
            }
            for relationship in care
        ],
    )


def _sharing_tables(
    patient: User, zone: ZoneInfo, report_files: dict[int, list[str]]
) -> list[Table]:
    return [
        _reports_table(patient, zone, report_files),
        _share_links_table(patient, zone),
        _provider_grants_table(patient, zone),
        _care_relationships_table(patient, zone),
    ]


def _audit_table(patient: User, zone: ZoneInfo) -> Table:
    return Table(
        "audit_log",
        "Who saw or changed what of your data, when, from which internet address, and "
        "whether it was allowed: the same rows as the “Who saw my data” page.",
        ("id", "created_at", "actor", "action", "action_label", "target", "ip_address", "outcome"),
        [
            {
                "id": event.pk,
                "created_at": _moment(event.created_at, zone),
                "actor": event.actor_label,
                "action": event.action,
                "action_label": event.get_action_display(),
                "target": event.target,
                "ip_address": event.ip_address,
                "outcome": event.outcome,
            }
            for event in audit_list(patient_id=patient.pk)
        ],
    )


def _reminder_tables(patient: User, zone: ZoneInfo) -> list[Table]:
    chosen = reminder_settings_of(patient)
    settings_table = Table(
        "reminder_settings",
        "The reminders you asked for, at times in your time zone (empty: you never chose).",
        ("checkin_reminders", "daily_reminder", "daily_at", "quiet_start", "quiet_end"),
        []
        if chosen.pk is None
        else [
            {
                "checkin_reminders": chosen.checkin_reminders,
                "daily_reminder": chosen.daily_reminder,
                "daily_at": chosen.daily_at.isoformat("minutes"),
                "quiet_start": chosen.quiet_start.isoformat("minutes")
                if chosen.quiet_start
                else None,
                "quiet_end": chosen.quiet_end.isoformat("minutes") if chosen.quiet_end else None,
            }
        ],
    )
    reminders_table = Table(
        "reminders",
        "Every reminder Sidelog scheduled for you: check-ins after a dose (`dose_id`, "
        "`point`) and daily ones; when each was due and sent, or why not.",
        ("id", "kind", "dose_id", "point", "due_at", "status", "sent_at"),
        [
            {
                "id": reminder.pk,
                "kind": reminder.kind,
                "dose_id": reminder.dose_id,
                "point": reminder.point,
                "due_at": _moment(reminder.due_at, zone),
                "status": reminder.status,
                "sent_at": _moment(reminder.sent_at, zone),
            }
            for reminder in Reminder.objects.filter(patient=patient).order_by("due_at", "pk")
        ],
    )
    return [settings_table, reminders_table]


def _account_table(patient: User, zone: ZoneInfo) -> Table:
    profile = getattr(patient, "profile", None)
    return Table(
        "account",
        "Your account: username, email, time zone and when you joined.",
        (
            "username",
            "email",
            "display_name",
            "date_of_birth",
            "time_zone",
            "date_joined",
            "last_login",
        ),
        [
            {
                "username": patient.get_username(),
                "email": patient.email,
                "display_name": profile.display_name if profile else "",
                "date_of_birth": str(profile.date_of_birth or "") if profile else "",
                "time_zone": str(zone),
                "date_joined": _moment(patient.date_joined, zone),
                "last_login": _moment(patient.last_login, zone),
            }
        ],
    )


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return safe_cell(";".join(str(item) for item in value))
    return safe_cell(value)


def table_json(table: Table) -> bytes:
    return json.dumps(table.rows, indent=2, ensure_ascii=False).encode()


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark, for Excel; every text cell formula-injection safe."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.csv_columns)
    for row in table.rows:
        writer.writerow([_csv_cell(row[column]) for column in table.csv_columns])
    return buffer.getvalue().encode()


def _readme(patient: User, zone: ZoneInfo, tables: Iterable[Table], made_at: datetime) -> str:
    lines = [
        "All your Sidelog data",
        "=====================",
        "",
        f"Account: {patient.get_username()}",
        f"Made: {_moment(made_at, zone)}",
        "",
        "Each kind of record is here twice, with the same rows: a .json file (a list of",
        "records, for programs) and a .csv file (a table, for spreadsheets). Times are",
        f"ISO 8601 in your time zone ({zone}), with its offset. In the CSV files, text that",
        "a spreadsheet could run as a formula starts with an apostrophe ('); a list of ids",
        "is separated by semicolons.",
        "",
    ]
    for table in tables:
        count = len(table.rows)
        lines.append(f"{table.name}.json, {table.name}.csv ({count} row{pluralize(count)})")
        lines += textwrap.wrap(
            table.description, width=84, initial_indent="    ", subsequent_indent="    "
        )
        lines.append("")
    lines += [
        "reports/<id>/",
        "    The files of each ready report, as you can download them from Sidelog:",
        "    report.pdf (to read or print), report.csv (one row per entry, for a",
        "    spreadsheet), report-fhir.json (a FHIR R4 document Bundle for clinical",
        "    systems) and chart.svg (the severity chart).",
        "",
        "Sidelog records and summarises; it does not give dosing advice. Talk to your",
        "prescriber before changing how you take any medication.",
        "",
    ]
    return "\n".join(lines)


def _report_files_present(patient: User) -> dict[int, dict[str, Any]]:
    """The stored files of the patient's ready reports, by report and path in the zip."""
    found: dict[int, dict[str, Any]] = {}
    for report in Report.objects.filter(patient=patient, status=Report.Status.READY):
        found[report.pk] = {}
        for path, stored in _report_file_paths(report).items():
            if stored.storage.exists(stored.name):
                found[report.pk][path] = stored
            else:
                # A lost file must not stop the rest of the data from leaving with its owner.
                logger.warning("Report file %s is missing from storage", stored.name)
    return found


def data_export_build(*, patient: User, now: datetime | None = None) -> DataExport:
    """Everything Sidelog holds about a patient, as one zip in a temporary file."""
    now = now or timezone.now()
    zone = patient_zone(patient)
    files_by_report = _report_files_present(patient)
    included = {pk: sorted(paths) for pk, paths in files_by_report.items()}
    tables = [
        _account_table(patient, zone),
        *_journal_tables(patient, zone),
        *vitals_tables(patient, zone),
        *_reminder_tables(patient, zone),
        *_sharing_tables(patient, zone, included),
        _audit_table(patient, zone),
    ]
    report_files = sorted(
        (path, stored) for paths in files_by_report.values() for path, stored in paths.items()
    )

    zipped = tempfile.TemporaryFile(prefix="sidelog-export-")  # noqa: SIM115 (the response closes it)
    try:
        with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", _readme(patient, zone, tables, now))
            for table in tables:
                archive.writestr(f"{table.name}.json", table_json(table))
                archive.writestr(f"{table.name}.csv", table_csv(table))
            for path, stored in report_files:
                with stored.open("rb") as source, archive.open(path, "w") as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK)
            names = archive.namelist()
        zipped.seek(0)
    except BaseException:
        zipped.close()
        raise
    today = timezone.localtime(now, zone).date()
    filename = f"sidelog-data-{patient.get_username()}-{today:%Y-%m-%d}.zip"
    return DataExport(filename=filename, file=zipped, files=names)


def data_export_create(*, patient: User, request: HttpRequest | None = None) -> DataExport:
    """Build the export and write it to the audit log: it is health data leaving Sidelog."""
    export = data_export_build(patient=patient)
    try:
        audit_record(
            action=AuditAction.DATA_EXPORTED,
            patient_id=patient.pk,
            actor=patient,
            target=f"all data, a zip of {len(export.files)} files",
            request=request,
        )
    except BaseException:
        export.file.close()
        raise
    return export


# Deletion
