"""'Download all my data': a zip with every record of the patient's, as JSON and CSV.

GET shows the page with the button; POST downloads the zip and writes DATA_EXPORTED to the
audit log. Every file parses, row counts match the database, secrets' hashes are never in
it, CSV cells are formula-injection safe, ready reports' files come along, and nobody but
the patient gets their data.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from audit.models import AuditAction, AuditEvent
from audit.services import audit_list
from journal import services
from journal.models import CheckInRating, DoseEvent, MedicationCourse, SymptomEntry
from privacy.export import data_export_build
from sharing.models import CareRelationship, ProviderGrant, ShareLink
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
)
from tests.support.privacy import NOTES_FORMULA, PatsData, pats_data_fill
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

EXPORT = "/accounts/export/"


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Report files of this test only, in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def export_of(client: Client) -> zipfile.ZipFile:
    response = client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def blocks_of(response: HttpResponseBase) -> Iterator[bytes]:
    """The body as a client receives it: block by block when streamed, else whole."""
    if isinstance(response, StreamingHttpResponse):
        yield from cast(Iterator[bytes], response.streaming_content)
    else:
        yield cast(HttpResponse, response).content


def json_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(archive.read(f"{name}.json"))
    return rows


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def pats_data(patient: User) -> PatsData:
    return pats_data_fill(patient)


# The zip


def test_the_patient_downloads_a_zip_named_after_them_and_the_day(
    pats_data: PatsData, patient_client: Client
) -> None:
    response = patient_client.post(EXPORT)

    assert response.status_code == 200
    today = timezone.localdate(timezone=ZoneInfo("Europe/London"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="sidelog-data-pat-{today:%Y-%m-%d}.zip"'
    )
    assert response["Cache-Control"] == "no-store"
    assert zipfile.ZipFile(io.BytesIO(response.getvalue())).testzip() is None


def test_every_file_parses_and_has_as_many_rows_as_the_database(
    pats_data: PatsData, patient: User, patient_client: Client
) -> None:
    audit_rows = audit_list(patient_id=patient.pk).count()
    expected = {
        "account": 1,
        "courses": MedicationCourse.objects.filter(patient=patient).count(),
        "doses": DoseEvent.objects.filter(course__patient=patient).count(),
        "symptom_entries": SymptomEntry.objects.filter(patient=patient).count(),
        "checkin_ratings": CheckInRating.objects.filter(dose__course__patient=patient).count(),
        "courses_history": MedicationCourse.history.filter(patient_id=patient.pk).count(),
        "doses_history": DoseEvent.history.filter(course__patient=patient).count(),
        "symptom_entries_history": SymptomEntry.history.filter(patient_id=patient.pk).count(),
        "reports": 2,
        "share_links": 1,
        "provider_grants": 1,
        "care_relationships": 1,
        "audit_log": audit_rows,
    }
    assert expected["checkin_ratings"] == 3
    # The check-in's entry (made at 40 minutes, updated at 2 hours), two created, one edit.
    assert expected["symptom_entries_history"] == 5

    archive = export_of(patient_client)

    names = set(archive.namelist())
    assert names >= {f"{name}.{kind}" for name in expected for kind in ("json", "csv")}
    assert "README.txt" in names
    for name, count in expected.items():
        assert len(json_rows(archive, name)) == count, name
        assert len(csv_rows(archive, name)) == count, name
    readme = archive.read("README.txt").decode()
    for name in expected:
        assert f"{name}.json, {name}.csv" in readme
    assert "reports/<id>/" in readme


def test_the_records_say_what_was_logged(pats_data: PatsData, patient_client: Client) -> None:
    archive = export_of(patient_client)

    entries = {row["symptom"]: row for row in json_rows(archive, "symptom_entries")}
    assert entries["Dizziness"]["dose_id"] == pats_data.dose.pk
    assert entries["Dizziness"]["logged_by"] == "pat (patient)"
    assert entries["Tingling lips"]["severity"] == 3
    assert entries["Tingling lips"]["edited_at"] is not None
    assert str(entries["Tingling lips"]["onset_at"]).endswith(("+00:00", "+01:00"))
    ratings = json_rows(archive, "checkin_ratings")
    assert {(row["point"], row["severity"]) for row in ratings} == {
        ("before", 0),
        ("40min", 3),
        ("2h", 1),
    }
    assert {row["dose_id"] for row in ratings} == {pats_data.dose.pk}
    # Filled in five hours after the dose: every step late; interference given at its peak.
    assert {(row["interference"], row["recorded_late"]) for row in ratings} == {
        (None, True),
        (2, True),
    }
    history = json_rows(archive, "symptom_entries_history")
    assert [row["history_type"] for row in history if row["symptom"] == "Tingling lips"] == [
        "created",
        "changed",
    ]
    courses = json_rows(archive, "courses")
    assert courses[0]["regimen"] == "56 mg twice a week in clinic"
    grants = json_rows(archive, "provider_grants")
    assert grants[0]["report_ids"] == [pats_data.ready.pk]
    assert csv_rows(archive, "provider_grants")[0]["report_ids"] == str(pats_data.ready.pk)
    care = json_rows(archive, "care_relationships")
    assert (care[0]["your_role"], care[0]["caregiver_email"]) == ("patient", "cara@example.org")


def test_ready_reports_come_with_their_files_and_content(
    pats_data: PatsData, patient_client: Client
) -> None:
    archive = export_of(patient_client)

    ready = pats_data.ready
    folder = f"reports/{ready.pk}/"
    files = sorted(name for name in archive.namelist() if name.startswith("reports/"))
    assert files == [
        f"{folder}chart.svg",
        f"{folder}report-fhir.json",
        f"{folder}report.csv",
        f"{folder}report.pdf",
    ]
    with ready.pdf.open("rb") as stored:
        assert archive.read(f"{folder}report.pdf") == stored.read()
    assert archive.read(f"{folder}report.pdf").startswith(b"%PDF")
    assert json.loads(archive.read(f"{folder}report-fhir.json"))["resourceType"] == "Bundle"
    assert list(csv.reader(io.StringIO(archive.read(f"{folder}report.csv").decode("utf-8-sig"))))
    reports = {row["id"]: row for row in json_rows(archive, "reports")}
    assert reports[ready.pk]["files"] == files
    assert reports[ready.pk]["content"] == ready.content
    assert reports[ready.pk]["course_ids"] == [pats_data.course.pk]
    assert reports[pats_data.queued.pk]["files"] == []
    assert reports[pats_data.queued.pk]["status"] == "queued"
    assert "content" not in csv_rows(archive, "reports")[0]


def test_large_report_files_are_streamed_and_never_held_in_memory(
    patient: User, patient_client: Client
) -> None:
    """Four 8 MB report files: the zip is sent a block at a time, and the memory the
    request allocates stays a small fraction of one file."""
    report = ready_report(patient)
    export_of(patient_client)  # once with small files, so that what it imports is imported
    large = {}
    for field in ("pdf", "csv", "fhir", "chart"):
        stored = getattr(report, field)
        large[stored.name] = field.encode() * 16 + bytes(range(256)) * (8 * 4096)
        Path(stored.path).write_bytes(large[stored.name])

    tracemalloc.start()
    try:
        response = patient_client.post(EXPORT)
        with tempfile.TemporaryFile() as received:
            for block in blocks_of(response):
                received.write(block)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            size = received.tell()
            archive = zipfile.ZipFile(received)
            for name, data in large.items():
                assert archive.read(f"reports/{report.pk}/{Path(name).name}") == data
    finally:
        tracemalloc.stop()

    assert peak < 2 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB for 32 MB of report files"
    assert response.streaming
    assert int(response["Content-Length"]) == size


def test_a_report_file_missing_from_storage_does_not_stop_the_export(
    pats_data: PatsData, patient_client: Client
) -> None:
    pats_data.ready.pdf.storage.delete(pats_data.ready.pdf.name)

    archive = export_of(patient_client)

    assert f"reports/{pats_data.ready.pk}/report.pdf" not in archive.namelist()
    assert f"reports/{pats_data.ready.pk}/report.csv" in archive.namelist()


def test_no_secret_or_its_hash_is_in_the_zip(pats_data: PatsData, patient_client: Client) -> None:
    link = ShareLink.objects.get()
    secrets = [
        link.token_hash,
        link.access_code_hash,
        pats_data.link.token,
        str(pats_data.link.access_code),
        ProviderGrant.objects.get().invitation_hash,
        CareRelationship.objects.get().invitation_hash,
        "token_hash",
        "invitation_hash",
        "access_code_hash",
    ]

    archive = export_of(patient_client)

    for name in archive.namelist():
        data = archive.read(name).decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in data, (name, secret)
    shares = json_rows(archive, "share_links")
    assert shares[0]["has_access_code"] is True
    assert shares[0]["recipient"] == "Dr Okafor, Riverside Clinic"


def test_csv_cells_are_formula_injection_safe_and_json_keeps_the_text(
    pats_data: PatsData, patient_client: Client
) -> None:
    archive = export_of(patient_client)

    entries = {row["symptom"]: row for row in csv_rows(archive, "symptom_entries")}
    assert entries["Dizziness"]["notes"] == "'" + NOTES_FORMULA
    assert entries["Tingling lips"]["notes"] == "'+ worse after the second spray"
    assert entries["Dizziness"]["severity"] == "2"
    notes = {row["note"] for row in csv_rows(archive, "doses")}
    assert "'-2 sprays?" in notes
    json_entries = {row["symptom"]: row for row in json_rows(archive, "symptom_entries")}
    assert json_entries["Dizziness"]["notes"] == NOTES_FORMULA
    for name in archive.namelist():
        if name.endswith(".csv") and not name.startswith("reports/"):
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
                assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_the_download_is_written_to_the_audit_log(
    pats_data: PatsData, patient: User, patient_client: Client
) -> None:
    before = AuditEvent.objects.count()

    export_of(patient_client)

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.action, event.patient_key, event.actor_key) == (
        AuditAction.DATA_EXPORTED,
        patient.pk,
        patient.pk,
    )
    assert event.ip_address == "127.0.0.1"


def test_the_get_page_shows_the_button_and_downloads_nothing(
    pats_data: PatsData, patient_client: Client
) -> None:
    before = AuditEvent.objects.count()

    response = patient_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<form method="post">' in html
    assert '<button type="submit">Download all my data</button>' in html
    assert AuditEvent.objects.count() == before


def test_the_export_costs_the_same_queries_however_long_the_journal(patient: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            data_export_build(patient=patient).file.close()
        return len(captured)

    course = CourseFactory.create(patient=patient)
    EntryFactory.create(patient=patient, dose=DoseFactory.create(course=course))
    few = queries()
    for _ in range(5):
        course = CourseFactory.create(patient=patient)
        EntryFactory.create(patient=patient, dose=DoseFactory.create(course=course))
        services.symptom_entry_delete(entry=EntryFactory.create(patient=patient))

    assert queries() == few


# Nobody else


def test_another_patient_downloads_only_their_own_data(
    pats_data: PatsData, patient: User, other_patient: User, other_patient_client: Client
) -> None:
    EntryFactory.create(patient=other_patient, notes="Olga's own note")
    before = audit_list(patient_id=patient.pk).count()

    archive = export_of(other_patient_client)

    assert len(json_rows(archive, "symptom_entries")) == 1
    assert json_rows(archive, "account")[0]["username"] == "olga"
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Tingling lips" not in everything
    assert b"Riverside Clinic" not in everything
    assert not [name for name in archive.namelist() if name.startswith("reports/")]
    assert audit_list(patient_id=patient.pk).count() == before


@pytest.mark.parametrize("who", ["caregiver", "provider", "content_editor"])
def test_no_one_else_can_export(
    pats_data: PatsData, who: str, request: pytest.FixtureRequest
) -> None:
    client = logged_in_client(request.getfixturevalue(who))
    before = AuditEvent.objects.count()

    assert client.get(EXPORT).status_code == 404
    assert client.post(EXPORT).status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_caregiver_keeping_pats_journal_cannot_export_it(
    pats_data: PatsData, patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)
    before = AuditEvent.objects.count()

    assert client.post(EXPORT).status_code == 404
    assert AuditEvent.objects.count() == before


def test_anonymous_is_sent_to_log_in(pats_data: PatsData, client: Client) -> None:
    response = client.post(EXPORT)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/export/")
