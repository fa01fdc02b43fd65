"""A no-op journal endpoint: the cost of authentication and the patient lookup, nothing more.

`manage.py bench` compares the entries API against it on the same server, so what the
comparison shows is the cost of logging an entry itself. It reads and returns no data.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from journal.api.views import JournalApi


class PingApi(JournalApi):
    """Answers once the token (or session) and the patient's journal are found."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Check your token reaches your journal",
        description='Answers `{"ok": true}` and nothing else: no data is read or written. '
        "It costs what every journal request costs before its own work: authentication "
        "and the patient lookup.",
        tags=["ping"],
        responses={
            200: inline_serializer("Ping", fields={"ok": serializers.BooleanField()}),
            404: OpenApiResponse(description="No journal on this account."),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"ok": True})
