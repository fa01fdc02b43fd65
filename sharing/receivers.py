"""What sharing does when something it shares goes away."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from reports.models import Report
from sharing.models import ProviderGrant, ShareLink
from sharing.services import provider_grant_revoke, share_link_revoke


def report_deleted_unshare(
    sender: Any, *, report: Report, deleted_by: User, request: HttpRequest | None, **_: Any
) -> None:
    """A report being deleted: revoke its live links (audited, before the rows go with the
    report) and end the provider access that it alone gave."""
    for link in ShareLink.objects.active().filter(report=report).select_related("report"):
        share_link_revoke(link=link, revoked_by=deleted_by, request=request)
    chosen = ProviderGrant.objects.filter(
        reports=report, all_reports=False, revoked_at__isnull=True, declined_at__isnull=True
    )
    for grant in chosen:
        if not grant.reports.exclude(pk=report.pk).exists():
            provider_grant_revoke(grant=grant, request=request)
