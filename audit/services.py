"""Writing, reading and checking the audit log (see journal.models.audit)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.client_ip import client_ip
from accounts.selectors import person_name
from audit.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome


class LinkOpened(Protocol):
    """A share link, as the log names it: by its key and who it was made for."""

    pk: int
    recipient: str


GENESIS = "0" * 64


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
    """Append one row to the chain. Appends take turns on the chain head's row lock."""
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
    head.last_hash = event.row_hash
    head.save(update_fields=["last_hash"])
    return event


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


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    broken_at: int | None  # the id of the first row that does not add up

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_chain_verify() -> ChainCheck:
    """Walk the whole chain in order; report the first row altered, removed or inserted."""
    previous = GENESIS
    rows = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        rows += 1
        if event.previous_hash != previous:
            return ChainCheck(rows=rows, broken_at=event.pk)
        if event.redacted_at is None:
            if event.computed_hash() != event.row_hash:
                return ChainCheck(rows=rows, broken_at=event.pk)
        elif event.computed_redaction_hash() != event.redaction_hash:
            return ChainCheck(rows=rows, broken_at=event.pk)
        previous = event.row_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainCheck(rows=rows, broken_at=-1)  # the newest rows were removed
    return ChainCheck(rows=rows, broken_at=None)


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
