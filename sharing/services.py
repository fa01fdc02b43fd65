"""Sharing a patient's reports and journal: links, providers, caregivers.

Every grant and revocation is written to the audit log in the same transaction. Secrets
are returned once, to be shown to the patient, and only their hashes are kept.
"""

from __future__ import annotations

import enum
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import is_caregiver, is_provider, patient_profile
from audit.models import AuditAction, AuditOutcome
from audit.services import actor_label, audit_caregiver_acted, audit_record
from reports.models import Report
from sharing.models import (
    CODE_WINDOW,
    CareRelationship,
    ProviderGrant,
    ShareLink,
    token_hash,
    token_new,
)

logger = logging.getLogger(__name__)

DEFAULT_LINK_DAYS = 14
LONGEST_LINK_DAYS = 90

INVITATION_GONE = "This invitation is no longer valid."
INVITATION_EXPIRED = "This invitation has expired."
NEEDS_PROVIDER_ACCOUNT = "This invitation needs a provider account."
NEEDS_CARE_ACCOUNT = "This invitation needs a patient or caregiver account."


def _email_after_commit(*, subject: str, message: str, to: str) -> None:
    """Send once the grant or invitation is saved; a mail server that is down loses no row
    (the patient sees it on the Sharing page) and costs the request no error."""

    def send() -> None:
        try:
            send_mail(subject=subject, message=message, from_email=None, recipient_list=[to])
        except (OSError, SMTPException):
            logger.exception("Could not email %s", to)

    transaction.on_commit(send)


def _access_end(
    row: ShareLink | ProviderGrant | CareRelationship,
    field: str,
    *,
    action: AuditAction,
    actor: User,
    target: str,
    request: HttpRequest | None,
) -> None:
    """Stamp the moment access ended in `field` and audit it, unless it has ended already (a
    second revocation changes nothing and is not audited again)."""
    if getattr(row, field) is not None:
        return
    setattr(row, field, timezone.now())
    row.save(update_fields=[field])
    audit_record(
        action=action,
        patient_id=row.patient_id,
        actor=actor,
        share_link=row if isinstance(row, ShareLink) else None,
        target=target,
        request=request,
    )


# Share links


@dataclass(frozen=True)
class NewShareLink:
    link: ShareLink
    token: str
    access_code: str | None

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{reverse('sharing:share-open', args=[self.token])}"


@transaction.atomic
def share_link_create(
    *,
    report: Report,
    recipient: str,
    created_by: User,
    days: int = DEFAULT_LINK_DAYS,
    with_access_code: bool = False,
    request: HttpRequest | None = None,
) -> NewShareLink:
    """A link to one ready report. The token and any access code are shown only now."""
    errors: dict[str, str] = {}
    if report.status != Report.Status.READY:
        errors["report"] = "Only a ready report can be shared."
    if not recipient.strip():
        errors["recipient"] = "Say who the link is for, e.g. “Dr Okafor, Riverside Clinic”."
    if not 1 <= days <= LONGEST_LINK_DAYS:
        errors["days"] = f"A link lasts from 1 to {LONGEST_LINK_DAYS} days."
    if errors:
        raise ValidationError(errors)
    token = token_new()
    access_code = f"{secrets.randbelow(10**6):06d}" if with_access_code else None
    link = ShareLink.objects.create(
        report=report,
        recipient=recipient.strip(),
        token_hash=token_hash(token),
        access_code_hash=make_password(access_code) if access_code else "",
        expires_at=timezone.now() + timedelta(days=days),
        created_by=created_by,
    )
    audit_record(
        action=AuditAction.SHARE_CREATED,
        patient_id=report.patient_id,
        actor=created_by,
        share_link=link,
        target=f"{report.period_label}, link for {link.recipient}, {days} days",
        request=request,
    )
    return NewShareLink(link=link, token=token, access_code=access_code)


@transaction.atomic
def share_link_revoke(
    *, link: ShareLink, revoked_by: User, request: HttpRequest | None = None
) -> ShareLink:
    _access_end(
        link,
        "revoked_at",
        action=AuditAction.SHARE_REVOKED,
        actor=revoked_by,
        target=f"{link.report.period_label}, link for {link.recipient}",
        request=request,
    )
    return link


