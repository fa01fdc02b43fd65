"""The audit log: appends form one hash chain, and nothing can change it unseen.

Rows cannot be changed or deleted through the ORM or the admin; a row changed, removed or
forged behind Sidelog's back with raw SQL (without the audit key, or without moving the
chain head) is found by `audit_chain_verify` and by `manage.py audit_verify`, which names
the first broken row and exits with status 1.
"""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from audit.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from audit.services import GENESIS, audit_record, audit_redact_own_actions
from audit.verification import audit_chain_verify
from tests.support.audit import events_record, sql_execute, verify_command_fails
from tests.support.clients import logged_in_client
from tests.support.factories import ContentEditorFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_ADMIN = "/admin/audit/auditevent/"


def forged_row_insert(*, previous_hash: str, patient_id: int) -> int:
    """A row written with raw SQL, its hash made with the key configured when it is called."""
    forged = AuditEvent(
        created_at=timezone.now(),
        patient_key=patient_id,
        actor_label="Nobody (provider)",
        action=AuditAction.REPORT_VIEWED,
        target="a report",
        outcome=AuditOutcome.ALLOWED,
        previous_hash=previous_hash,
    )
    forged.row_hash = forged.computed_hash()
    sql_execute(
        "INSERT INTO journal_auditevent (created_at, patient_key, actor_key, actor_label, "
        "share_link_key, action, target, ip_address, outcome, previous_hash, row_hash, "
        "redacted_at) VALUES (%s, %s, NULL, %s, NULL, %s, %s, NULL, %s, %s, %s, NULL)",
        [
            connection.ops.adapt_datetimefield_value(forged.created_at),
            patient_id,
            forged.actor_label,
            forged.action,
            forged.target,
            forged.outcome,
            forged.previous_hash,
            forged.row_hash,
        ],
    )
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]


# The chain


