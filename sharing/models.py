"""Who else may see a patient's data: share links, providers, caregivers.

Secrets (link tokens, invitation tokens, access codes) are never stored, only their
hashes; the plain value is shown to the patient once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.text_limits import RECIPIENT
from reports.models import Report


def token_new() -> str:
    """A random URL-safe token of 192 bits."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ActiveQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> ActiveQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ShareLink(models.Model):
    """A link that shows one ready report to someone without an account, until it expires."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="share_links")
    recipient = models.CharField(max_length=RECIPIENT, help_text="Who the link is for.")
    token_hash = models.CharField(max_length=64, unique=True)
    access_code_hash = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        db_table = "journal_sharelink"  # where it has always been
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Link for {self.recipient}"

    @property
    def patient_id(self) -> int:
        return self.report.patient_id

    def is_active(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def needs_access_code(self) -> bool:
        return bool(self.access_code_hash)


class ProviderGrant(models.Model):
    """A patient lets a provider see their reports: chosen ones, or all until revoked.

    Made for an email address; `provider` is filled in when someone logged in as a provider
    opens the invitation link sent to that address, which proves they can read its mail.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_grants"
    )
    provider_email = models.EmailField()
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants_received",
    )
    all_reports = models.BooleanField(default=False)
    reports = models.ManyToManyField(Report, blank=True, related_name="provider_grants")
    invitation_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "journal_providergrant"  # where it has always been
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Access for {self.provider_email}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CareRelationship(models.Model):
    """A caregiver who may keep a patient's journal for them, from invitation to its end."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caregivers"
    )
    caregiver_email = models.EmailField()
    caregiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="care_for",
    )
    invitation_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "journal_carerelationship"  # where it has always been
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Caregiver {self.caregiver_email}"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.ended_at is None
