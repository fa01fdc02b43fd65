"""Reads for sharing: who may see which report, and whose journal a caregiver keeps."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink, token_hash

NOTHING_SHARED = "There is nothing shared here."


def share_link_by_token(token: str) -> ShareLink | None:
    """The link a token opens, whatever its state; None for a token never issued."""
    return (
        ShareLink.objects.select_related("report__patient__profile")
        .filter(token_hash=token_hash(token))
        .first()
    )


def share_links_for(*, report: Report) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(report=report).order_by("-created_at", "-pk")


def provider_reports(*, provider: User) -> QuerySet[Report]:
    """Ready reports shared with this provider by a grant that is still in force."""
    live = ProviderGrant.objects.filter(
        provider=provider, revoked_at__isnull=True, patient=OuterRef("patient")
    )
    shared = live.filter(Q(all_reports=True) | Q(reports=OuterRef("pk")))
    return (
        Report.objects.filter(status=Report.Status.READY)
        .filter(Exists(shared))
        .select_related("patient__profile")
        .order_by("-finished_at", "-pk")
    )


def provider_report_get(*, provider: User, pk: int) -> Report:
    return get_object_or_404(provider_reports(provider=provider), pk=pk)


def provider_report_list(*, provider: User) -> QuerySet[Report]:
    """The reports shared with a provider, without the content each report's page shows."""
    return provider_reports(provider=provider).defer("content")


def provider_patients(*, provider: User) -> QuerySet[User]:
    """Patients with a grant in force for this provider."""
    return (
        User.objects.filter(
            provider_grants__provider=provider, provider_grants__revoked_at__isnull=True
        )
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


def grants_for(*, patient: User) -> QuerySet[ProviderGrant]:
    return (
        ProviderGrant.objects.filter(patient=patient)
        .select_related("provider__profile")
        .prefetch_related("reports")
        .order_by("-created_at", "-pk")
    )


def caregivers_of(*, patient: User) -> QuerySet[CareRelationship]:
    return (
        CareRelationship.objects.filter(patient=patient)
        .select_related("caregiver__profile")
        .order_by("-created_at", "-pk")
    )


def patients_cared_for(*, caregiver: User) -> QuerySet[CareRelationship]:
    """The relationships in force in which this person is the caregiver."""
    return (
        CareRelationship.objects.filter(
            caregiver=caregiver, accepted_at__isnull=False, ended_at__isnull=True
        )
        .select_related("patient__profile")
        .order_by("patient__username")
    )


def care_relationship_active(*, caregiver: User, patient_id: int) -> CareRelationship | None:
    return patients_cared_for(caregiver=caregiver).filter(patient_id=patient_id).first()