def test_appends_from_many_calls_form_one_valid_chain(patient: User) -> None:
    events = events_record(patient, 30)

    check = audit_chain_verify()
    assert check.intact
    assert check.rows == 30
    rows = list(AuditEvent.objects.order_by("pk"))
    assert rows[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.previous_hash == before.row_hash
    assert all(row.row_hash == row.computed_hash() for row in rows)
    assert AuditChainHead.objects.get().last_hash == events[-1].row_hash


# Decided before the test starts: a transactional test that then skips still flushes tables.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent appends need PostgreSQL's row locks"
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_appends_from_many_connections_at_once_form_one_valid_chain(patient: User) -> None:
    audit_record(action=AuditAction.SHARE_CREATED, patient_id=patient.pk)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def append() -> None:
        try:
            start.wait()
            for _ in range(10):
                audit_record(action=AuditAction.REPORT_VIEWED, patient_id=patient.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    check = audit_chain_verify()
    assert check.intact
    assert check.rows == 81


def test_an_empty_log_is_intact() -> None:
    assert audit_chain_verify().intact
    call_command("audit_verify")


def test_redaction_keeps_the_chain_valid(patient: User) -> None:
    own = audit_record(
        action=AuditAction.SHARE_CREATED, patient_id=patient.pk, actor=patient, target="link"
    )
    provider = UserFactory.create(username="dr_okafor")
    seen = audit_record(
        action=AuditAction.REPORT_VIEWED, patient_id=patient.pk, actor=provider, target="report"
    )
    audit_record(action=AuditAction.SHARE_REVOKED, patient_id=patient.pk, actor=patient)

    assert audit_redact_own_actions(patient_id=patient.pk) == 2

    assert audit_chain_verify().intact
    own.refresh_from_db()
    assert (own.actor_label, own.target, own.redacted_at is not None) == ("", "", True)
    seen.refresh_from_db()
    assert (seen.actor_label, seen.target, seen.redacted_at) == (
        "dr_okafor (staff)",
        "report",
        None,
    )


# Tampering behind Sidelog's back


def test_a_row_changed_with_raw_sql_is_found(patient: User) -> None:
    events = events_record(patient, 5)
    sql_execute(
        "UPDATE journal_auditevent SET target = %s WHERE id = %s", ["nothing", events[2].pk]
    )

    assert audit_chain_verify().broken_at == events[2].pk
    assert f"broken at row {events[2].pk} " in verify_command_fails()


def test_a_refusal_turned_into_an_allowed_open_is_found(patient: User) -> None:
    events = events_record(patient, 6)
    refused = events[5]
    assert refused.outcome == AuditOutcome.REFUSED
    sql_execute("UPDATE journal_auditevent SET outcome = 'allowed' WHERE id = %s", [refused.pk])

    assert audit_chain_verify().broken_at == refused.pk


def test_a_row_deleted_with_raw_sql_is_found_at_the_row_after_it(patient: User) -> None:
    events = events_record(patient, 5)
    sql_execute("DELETE FROM journal_auditevent WHERE id = %s", [events[1].pk])

    assert audit_chain_verify().broken_at == events[2].pk
    assert f"broken at row {events[2].pk} " in verify_command_fails()


def test_a_forged_row_inserted_with_raw_sql_is_found(patient: User) -> None:
    events_record(patient, 3)
    forged = forged_row_insert(previous_hash="f" * 64, patient_id=patient.pk)

    assert audit_chain_verify().broken_at == forged
    assert f"broken at row {forged} " in verify_command_fails()


def test_a_forged_row_chained_to_the_newest_is_found_by_the_chain_head(patient: User) -> None:
    events = events_record(patient, 3)
    forged = forged_row_insert(previous_hash=events[-1].row_hash, patient_id=patient.pk)

    assert audit_chain_verify().broken_at == -1
    message = verify_command_fails()
    assert f"broken at row {forged} " in message
    assert "added behind Sidelog's back" in message


def test_dropping_the_newest_rows_is_found(patient: User) -> None:
    events = events_record(patient, 6)
    sql_execute("DELETE FROM journal_auditevent WHERE id > %s", [events[3].pk])

    check = audit_chain_verify()
    assert check.broken_at == -1
    assert check.rows == 4
    message = verify_command_fails()
    assert "newest rows were removed" in message
    assert f"after row {events[3].pk} " in message


def test_the_command_says_an_intact_chain_is_intact(
    patient: User, capsys: pytest.CaptureFixture
) -> None:
    events_record(patient, 4)

    call_command("audit_verify")

    assert "The audit chain is intact: 4 rows checked." in capsys.readouterr().out


def test_a_row_marked_redacted_behind_sidelogs_back_is_found(patient: User) -> None:
    events = events_record(patient, 3)
    sql_execute(
        "UPDATE journal_auditevent SET target = '', redacted_at = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(timezone.now()), events[1].pk],
    )

    assert audit_chain_verify().broken_at == events[1].pk


def test_a_redacted_row_changed_afterwards_is_found(patient: User) -> None:
    refused = audit_record(
        action=AuditAction.SHARE_REFUSED,
        patient_id=patient.pk,
        actor=patient,
        outcome=AuditOutcome.REFUSED,
    )
    audit_redact_own_actions(patient_id=patient.pk)
    sql_execute(
        "UPDATE journal_auditevent SET outcome = 'allowed', action = 'share.opened' WHERE id = %s",
        [refused.pk],
    )

    assert audit_chain_verify().broken_at == refused.pk


def test_a_row_forged_without_the_audit_key_is_found(patient: User) -> None:
    events = events_record(patient, 3)
    with override_settings(AUDIT_KEY="a key other than Sidelog's"):
        forged = forged_row_insert(previous_hash=events[-1].row_hash, patient_id=patient.pk)
    # Moving the chain head along as well leaves only the key to give the forgery away.
    forged_hash = AuditEvent.objects.filter(pk=forged).values_list("row_hash", flat=True)[0]
    sql_execute("UPDATE journal_auditchainhead SET last_hash = %s WHERE id = 1", [forged_hash])

    assert audit_chain_verify().broken_at == forged


def test_a_row_from_an_ipv6_address_written_unusually_verifies(patient: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0::1")
    audit_record(action=AuditAction.SHARE_OPENED, patient_id=patient.pk, request=request)

    assert audit_chain_verify().intact


# Through the application


def test_rows_cannot_be_changed_or_deleted_through_the_orm(patient: User) -> None:
    event = events_record(patient, 1)[0]

    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(target="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    event.target = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()

    stored = AuditEvent.objects.get()
    assert stored.target == "report 0"
    assert audit_chain_verify().intact


# Through the admin


@pytest.fixture
def superuser_client(db: None) -> Client:
    superuser = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    return logged_in_client(superuser)


def test_a_superuser_reads_the_log_in_the_admin(patient: User, superuser_client: Client) -> None:
    event = events_record(patient, 2)[1]

    listing = superuser_client.get(AUDIT_ADMIN)
    assert listing.status_code == 200
    assert b"report 1" in listing.content
    detail = superuser_client.get(f"{AUDIT_ADMIN}{event.pk}/change/")
    assert detail.status_code == 200
    assert event.row_hash.encode() in detail.content
    assert b'name="_save"' not in detail.content
    assert superuser_client.get(f"{AUDIT_ADMIN}?q=report+1").status_code == 200
    assert superuser_client.get(f"{AUDIT_ADMIN}?outcome__exact=refused").status_code == 200


def test_a_superuser_can_neither_add_change_nor_delete_in_the_admin(
    patient: User, superuser_client: Client
) -> None:
    event = events_record(patient, 1)[0]
    change = f"{AUDIT_ADMIN}{event.pk}/change/"
    delete = f"{AUDIT_ADMIN}{event.pk}/delete/"

    assert superuser_client.get(f"{AUDIT_ADMIN}add/").status_code == 403
    assert superuser_client.post(f"{AUDIT_ADMIN}add/", {"target": "x"}).status_code == 403
    assert superuser_client.post(change, {"target": "changed"}).status_code == 403
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403

    listing = superuser_client.get(AUDIT_ADMIN)
    assert b"delete_selected" not in listing.content
    assert b'name="action"' not in listing.content
    superuser_client.post(
        AUDIT_ADMIN, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert AuditEvent.objects.get().target == "report 0"
    assert audit_chain_verify().intact


def test_no_journal_model_but_the_audit_log_is_in_the_admin() -> None:
    personal_apps = {"journal", "accounts", "reports", "sharing", "audit", "privacy"}
    in_admin = [model for model in admin.site._registry if model._meta.app_label in personal_apps]
    assert in_admin == [AuditEvent]


def test_a_superuser_finds_no_journal_data_in_the_admin(superuser_client: Client) -> None:
    for path in (
        "journal/symptomentry",
        "journal/doseevent",
        "journal/medicationcourse",
        "reports/report",
        "sharing/sharelink",
        "accounts/profile",
    ):
        assert superuser_client.get(f"/admin/{path}/").status_code == 404, path


def test_a_content_editor_sees_neither_the_audit_log_nor_any_journal_admin(
    patient: User, editor_client: Client
) -> None:
    event = events_record(patient, 1)[0]

    index = editor_client.get("/admin/")
    assert index.status_code == 200
    assert b"Audit events" not in index.content
    assert b"/admin/journal/" not in index.content
    assert editor_client.get("/admin/journal/").status_code == 404
    assert editor_client.get(AUDIT_ADMIN).status_code == 403
    assert editor_client.get(f"{AUDIT_ADMIN}{event.pk}/change/").status_code == 403
    for model in ("symptomentry", "doseevent", "medicationcourse", "report"):
        assert editor_client.get(f"/admin/journal/{model}/").status_code == 404, model


def test_staff_given_the_audit_permissions_still_cannot_read_the_log(patient: User) -> None:
    events_record(patient, 1)
    staff = ContentEditorFactory.create()
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="audit", codename__endswith="event")
    )
    client = logged_in_client(staff)

    assert client.get(AUDIT_ADMIN).status_code == 403
    assert client.get(f"{AUDIT_ADMIN}add/").status_code == 403


def test_times_in_the_chain_survive_the_database(patient: User) -> None:
    """A stored row hashes the same as when it was written (time zones, microseconds)."""
    event = audit_record(
        action=AuditAction.REPORT_DOWNLOADED, patient_id=patient.pk, target="report"
    )
    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.created_at == event.created_at
    assert stored.computed_hash() == event.row_hash
    assert timezone.now() - stored.created_at < timedelta(minutes=1)
