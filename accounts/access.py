"""Whose journal a request may reach. Every journal view starts here.

A patient reaches their own journal. A caregiver reaches the journal of the patient they
switched to, while that patient's invitation is in force; the choice lives in the session
and is checked once per request by `sharing.middleware.AccessMiddleware`, which hands the
answer to views as `request.access`, so ending the access takes effect at once.
Everyone else gets a 404 that does not say whether anything exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest

from accounts.selectors import patient_profile

ACTING_FOR = "sidelog_acting_for"


@dataclass(frozen=True)
class Access:
    """Who is asking, and whose journal they reach: their own as a patient, a patient's as
    their caregiver, none otherwise. `ended`: the caregiver's access to the patient they
    had switched to ended since their last request."""

    user: Any
    owner: User | None
    ended: bool = False

    @property
    def for_someone_else(self) -> bool:
        return self.owner is not None and self.owner.pk != getattr(self.user, "pk", None)


def own_access(user: Any) -> Access:
    """Access to one's own journal, if one has a journal."""
    profile = patient_profile(user)
    return Access(user=user, owner=profile.user if profile is not None else None)


def access_of(request: HttpRequest) -> Access:
    """The request's access: the middleware's, or (outside it) the user's own."""
    access = getattr(request, "access", None)
    return access if isinstance(access, Access) else own_access(request.user)


def acting_user(request: HttpRequest) -> User:
    """The signed-in person making this change: recorded as who logged it."""
    if not isinstance(request.user, User):
        raise Http404("Log in first.")
    return request.user


def journal_owner(request: HttpRequest) -> User:
    """The patient whose journal this request works on; 404 for anyone without one."""
    access = access_of(request)
    if access.ended:
        # The patient ended the access: this request was meant for their journal, so it
        # must not fall through to the caregiver's own.
        raise Http404("This access has ended.")
    if access.owner is None:
        raise Http404("There is no journal here.")
    return access.owner


def journal_owner_only(request: HttpRequest) -> User:
    """The patient themself, for what a caregiver may not do: sharing, inviting, the account."""
    patient = journal_owner(request)
    if patient != request.user:
        raise Http404("Only the patient can do this.")
    return patient
