"""Writing and reading the audit log (audit.models); its checkpoints (audit.checkpoints) are
written from here, and audit.verification checks it."""

from __future__ import annotations

import ipaddress
import logging
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.client_ip import client_ip
from accounts.selectors import person_name
from audit.checkpoints import Checkpoint, checkpoint_write, checkpoints_read
from audit.models import GENESIS, AuditAction, AuditChainHead, AuditEvent, AuditOutcome

logger = logging.getLogger(__name__)


class LinkOpened(Protocol):
    """A share link, as the log names it: by its key and who it was made for."""

    pk: int
    recipient: str


def actor_label(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """How a person appears in the log: their display name and role, never health data."""
    if user is None or not user.is_authenticated:
        return "Someone not logged in"
    profile = getattr(user, "profile", None)
    role = profile.get_role_display().lower() if profile else "staff"
    return f"{person_name(user)} ({role})"


def _address(request: HttpRequest | None) -> str | None:
    """The client's address as the database will store it, so the hash still matches."""
    address = client_ip(request) if request is not None else None
    if not address:
        return None
    try:
        return ipaddress.ip_address(address).compressed
    except ValueError:
        return None


@transaction.atomic
def audit_record(
    *,
    action: AuditAction,
    patient_id: int | None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    share_link: LinkOpened | None = None,
    target: str = "",
    request: HttpRequest | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> AuditEvent:
    """Append one row to the chain. Appends take turns on the chain head's row lock.

    Every AUDIT_CHECKPOINT_EVERY rows, a checkpoint of the head is written once the row is
    committed (a row rolled back must not be counted outside the database).
    """
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    label = actor_label(actor)
    if share_link is not None and (actor is None or not actor.is_authenticated):
        label = f"Share link for {share_link.recipient}"
    event = AuditEvent(
        created_at=timezone.now(),
        patient_key=patient_id,
        actor_key=actor.pk if actor is not None and actor.is_authenticated else None,
        actor_label=label[:200],
        share_link_key=share_link.pk if share_link is not None else None,
        action=action,
        target=target[:200],
        ip_address=_address(request),
        outcome=outcome,
        previous_hash=head.last_hash,
    )
    event.row_hash = event.computed_hash()
    event.save()
    head.row_count += 1
    head.last_row_id = event.pk
    head.last_hash = event.row_hash
    head.mac = head.computed_mac()
    head.save(update_fields=["row_count", "last_row_id", "last_hash", "mac"])
    if head.row_count % settings.AUDIT_CHECKPOINT_EVERY == 0:
        checkpoint = Checkpoint.of_head(head, at=event.created_at)

        # A named function, not a partial: Django names it when it reports a failure.
        def checkpoint_after_commit() -> None:
            checkpoint_write(checkpoint)

        transaction.on_commit(checkpoint_after_commit, robust=True)
    return event


def audit_checkpoint_write() -> Checkpoint | None:
    """A checkpoint of the chain head as it stands now (beat asks for one daily).

    A head whose HMAC does not match is not copied out: that would vouch for a forgery.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:  # nothing logged yet, or the head was deleted: say "no rows" as it is
        head = AuditChainHead(last_hash=GENESIS, row_count=0, last_row_id=None)
        head.mac = head.computed_mac()
    if not head.sealed:
        logger.error(
            "No audit checkpoint written: the audit chain head's HMAC does not match "
            "AUDIT_KEY. Run `manage.py audit_verify`."
        )
        return None
    newest = checkpoints_read().newest
    if newest is not None and head.row_count < newest.rows:
        logger.error(
            "The audit chain head counts %d rows, fewer than the checkpoint of %s (%d rows). "
            "Run `manage.py audit_verify`.",
            head.row_count,
            newest.when,
            newest.rows,
        )
    checkpoint = Checkpoint.of_head(head, at=timezone.now())
    checkpoint_write(checkpoint)
    return checkpoint


def audit_caregiver_acted(
    *,
    patient_id: int,
    actor: AbstractBaseUser | None,
    what: str,
    request: HttpRequest | None = None,
) -> None:
    """Someone other than the patient wrote to the patient's journal (a caregiver keeping
    it): say what they did, e.g. "recorded a dose". The patient's own writes (`actor` the
    patient, or None) are not logged."""
    if actor is None or actor.pk == patient_id:
        return
    audit_record(
        action=AuditAction.CAREGIVER_ACTED,
        patient_id=patient_id,
        actor=actor,
        target=what,
        request=request,
    )


def audit_list(*, patient_id: int) -> QuerySet[AuditEvent]:
    """What happened to a patient's data, newest first."""
    return AuditEvent.objects.filter(patient_key=patient_id, redacted_at__isnull=True).order_by(
        "-created_at", "-pk"
    )


def audit_redact_own_actions(*, patient_id: int) -> int:
    """On account deletion: clear the rows of the patient's own actions, keeping the chain.

    Rows of what others did (a provider opening a report) stay as they are: they hold no
    health data, and the people who acted keep their record.
    """
    redacted = 0
    now = timezone.now()
    for event in AuditEvent.objects.filter(patient_key=patient_id, actor_key=patient_id):
        event.actor_label = ""
        event.target = ""
        event.ip_address = None
        event.redacted_at = now
        event.redaction_hash = event.computed_redaction_hash()
        event._redacting = True
        event.save()
        redacted += 1
    return redacted
