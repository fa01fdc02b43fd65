"""A database migrated before profiles, reports, sharing and the audit log had apps of their
own upgrades with `migrate` and keeps every row.

The test winds the schema back to that point (journal 0006, none of the new apps), writes
rows through the models as they were then, migrates forward and reads the same rows
through today's models.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django.utils import timezone

from accounts.models import Profile
from audit.models import AuditEvent
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink

JOURNAL_BEFORE = ("journal", "0006_profile_country_from_time_zone")
BEFORE_THE_MOVE: list[tuple[str, str | None]] = [
    JOURNAL_BEFORE,
    ("accounts", None),
    ("reports", None),
    ("sharing", None),
    ("audit", None),
]
MOVED = {
    "profile": "accounts",
    "report": "reports",
    "sharelink": "sharing",
    "providergrant": "sharing",
    "carerelationship": "sharing",
    "auditevent": "audit",
    "auditchainhead": "audit",
}


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _rows_written_before_the_move(apps: StateApps) -> dict[str, int]:
    User = apps.get_model("auth", "User")
    patient = User.objects.create(username="kept-patient")
    provider = User.objects.create(username="kept-provider")
    caregiver = User.objects.create(username="kept-caregiver")
    apps.get_model("journal", "Profile").objects.create(
        user=patient, time_zone="Europe/London", country="GB", display_name="Kept Patient"
    )
    report = apps.get_model("journal", "Report").objects.create(
        patient=patient,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        status="ready",
        progress=100,
    )
    link = apps.get_model("journal", "ShareLink").objects.create(
        report=report,
        recipient="Dr Okafor",
        token_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=30),
    )
    grant = apps.get_model("journal", "ProviderGrant").objects.create(
        patient=patient, provider_email="p@example.com", provider=provider, invitation_hash="b" * 64
    )
    grant.reports.add(report)
    care = apps.get_model("journal", "CareRelationship").objects.create(
        patient=patient,
        caregiver_email="c@example.com",
        caregiver=caregiver,
        invitation_hash="c" * 64,
    )
    event = apps.get_model("journal", "AuditEvent").objects.create(
        created_at=timezone.now(),
        patient_key=patient.pk,
        actor_label="Dr Okafor",
        action="report.viewed",
        outcome="allowed",
        previous_hash="0" * 64,
        row_hash="1" * 64,
    )
    return {
        "patient": patient.pk,
        "report": report.pk,
        "link": link.pk,
        "grant": grant.pk,
        "care": care.pk,
        "event": event.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_apps_upgrades_and_keeps_every_row() -> None:
    latest = _latest()
    old_apps = _migrate(BEFORE_THE_MOVE).loader.project_state(JOURNAL_BEFORE, at_end=True).apps
    try:
        written = _rows_written_before_the_move(old_apps)
        for model in MOVED:  # Django makes content types after migrating; as an old deploy had
            ContentType.objects.get_or_create(app_label="journal", model=model)
        permission = Permission.objects.create(
            codename="view_report_kept",
            name="Can view kept report",
            content_type=ContentType.objects.get(app_label="journal", model="report"),
        )
    finally:
        _migrate(latest)

    profile = Profile.objects.get(user_id=written["patient"])
    assert (profile.time_zone, profile.country.code, profile.display_name) == (
        "Europe/London",
        "GB",
        "Kept Patient",
    )
    report = Report.objects.get(pk=written["report"])
    assert (report.patient_id, report.status, report.period_end) == (
        written["patient"],
        "ready",
        date(2026, 11, 30),
    )
    assert ShareLink.objects.get(pk=written["link"]).report_id == report.pk
    grant = ProviderGrant.objects.get(pk=written["grant"])
    assert list(grant.reports.values_list("pk", flat=True)) == [report.pk]
    assert CareRelationship.objects.get(pk=written["care"]).patient_id == written["patient"]
    assert AuditEvent.objects.get(pk=written["event"]).actor_label == "Dr Okafor"

    ContentType.objects.clear_cache()
    for model, app in MOVED.items():
        assert ContentType.objects.filter(app_label=app, model=model).count() == 1, model
        assert not ContentType.objects.filter(app_label="journal", model=model).exists(), model
    permission.refresh_from_db()
    assert permission.content_type.app_label == "reports"
