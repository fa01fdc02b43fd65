"""The audit log: who saw or changed what of a patient's data, when, from where.

Rows are only ever appended. Each carries a keyed hash (HMAC, with AUDIT_KEY) of its own
fields and of the row before it, so a row changed, removed or inserted behind Sidelog's
back breaks the chain and is found by `audit.verification.audit_chain_verify`; without the
key nobody can write a chain that verifies, nor seal its head (AuditChainHead), so removing
the newest rows is found too. The only change allowed is redaction when a patient
deletes their account: the row's details are cleared, its hash stays so the chain holds,
and a second keyed hash vouches for the redaction itself.
Rows hold no health data, only keys and short labels, and no foreign keys, so deleting
people never rewrites them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

# The hash the first row follows.
GENESIS = "0" * 64


def audit_mac(text: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


class AuditAction(models.TextChoices):
    REPORT_VIEWED = "report.viewed", "Viewed a report"
    REPORT_DOWNLOADED = "report.downloaded", "Downloaded a report"
    SHARE_CREATED = "share.created", "Created a share link"
    SHARE_REVOKED = "share.revoked", "Revoked a share link"
    SHARE_OPENED = "share.opened", "Opened a share link"
    SHARE_REFUSED = "share.refused", "Was refused by a share link"
    GRANT_CREATED = "grant.created", "Gave a provider access"
    GRANT_REVOKED = "grant.revoked", "Ended a provider's access"
    GRANT_ACCEPTED = "grant.accepted", "Accepted an invitation to see reports"
    GRANT_DECLINED = "grant.declined", "Declined an invitation to see reports"
    GRANT_WITHDRAWN = "grant.withdrawn", "Withdrew a provider's invitation"
    CAREGIVER_INVITED = "caregiver.invited", "Invited a caregiver"
    CAREGIVER_ACCEPTED = "caregiver.accepted", "Became a caregiver"
    CAREGIVER_DECLINED = "caregiver.declined", "Declined to be a caregiver"
    CAREGIVER_WITHDRAWN = "caregiver.withdrawn", "Withdrew a caregiver's invitation"
    CAREGIVER_ENDED = "caregiver.ended", "Ended a caregiver's access"
    CAREGIVER_ACTED = "caregiver.acted", "Acted for the patient"
    DATA_EXPORTED = "data.exported", "Downloaded all of the patient's data"
    CHECKIN_LINK_OPENED = "checkin_link.opened", "Opened a check-in link from a reminder"


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit rows cannot be deleted.")


class AuditEvent(models.Model):
    created_at = models.DateTimeField()
    patient_key = models.BigIntegerField(null=True, db_index=True)
    actor_key = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=200)
    share_link_key = models.BigIntegerField(null=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)
    redacted_at = models.DateTimeField(null=True, blank=True)
    redaction_hash = models.CharField(max_length=64, blank=True, db_default="")

    objects = AppendOnlyQuerySet.as_manager()

    HASHED: ClassVar[tuple[str, ...]] = (
        "created_at",
        "patient_key",
        "actor_key",
        "actor_label",
        "share_link_key",
        "action",
        "target",
        "ip_address",
        "outcome",
        "previous_hash",
    )

    class Meta:
        db_table = "journal_auditevent"  # where it has always been
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["patient_key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not getattr(self, "_redacting", False):
            raise PermissionError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit rows cannot be deleted.")

    def computed_hash(self) -> str:
        values: dict[str, Any] = {name: getattr(self, name) for name in self.HASHED}
        values["created_at"] = self.created_at.isoformat()
        return audit_mac(json.dumps(values, sort_keys=True, separators=(",", ":")))

    def computed_redaction_hash(self) -> str:
        """Vouches for a redacted row: what it still says, and when it was redacted."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.HASHED}
        values["created_at"] = self.created_at.isoformat()
        values["row_hash"] = self.row_hash
        values["redacted_at"] = self.redacted_at.isoformat() if self.redacted_at else ""
        return audit_mac("redacted|" + json.dumps(values, sort_keys=True, separators=(",", ":")))


class AuditChainHead(models.Model):
    """One row sealing the end of the chain; locking it makes appends take turns.

    Its HMAC (with AUDIT_KEY) covers the row count, the newest row's id and hash, so the
    newest rows cannot be removed and the head moved back to match without the key. An
    older head written back whole (a copy kept from before) is still valid: checkpoints
    kept outside the database (audit.checkpoints) find that.
    """

    last_hash = models.CharField(max_length=64)
    row_count = models.PositiveBigIntegerField(default=0)
    last_row_id = models.BigIntegerField(null=True)
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        db_table = "journal_auditchainhead"  # where it has always been

    def __str__(self) -> str:
        return f"{self.row_count} rows, ending {self.last_hash}"

    def computed_mac(self) -> str:
        return head_mac(rows=self.row_count, last_row_id=self.last_row_id, last_hash=self.last_hash)

    @property
    def sealed(self) -> bool:
        """True when its HMAC matches what it says: no one without the key changed it."""
        return hmac.compare_digest(self.mac, self.computed_mac())


def head_mac(*, rows: int, last_row_id: int | None, last_hash: str) -> str:
    """The keyed hash of a chain's end, as the head and every checkpoint of it carry it."""
    values = {"rows": rows, "last_row_id": last_row_id, "last_hash": last_hash}
    return audit_mac("head|" + json.dumps(values, sort_keys=True, separators=(",", ":")))
