"""The share-links API: make a link to one of your ready reports, list them, revoke one.

A link's full URL (and its access code, if asked for) is in the answer to the POST that
made it and nowhere else: only a hash of the token is kept. Only the patient themself
reaches these endpoints; anyone else gets 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import service_errors
from accounts.serializers import TextField
from accounts.text_limits import RECIPIENT
from journal.api.serializers import FlagField, WholeNumberField
from journal.api.views import BAD_INPUT, NOT_FOUND, JournalApi, JournalDetailApi
from reports import selectors as report_selectors
from reports.models import Report
from sharing.models import ShareLink
from sharing.selectors import share_links_for
from sharing.services import (
    DEFAULT_LINK_DAYS,
    LONGEST_LINK_DAYS,
    share_link_create,
    share_link_revoke,
)


class ShareLinkInputSerializer(serializers.Serializer[Any]):
    recipient = TextField(
        max_length=RECIPIENT, help_text="Who the link is for, e.g. “Dr Okafor, Riverside Clinic”."
    )
    days = WholeNumberField(
        min_value=1,
        max_value=LONGEST_LINK_DAYS,
        default=DEFAULT_LINK_DAYS,
        help_text=f"How long the link works, 1 to {LONGEST_LINK_DAYS} days.",
    )
    access_code = FlagField(
        default=False,
        help_text="Also ask for a 6-digit code, returned once, to give to the recipient "
        "separately from the link.",
    )


class ShareLinkOutputSerializer(serializers.ModelSerializer[ShareLink]):
    status = serializers.SerializerMethodField()
    needs_access_code = serializers.BooleanField(read_only=True)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "report",
            "recipient",
            "created_at",
            "expires_at",
            "revoked_at",
            "status",
            "needs_access_code",
        ]

    def get_status(self, link: ShareLink) -> str:
        """active, expired, revoked, or locked (too many wrong access codes: it accepts no
        code now; revoke it and make a new one)."""
        if link.revoked_at is not None:
            return "revoked"
        if not link.is_active():
            return "expired"
        return "locked" if link.is_locked else "active"


class NewShareLinkOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="link.pk")
    recipient = serializers.CharField(source="link.recipient")
    expires_at = serializers.DateTimeField(source="link.expires_at")
    url = serializers.CharField(help_text="The full link. Shown only this once.")
    access_code = serializers.CharField(
        allow_null=True, help_text="The 6-digit code, or null. Shown only this once."
    )


@extend_schema_view(
    get=extend_schema(
        summary="List the links to one of your reports",
        tags=["shares"],
        description="Newest first. Links are listed without their tokens, which are not kept.",
        responses={200: ShareLinkOutputSerializer(many=True), 404: NOT_FOUND},
    ),
    post=extend_schema(
        summary="Make a link to one of your ready reports",
        tags=["shares"],
        description="Anyone holding the link can read the report and download its files, "
        "without an account, until it expires or you revoke it. The answer holds the full "
        "link and any access code: they are not shown again.",
        request=ShareLinkInputSerializer,
        responses={
            201: NewShareLinkOutputSerializer,
            400: BAD_INPUT,
            404: NOT_FOUND,
        },
    ),
)
class ShareLinkListApi(JournalApi):
    """The links to one of your reports."""

    input_serializer = ShareLinkInputSerializer
    output_serializer = ShareLinkOutputSerializer

    def report(self, pk: int) -> Report:
        report: Report = self.found(report_selectors.report_get, pk)
        return report

    def get(self, request: Request, pk: int) -> Response:
        links: QuerySet[ShareLink] = share_links_for(report=self.report(pk))
        page = self.paginate_queryset(links)
        if page is None:
            return Response(self.represent(links, many=True))
        return self.get_paginated_response(self.represent(page, many=True))

    def post(self, request: Request, pk: int) -> Response:
        report = self.report(pk)
        values = self.validated()
        with service_errors():
            new_link = share_link_create(
                report=report,
                recipient=values["recipient"],
                created_by=cast(User, request.user),
                days=values["days"],
                with_access_code=values["access_code"],
                request=request._request,
            )
        body = NewShareLinkOutputSerializer(new_link).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


@extend_schema_view(
    get=extend_schema(summary="Get one of your share links"),
    delete=extend_schema(
        summary="Revoke a share link",
        description="It stops opening anything at once. Revoking a revoked link is a no-op.",
        responses={204: None, 404: NOT_FOUND},
    ),
)
class ShareLinkDetailApi(JournalDetailApi):
    """One of your share links: its recipient, dates and status; never its token."""

    http_method_names = ["get", "delete", "head", "options"]
    output_serializer = ShareLinkOutputSerializer

    def row(self, pk: int) -> ShareLink:
        links = ShareLink.objects.filter(report__patient=self.patient).select_related("report")
        link = links.filter(pk=pk).first()
        if link is None:
            raise NotFound()
        return link

    def remove(self, row: ShareLink) -> None:
        share_link_revoke(link=row, revoked_by=self.patient, request=self.request._request)
