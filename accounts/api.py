"""The accounts API: a token for a username and password, the person's tokens, and the
patient's profile.

And what every signed-in API endpoint shares: the 403 it documents, 405 before 404, the
patient it works for, in the patient's own time zone, and a service's refusal as a 400.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from redis import RedisError
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.client_ip import client_ip
from accounts.models import ApiToken, patient_zone
from accounts.selectors import api_token_of, api_tokens_live, patient_profile
from accounts.serializers import (
    LOCKED_OUT,
    WRONG_CREDENTIALS,
    ApiTokenOutputSerializer,
    ProfileInputSerializer,
    ProfileOutputSerializer,
    TokenInputSerializer,
    TokenListItemSerializer,
    TokenOutputSerializer,
)
from accounts.services import UNCHANGED, api_token_create, api_token_end, profile_update

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


class SignedInApi(GenericAPIView[Any]):
    """An endpoint of the signed-in person's own things, in their time zone."""

    schema = SignedInSchema()
    person: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Token requests are authenticated inside DRF, after any time-zone middleware ran;
        # `initial` activates the person's zone, and this puts back whatever was active.
        with timezone.override(timezone.get_current_timezone()):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        refuse_unsupported_method(self, request)
        self.person = cast(User, request.user)  # IsAuthenticated let only a person through
        timezone.activate(patient_zone(self.person))


class PatientApi(SignedInApi):
    """An endpoint of the signed-in patient's own data; 404 for anyone without a journal."""

    patient: User

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        profile = patient_profile(self.person)
        if profile is None:
            raise NotFound(NO_JOURNAL)
        self.patient = profile.user

    def found(self, getter: Callable[..., Model], pk: int) -> Any:
        """The patient's row that `getter` (a selector raising Http404) finds; else 404."""
        try:
            return getter(patient=self.patient, pk=pk)
        except Http404:
            raise NotFound() from None


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


NOT_SENT_WITH_A_KEY = "This request was not made with a token: there is none to end."
NO_SUCH_KEY = "You have no token with this id."


class TokenObtainApi(APIView):
    """Swap a username and password for a new API token (POST; failures count towards the
    lockout), or end the token a request is made with (DELETE: the app signs out)."""

    schema = SignedInSchema()
    throttle_scope = "auth"

    def _method(self) -> str | None:
        # None while drf-spectacular builds its mock request for the schema.
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self) -> list[Any]:
        # Signing in takes no credentials: a stale token sent along must not refuse it.
        return [] if self._method() == "POST" else super().get_authenticators()

    def get_permissions(self) -> Sequence[Any]:
        # Methods other than these two are answered 405, signed in or not.
        return super().get_permissions() if self._method() == "DELETE" else [AllowAny()]

    def get_throttles(self) -> list[Any]:
        return [SignInThrottle()] if self._method() == "POST" else []

    @extend_schema(
        summary="Get an API token",
        description="Each sign-in makes a new token, named for the app it is for. It ends "
        "after 30 minutes unused, 12 hours after sign-in, when the password changes, or when "
        "it is ended here or in the account's settings.",
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
        credentials = serializer.validated_data
        # Through `authenticate` with the request, so that django-axes counts and locks out.
        user = authenticate(
            request=request, username=credentials["username"], password=credentials["password"]
        )
        if getattr(request, "axes_locked_out", False):
            raise PermissionDenied(LOCKED_OUT)
        if user is None:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [WRONG_CREDENTIALS]})
        # A sign-in like the web's: clears this user's failed attempts, sets last_login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        issued = api_token_create(user=user, name=credentials.get("name", ""))
        with timezone.override(patient_zone(user)):
            body = ApiTokenOutputSerializer(issued.token).data
        return Response({"token": issued.key, **body})

    @extend_schema(
        summary="End this token (sign the app out)",
        description="The token this request is sent with stops working at once.",
        tags=["auth"],
        request=None,
        responses={204: None, 404: OpenApiResponse(description=NOT_SENT_WITH_A_KEY)},
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise NotFound(NOT_SENT_WITH_A_KEY)
        api_token_end(token=request.auth)
        return Response(status=204)


@extend_schema_view(
    get=extend_schema(
        summary="Your API tokens",
        description="The tokens your apps signed in with that still work, the most recently "
        "used first. Only their names and times: a token itself is shown once, at sign-in.",
        tags=["auth"],
        responses={200: TokenListItemSerializer(many=True)},
    )
)
class TokenListApi(SignedInApi):
    """The signed-in person's live tokens, with the one this request came with marked."""

    http_method_names = ["get", "head", "options"]
    serializer_class = TokenListItemSerializer

    def get(self, request: Request) -> Response:
        tokens = api_tokens_live(user=self.person)
        page = self.paginate_queryset(tokens)
        context = {"current_token_id": getattr(request.auth, "pk", None)}
        data = TokenListItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


@extend_schema_view(
    delete=extend_schema(
        summary="End one of your API tokens",
        description="That app is signed out: its token stops working at once.",
        tags=["auth"],
        responses={204: None, 404: OpenApiResponse(description=NO_SUCH_KEY)},
    )
)
class TokenDetailApi(SignedInApi):
    """One of the signed-in person's tokens; anyone else's is not found."""

    http_method_names = ["delete", "options"]

    def delete(self, request: Request, pk: int) -> Response:
        token = api_token_of(user=self.person, pk=pk)
        if token is None:
            raise NotFound(NO_SUCH_KEY)
        api_token_end(token=token)
        return Response(status=204)


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
                country=str(values["country"]),
                display_name=values.get("display_name"),
                date_of_birth=values.get("date_of_birth", UNCHANGED),
            )
        return Response(ProfileOutputSerializer(profile).data)
