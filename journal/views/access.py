"""Whose journal a request may reach. Every journal view starts here.

A patient reaches their own journal. A caregiver reaches the journal of the patient they
switched to, while that patient's invitation is in force; the choice lives in the session
and is checked again on every request, so ending the access takes effect at once.
Everyone else gets a 404 that does not say whether anything exists.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest

from journal.selectors import patient_profile
from journal.sharing.selectors import care_relationship_active

ACTING_FOR = "sidelog_acting_for"


def acting_user(request: HttpRequest) -> User:
    """The signed-in person making this change: recorded as who logged it."""
    if not isinstance(request.user, User):
        raise Http404("Log in first.")
    return request.user


def journal_owner(request: HttpRequest) -> User:
    """The patient whose journal this request works on; 404 for anyone without one."""
    user = request.user
    patient_id = request.session.get(ACTING_FOR)
    if isinstance(user, User) and isinstance(patient_id, int):
        relationship = care_relationship_active(caregiver=user, patient_id=patient_id)
        if relationship is not None:
            return relationship.patient
        # The patient ended the access: this request was meant for their journal, so it
        # must not fall through to the caregiver's own.
        del request.session[ACTING_FOR]
        raise Http404("This access has ended.")
    profile = patient_profile(user)
    if profile is None:
        raise Http404("There is no journal here.")
    return profile.user


def journal_owner_only(request: HttpRequest) -> User:
    """The patient themself, for what a caregiver may not do: sharing, inviting, the account."""
    patient = journal_owner(request)
    if patient != request.user:
        raise Http404("Only the patient can do this.")
    return patient


def is_acting_for_someone_else(request: HttpRequest) -> bool:
    return request.session.get(ACTING_FOR) is not None
