"""Access and time zone, settled once per request.

`request.access` says whose journal the request reaches (`accounts.access`): a caregiver's
session names the patient they switched to, checked here against the care relationship on
every request. Times are shown in that journal owner's zone, or the signed-in person's own;
UTC for everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.access import ACTING_FOR, Access, own_access
from sharing.selectors import care_relationship_active


def access_resolve(request: HttpRequest) -> Access:
    user = request.user
    session = getattr(request, "session", None)
    patient_id = session.get(ACTING_FOR) if session is not None else None
    if session is None or not (isinstance(user, User) and isinstance(patient_id, int)):
        return own_access(user)
    relationship = care_relationship_active(caregiver=user, patient_id=patient_id)
    if relationship is None:
        del session[ACTING_FOR]
        return Access(user=user, owner=None, ended=True)
    return Access(user=user, owner=relationship.patient)


def _zone_of(user: Any) -> ZoneInfo | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None:
        return None
    try:
        return profile.zone
    except (ZoneInfoNotFoundError, ValueError):
        # A bad stored name must not take every page down; times fall back to UTC.
        return None


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = access_resolve(request)
        request.access = access  # type: ignore[attr-defined]
        zone = _zone_of(access.owner if access.for_someone_else else request.user)
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
