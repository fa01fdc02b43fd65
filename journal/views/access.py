"""Whose journal a request may reach. Every journal view starts here."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest

from journal.selectors import patient_profile


def journal_owner(request: HttpRequest) -> User:
    """The patient whose journal this request works on; 404 for anyone without one."""
    profile = patient_profile(request.user)
    if profile is None:
        raise Http404("There is no journal here.")
    return profile.user


def acting_user(request: HttpRequest) -> User:
    """The signed-in person making this change: recorded as who logged it."""
    if not isinstance(request.user, User):
        raise Http404("Log in first.")
    return request.user
