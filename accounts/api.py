"""What every signed-in API endpoint shares: the 403 it documents, 405 before 404, and the
patient it works for, in the patient's own time zone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.selectors import patient_profile

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
