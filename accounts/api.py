"""The accounts API: a token for a username and password, and the patient's profile.

And what every signed-in API endpoint shares: the 403 it documents, 405 before 404, the
patient it works for, in the patient's own time zone, and a service's refusal as a 400.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from redis import RedisError
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.client_ip import client_ip
from accounts.selectors import patient_profile
from accounts.serializers import (
    LOCKED_OUT,
    WRONG_CREDENTIALS,
    ProfileInputSerializer,
    ProfileOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from accounts.services import profile_update

logger = logging.getLogger(__name__)

NOT_SIGNED_IN = "No valid token or session, or the session's CSRF check failed."
NO_JOURNAL = "There is no journal here."


def refuse_unsupported_method(view: APIView, request: Request) -> None:
    """405 before any 404 for who is asking: which methods exist is in the public schema."""
    method = (request.method or "").lower()
    if method not in view.http_method_names or not hasattr(view, method):
        view.http_method_not_allowed(request)


class SignedInSchema(AutoSchema):
    """An operation that needs a signed-in user also documents the 403 for anyone else."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation and any(operation.get("security") or []):
            operation["responses"].setdefault("403", {"description": NOT_SIGNED_IN})
        return operation


class PatientApi(GenericAPIView[Any]):
    """An endpoint of the signed-in patient's own data; 404 for anyone without a journal."""

    schema = SignedInSchema()
    patient: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Token requests are authenticated inside DRF, after any time-zone middleware ran;
        # `initial` activates the patient's zone, and this puts back whatever was active.
        with timezone.override(timezone.get_current_timezone()):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        refuse_unsupported_method(self, request)
        profile = patient_profile(request.user)
        if profile is None:
            raise NotFound(NO_JOURNAL)
        self.patient = profile.user
        timezone.activate(profile.zone)


@contextmanager
def service_errors() -> Iterator[None]:
    """Services refuse bad input with Django's ValidationError: answer 400, field by field."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages}) from error


class SignInThrottle(ScopedRateThrottle):
    """Sign-in attempts per address, counted in the cache. With Redis down they go
    uncounted rather than fail: the lockouts per account and address (django-axes, in the
    database) still hold."""

    def get_ident(self, request: Request) -> str:
        # The address that lockouts and audit rows count, with the same proxies trusted.
        return client_ip(request._request) or ""

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            logger.warning("Sign-in attempt not counted: %s", error)
            return True


class TokenObtainApi(APIView):
    """Swap a username and password for an API token. Failures count towards the lockout."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]
    throttle_scope = "auth"

    @extend_schema(
        summary="Get an API token",
        tags=["auth"],
        auth=[],
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description=WRONG_CREDENTIALS),
            403: OpenApiResponse(description=LOCKED_OUT),
            429: OpenApiResponse(description="Too many requests; wait a minute."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Through `authenticate` with the request, so that django-axes counts and locks out.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise PermissionDenied(LOCKED_OUT)
        if user is None:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [WRONG_CREDENTIALS]})
        # A sign-in like the web's: clears this user's failed attempts, sets last_login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


NO_PROFILE = OpenApiResponse(description="No journal on this account.")
PROFILE_REFUSED = OpenApiResponse(
    description="Field errors, `{field: [message]}`; nothing written."
)


@extend_schema_view(
    get=extend_schema(
        summary="Your time zone and country",
        tags=["profile"],
        responses={200: ProfileOutputSerializer, 404: NO_PROFILE},
    ),
    patch=extend_schema(
        summary="Change your name on reports, time zone or country",
        tags=["profile"],
        request=ProfileInputSerializer,
        responses={
            200: ProfileOutputSerializer,
            400: PROFILE_REFUSED,
            404: NO_PROFILE,
        },
    ),
)
class ProfileApi(PatientApi):
    """Your name on reports, your journal's time zone, and the country whose emergency and
    crisis numbers red flags give."""

    http_method_names = ["get", "patch", "head", "options"]

    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(self.patient.profile).data)

    def patch(self, request: Request) -> Response:
        profile = self.patient.profile
        serializer = ProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # Fields left out keep their values.
        values = {"time_zone": profile.time_zone, "country": profile.country}
        values |= serializer.validated_data
        with service_errors():
            profile = profile_update(
                user=self.patient,
                time_zone=values["time_zone"],
                email=self.patient.email,
                country=str(values["country"]),
                display_name=values.get("display_name"),
            )
        return Response(ProfileOutputSerializer(profile).data)