@transaction.atomic
def share_link_reissue(
    *, link: ShareLink, reissued_by: User, request: HttpRequest | None = None
) -> NewShareLink:
    """A new link and access code, for as many days, in place of a locked one (revoked)."""
    days = round((link.expires_at - link.created_at) / timedelta(days=1))
    share_link_revoke(link=link, revoked_by=reissued_by, request=request)
    return share_link_create(
        report=link.report,
        recipient=link.recipient,
        created_by=reissued_by,
        days=min(max(days, 1), LONGEST_LINK_DAYS),
        with_access_code=True,
        request=request,
    )


class CodeAnswer(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    TOO_MANY = "too many"  # tried too often lately: later, maybe
    LOCKED = "locked"  # too many wrong codes in the link's life: never again


@dataclass(frozen=True)
class CodeTry:
    answer: CodeAnswer
    locked_now: bool = False  # this wrong code was the one that locked the link
    retry_after: int = 0  # seconds, when TOO_MANY


def share_link_code_try(*, link: ShareLink, code: str | None) -> CodeTry:
    """Check an access code, counted before the check; `code` None for something that is
    not a code at all, which counts as a wrong one."""
    now = timezone.now()
    if not link.code_attempt_reserve(now):
        link.refresh_from_db(fields=["code_locked_at", "code_window_started_at"])
        if link.is_locked:
            return CodeTry(CodeAnswer.LOCKED)
        window_ends = (link.code_window_started_at or now) + CODE_WINDOW
        wait = math.ceil((window_ends - now).total_seconds())
        return CodeTry(CodeAnswer.TOO_MANY, retry_after=max(wait, 1))
    if code is not None and check_password(code, link.access_code_hash):
        link.code_attempt_was_right()
        return CodeTry(CodeAnswer.RIGHT)
    return CodeTry(CodeAnswer.WRONG, locked_now=link.code_lock_if_spent(now))


# Providers


@dataclass(frozen=True)
class NewGrant:
    grant: ProviderGrant
    invitation_token: str


@transaction.atomic
def provider_grant_create(
    *,
    patient: User,
    provider_email: str,
    all_reports: bool,
    reports: list[Report],
    request: HttpRequest | None = None,
) -> NewGrant:
    """Let a provider see chosen reports, or all of them until revoked; invite them by email."""
    errors: dict[str, str] = {}
    if not all_reports and not reports:
        errors["reports"] = "Choose the reports to share, or share all of them."
    if any(report.patient_id != patient.pk for report in reports):
        errors["reports"] = "Choose from your own reports."
    if errors:
        raise ValidationError(errors)
    # The grant reaches an account only when someone opens the emailed link while logged in
    # as a provider: whoever can read that mailbox, not whoever typed the address.
    has_account = User.objects.filter(
        email__iexact=provider_email, profile__role=Profile.Role.PROVIDER
    ).exists()
    token = token_new()
    grant = ProviderGrant.objects.create(
        patient=patient,
        provider_email=provider_email,
        all_reports=all_reports,
        invitation_hash=token_hash(token),
    )
    if not all_reports:
        grant.reports.set(reports)
    what = "all reports" if all_reports else f"{len(reports)} report(s)"
    audit_record(
        action=AuditAction.GRANT_CREATED,
        patient_id=patient.pk,
        actor=patient,
        target=f"{what} for {provider_email}",
        request=request,
    )
    link = f"{settings.SITE_URL}{reverse('sharing:provider-invitation', args=[token])}"
    _email_after_commit(
        subject="A patient shared their Sidelog reports with you",
        message=(
            f"{actor_label(patient)} has shared side-effect reports with you on Sidelog.\n\n"
            f"{'Log in' if has_account else 'Create your provider account'}, see what is "
            f"shared, and accept or decline:\n{link}\n\n"
            f"The invitation works for {settings.INVITATION_DAYS} days. "
            "The reports describe what the patient recorded. They contain no dosing advice.\n"
        ),
        to=provider_email,
    )
    return NewGrant(grant=grant, invitation_token=token)


def _shared_label(grant: ProviderGrant) -> str:
    return "all reports" if grant.all_reports else f"{grant.reports.count()} report(s)"


def _grant_answered(token: str, provider: User) -> ProviderGrant:
    """The grant an invitation belongs to, locked while the provider answers it; refused
    unless it is still open to them."""
    grant = (
        ProviderGrant.objects.select_for_update().filter(invitation_hash=token_hash(token)).first()
    )
    if grant is None or not grant.is_active:
        raise ValidationError(INVITATION_GONE)
    if grant.is_accepted:
        if grant.provider_id != provider.pk:
            raise ValidationError("This invitation was accepted by another account.")
        return grant
    if grant.invitation_expired():
        raise ValidationError(INVITATION_EXPIRED)
    if not is_provider(provider):
        raise ValidationError(NEEDS_PROVIDER_ACCOUNT)
    return grant


@transaction.atomic
def provider_invitation_accept(
    *, token: str, provider: User, request: HttpRequest | None = None
) -> ProviderGrant:
    """The invited provider, signed in, accepts: the grant reaches their account from now
    on. Accepting again changes nothing."""
    grant = _grant_answered(token, provider)
    if grant.is_accepted:
        return grant
    grant.provider = provider
    grant.accepted_at = timezone.now()
    grant.save(update_fields=["provider", "accepted_at"])
    _invitation_answer_audit(grant, AuditAction.GRANT_ACCEPTED, provider, request)
    return grant


@transaction.atomic
def provider_invitation_decline(
    *, token: str, provider: User, request: HttpRequest | None = None
) -> ProviderGrant:
    """The invited provider says no: the grant ends without ever reaching an account."""
    grant = _grant_answered(token, provider)
    if grant.is_accepted:
        raise ValidationError("You have accepted this invitation already.")
    grant.declined_at = timezone.now()
    grant.save(update_fields=["declined_at"])
    _invitation_answer_audit(grant, AuditAction.GRANT_DECLINED, provider, request)
    return grant


def _invitation_answer_audit(
    grant: ProviderGrant, action: AuditAction, provider: User, request: HttpRequest | None
) -> None:
    audit_record(
        action=action,
        patient_id=grant.patient_id,
        actor=provider,
        target=f"{_shared_label(grant)}, invitation to {grant.provider_email}",
        request=request,
    )


@transaction.atomic
def provider_grant_revoke(
    *, grant: ProviderGrant, request: HttpRequest | None = None
) -> ProviderGrant:
    """End a provider's access; an invitation not yet answered is withdrawn."""
    grant = ProviderGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.declined_at is not None:
        return grant  # it never gave access, and the decline is in the log
    pending = grant.is_pending
    _access_end(
        grant,
        "revoked_at",
        action=AuditAction.GRANT_WITHDRAWN if pending else AuditAction.GRANT_REVOKED,
        actor=grant.patient,
        target=f"{'invitation' if pending else 'access'} for {grant.provider_email}",
        request=request,
    )
    return grant


# Caregivers


@dataclass(frozen=True)
class NewInvitation:
    relationship: CareRelationship
    token: str


@transaction.atomic
def caregiver_invite(
    *, patient: User, email: str, request: HttpRequest | None = None
) -> NewInvitation:
    if email.strip().lower() == patient.email.lower():
        raise ValidationError({"email": "Invite someone else: this is your own address."})
    token = token_new()
    relationship = CareRelationship.objects.create(
        patient=patient, caregiver_email=email.strip(), invitation_hash=token_hash(token)
    )
    audit_record(
        action=AuditAction.CAREGIVER_INVITED,
        patient_id=patient.pk,
        actor=patient,
        target=f"invitation to {relationship.caregiver_email}",
        request=request,
    )
    link = f"{settings.SITE_URL}{reverse('sharing:caregiver-invitation', args=[token])}"
    _email_after_commit(
        subject="You have been invited to help keep a Sidelog journal",
        message=(
            f"{actor_label(patient)} asked you to help keep their side-effect journal on "
            f"Sidelog: logging doses and symptoms for them.\n\nSee what they ask, and accept "
            f"or decline:\n{link}\n\nThe invitation works for {settings.INVITATION_DAYS} days.\n"
        ),
        to=relationship.caregiver_email,
    )
    return NewInvitation(relationship=relationship, token=token)


def may_keep_a_journal(user: User) -> bool:
    """Whether this account can be someone's caregiver: a caregiver's or a patient's."""
    return is_caregiver(user) or patient_profile(user) is not None


def _relationship_answered(token: str, caregiver: User) -> CareRelationship:
    """The relationship an invitation belongs to, locked while the invited person answers
    it; refused unless it is still open to them."""
    relationship = (
        CareRelationship.objects.select_for_update()
        .filter(invitation_hash=token_hash(token))
        .first()
    )
    if relationship is None or not relationship.is_pending:
        raise ValidationError(INVITATION_GONE)
    if relationship.invitation_expired():
        raise ValidationError(INVITATION_EXPIRED)
    if relationship.patient_id == caregiver.pk:
        raise ValidationError("You can't be your own caregiver.")
    if not may_keep_a_journal(caregiver):
        raise ValidationError(NEEDS_CARE_ACCOUNT)
    return relationship


@transaction.atomic
def caregiver_accept(
    *, token: str, caregiver: User, request: HttpRequest | None = None
) -> CareRelationship:
    relationship = _relationship_answered(token, caregiver)
    relationship.caregiver = caregiver
    relationship.accepted_at = timezone.now()
    relationship.save(update_fields=["caregiver", "accepted_at"])
    audit_record(
        action=AuditAction.CAREGIVER_ACCEPTED,
        patient_id=relationship.patient_id,
        actor=caregiver,
        target="caregiver access",
        request=request,
    )
    return relationship


@transaction.atomic
def caregiver_decline(
    *, token: str, caregiver: User, request: HttpRequest | None = None
) -> CareRelationship:
    relationship = _relationship_answered(token, caregiver)
    relationship.declined_at = timezone.now()
    relationship.save(update_fields=["declined_at"])
    audit_record(
        action=AuditAction.CAREGIVER_DECLINED,
        patient_id=relationship.patient_id,
        actor=caregiver,
        target=f"invitation to {relationship.caregiver_email}",
        request=request,
    )
    return relationship


@transaction.atomic
def caregiver_end(
    *, relationship: CareRelationship, ended_by: User, request: HttpRequest | None = None
) -> CareRelationship:
    """End a caregiver's access (the patient or the caregiver); the patient withdraws an
    invitation not yet answered."""
    relationship = CareRelationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.declined_at is not None:
        return relationship
    pending = relationship.is_pending
    _access_end(
        relationship,
        "ended_at",
        action=AuditAction.CAREGIVER_WITHDRAWN if pending else AuditAction.CAREGIVER_ENDED,
        actor=ended_by,
        target=f"{'invitation to' if pending else 'access for'} {relationship.caregiver_email}",
        request=request,
    )
    return relationship


# Reading what is shared: every read, and every refusal, in the patient's audit log


def provider_report_read(
    *, report: Report, provider: User, what: str, request: HttpRequest | None = None
) -> None:
    """A provider read a shared report: a page of it (what: "summary page", "chart", ...)
    or one of its files, taken away (what: "pdf", "csv", "fhir")."""
    downloaded = what in ("pdf", "csv", "fhir")
    audit_record(
        action=AuditAction.REPORT_DOWNLOADED if downloaded else AuditAction.REPORT_VIEWED,
        patient_id=report.patient_id,
        actor=provider,
        target=f"{report.period_label}, {what}",
        request=request,
    )


def share_link_audit(
    *,
    link: ShareLink | None,
    viewer: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    target: str,
    request: HttpRequest | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> None:
    """What a share link's viewer did, or was refused; `link` None for a token that opens
    nothing (the row then belongs to no patient)."""
    audit_record(
        action=action,
        patient_id=link.patient_id if link is not None else None,
        actor=viewer,
        share_link=link,
        target=target,
        request=request,
        outcome=outcome,
    )


def care_journal_opened(
    *, relationship: CareRelationship, request: HttpRequest | None = None
) -> None:
    """A caregiver switched into the journal of the patient they help."""
    audit_caregiver_acted(
        patient_id=relationship.patient_id,
        actor=relationship.caregiver,
        what="opened the journal",
        request=request,
    )
