"""Who else may see a patient's data: share links, providers, caregivers.

Secrets (link tokens, invitation tokens, access codes) are never stored, only their
hashes; the plain value is shown to the patient once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from accounts.text_limits import RECIPIENT
from reports.models import Report


def token_new() -> str:
    """A random URL-safe token of 192 bits."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expiry() -> datetime:
    """When an invitation made now stops being accepted (settings.INVITATION_DAYS)."""
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


# Access codes: tries per link in a window, whoever sends them, and wrong ones in the link's
# whole life (settings.SHARE_CODE_ATTEMPTS_LIFETIME), after which it accepts no code at all.
CODE_ATTEMPTS_PER_WINDOW = 10
CODE_WINDOW = timedelta(minutes=10)


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
    # Access-code attempts, counted in the database before each check (code_attempt_reserve).
    code_attempts = models.PositiveIntegerField(default=0, help_text="In the current window.")
    code_window_started_at = models.DateTimeField(null=True, blank=True)
    code_failures = models.PositiveIntegerField(
        default=0, help_text="Wrong access codes in the link's whole life."
    )
    code_locked_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def is_locked(self) -> bool:
        """Too many wrong access codes: it accepts none now, and the patient issues a new one."""
        return self.code_locked_at is not None

    def code_attempt_reserve(self, now: datetime) -> bool:
        """Count one access-code attempt before it is checked; False when none is left.

        One conditional UPDATE: parallel attempts each take a slot or find none, so no more
        codes are checked than the limits allow, however many arrive at once. A window
        that has ended starts again with this attempt.
        """
        window_open = Q(code_window_started_at__gt=now - CODE_WINDOW)
        taken = (
            ShareLink.objects.filter(
                pk=self.pk,
                code_locked_at__isnull=True,
                code_failures__lt=settings.SHARE_CODE_ATTEMPTS_LIFETIME,
            )
            .filter(~window_open | Q(code_attempts__lt=CODE_ATTEMPTS_PER_WINDOW))
            .update(
                code_attempts=Case(
                    When(window_open, then=F("code_attempts") + 1), default=Value(1)
                ),
                code_window_started_at=Case(
                    When(window_open, then=F("code_window_started_at")), default=Value(now)
                ),
                code_failures=F("code_failures") + 1,
            )
        )
        return taken == 1

    def code_attempt_was_right(self) -> None:
        """The reserved attempt held the right code: it is not a wrong one in the link's life."""
        ShareLink.objects.filter(pk=self.pk, code_failures__gt=0).update(
            code_failures=F("code_failures") - 1
        )

    def code_lock_if_spent(self, now: datetime) -> bool:
        """Lock the link once its wrong codes reach the lifetime cap; True for the request
        that locked it (there is exactly one)."""
        locked = ShareLink.objects.filter(
            pk=self.pk,
            code_locked_at__isnull=True,
            code_failures__gte=settings.SHARE_CODE_ATTEMPTS_LIFETIME,
        ).update(code_locked_at=now)
        return locked == 1


class Invitation(models.Model):
    """An invitation sent by email: a token (only its hash kept) that expires, and its answer.

    `is_pending` (nobody has answered, nobody has withdrawn it) is each kind's own."""

    invitation_hash = models.CharField(max_length=64, unique=True)
    invitation_expires_at = models.DateTimeField(default=invitation_expiry)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_pending(self) -> bool:
        raise NotImplementedError

    def invitation_expired(self, now: datetime | None = None) -> bool:
        return self.is_pending and self.invitation_expires_at <= (now or timezone.now())

    @property
    def is_open(self) -> bool:
        """An invitation that can still be accepted or declined."""
        return self.is_pending and not self.invitation_expired()


class ProviderGrant(Invitation):
    """A patient lets a provider see their reports: chosen ones, or all until revoked.

    Made for an email address; `provider` is filled in when someone signed in as a provider
    opens the invitation link sent to that address, which proves they can read its mail,
    sees who shares what, and accepts. Until then it is an invitation: it can be declined,
    withdrawn by the patient, and it expires.
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
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(Invitation.Meta):
        db_table = "journal_providergrant"  # where it has always been

    def __str__(self) -> str:
        return f"Access for {self.provider_email}"

    @property
    def is_active(self) -> bool:
        """Neither revoked nor declined: accepted, or an invitation still open or expired."""
        return self.revoked_at is None and self.declined_at is None

    @property
    def is_accepted(self) -> bool:
        return self.provider_id is not None

    @property
    def is_pending(self) -> bool:
        """An invitation nobody has answered and the patient has not withdrawn."""
        return self.is_active and not self.is_accepted


class CareRelationship(Invitation):
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
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta(Invitation.Meta):
        db_table = "journal_carerelationship"  # where it has always been

    def __str__(self) -> str:
        return f"Caregiver {self.caregiver_email}"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None

    @property
    def is_pending(self) -> bool:
        """An invitation nobody has answered and the patient has not withdrawn."""
        return self.accepted_at is None and self.ended_at is None and self.declined_at is None
