"""Caregivers: the patient's invitations, and keeping a patient's journal for them.

A patient invites someone by email and can end their access at any moment. The invited
person accepts with the account they have, or one made from the invitation, then opens
the patient's journal from /care/. Which journal they keep lives in the session and is
checked again on every request (accounts.access), so an ending takes effect at once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import ACTING_FOR, acting_user, journal_owner_only
from accounts.forms import CaregiverSignUpForm, apply_service_errors
from accounts.models import Profile, patient_zone
from accounts.selectors import patient_profile, person_name
from accounts.views import sign_up_requested
from sharing import services
from sharing.forms.caregivers import CaregiverInviteForm
from sharing.forms.invitations import InvitationAnswerForm
from sharing.models import CareRelationship, token_hash
from sharing.selectors import care_relationship_active, patients_cared_for

# The patient's side: on their Sharing page


@login_required
def caregiver_invite(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    form = CaregiverInviteForm(request.POST if request.method == "POST" else None, patient=patient)
    if form.is_bound and form.is_valid():
        try:
            invitation = services.caregiver_invite(
                patient=patient, email=form.cleaned_data["email"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            email = invitation.relationship.caregiver_email
            messages.success(request, f"Invitation sent to {email}.")
            return redirect("sharing:overview")
    return render(request, "sharing/care/invite.html", {"form": form})


def _relationship_of(user: User, pk: int) -> CareRelationship:
    """A relationship in which this person is the patient or the caregiver; 404 otherwise."""
    mine = CareRelationship.objects.filter(Q(patient=user) | Q(caregiver=user))
    return get_object_or_404(mine.select_related("patient__profile"), pk=pk)


@login_required
@require_POST
def caregiver_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient ends a caregiver's access (or an invitation); a caregiver stops helping."""
    user = acting_user(request)
    relationship = _relationship_of(user, pk)
    was_pending = relationship.is_pending
    services.caregiver_end(relationship=relationship, ended_by=user, request=request)
    if relationship.patient_id == user.pk:
        email = relationship.caregiver_email
        if was_pending:
            messages.success(request, f"The invitation to {email} is withdrawn.")
        else:
            messages.success(request, f"{email} can no longer keep your journal.")
        return redirect("sharing:overview")
    if request.session.get(ACTING_FOR) == relationship.patient_id:
        del request.session[ACTING_FOR]
    name = person_name(relationship.patient)
    messages.success(request, f"You no longer keep {name}'s journal.")
    return redirect("sharing:care-home")


# The invited person's side


def _invitation_by_token(token: str) -> CareRelationship | None:
    return (
        CareRelationship.objects.select_related("patient__profile")
        .filter(invitation_hash=token_hash(token))
        .first()
    )


def _invitation_invalid(request: HttpRequest, reason: str = "") -> HttpResponse:
    context = {"reason": reason or services.INVITATION_GONE}
    return render(request, "sharing/care/invitation_invalid.html", context, status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def caregiver_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Who invites, what the caregiver will see and do, with Accept and Decline (or a sign-up
    that accepts); nothing changes on a GET."""
    relationship = _invitation_by_token(token)
    if relationship is None:
        return _invitation_invalid(request)
    if relationship.is_active and relationship.caregiver_id == request.user.pk:
        messages.info(request, "You have already accepted this invitation.")
        return redirect("sharing:care-home")
    if not relationship.is_pending:
        return _invitation_invalid(request)
    if relationship.invitation_expired():
        context = {"invitation_days": settings.INVITATION_DAYS}
        return render(request, "sharing/care/invitation_expired.html", context, status=410)
    if isinstance(request.user, User):
        return _invitation_answer(request, token, relationship, request.user)
    return _invitation_sign_up(request, relationship)


def _invitation_answer(
    request: HttpRequest, token: str, relationship: CareRelationship, user: User
) -> HttpResponse:
    name = person_name(relationship.patient)
    own = relationship.patient_id == user.pk
    context = {
        "invitation": relationship,
        "patient_name": name,
        "own_invitation": own,
        "needs_care_account": not own and not services.may_keep_a_journal(user),
    }
    if context["needs_care_account"]:
        return render(request, "sharing/care/invitation.html", context, status=403)
    form = InvitationAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        answer = services.caregiver_accept if form.accepts else services.caregiver_decline
        try:
            answer(token=token, caregiver=user, request=request)
        except ValidationError as error:
            return _invitation_invalid(request, " ".join(error.messages))
        if form.accepts:
            messages.success(request, f"You can now keep {name}'s journal.")
        else:
            messages.info(request, f"You declined {name}'s invitation.")
        return redirect("sharing:care-home")
    context["form"] = form
    status = 400 if form.is_bound else 200
    return render(request, "sharing/care/invitation.html", context, status=status)


def _invitation_sign_up(request: HttpRequest, relationship: CareRelationship) -> HttpResponse:
    form = CaregiverSignUpForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": relationship.caregiver_email,
            "time_zone": str(patient_zone(relationship.patient)),
        },
    )
    if form.is_bound and form.is_valid():
        # Answered the same whatever is taken; the emailed link finishes the account and
        # comes back here, where the new account answers like any other.
        sent = sign_up_requested(request, form, role=Profile.Role.CAREGIVER, next_path=request.path)
        if sent is not None:
            return sent
    context = {
        "form": form,
        "invitation": relationship,
        "patient_name": person_name(relationship.patient),
    }
    return render(request, "registration/caregiver_signup.html", context)


# The caregiver's own pages


@login_required
def care_home(request: HttpRequest) -> HttpResponse:
    relationships = patients_cared_for(caregiver=acting_user(request))
    return render(request, "sharing/care/home.html", {"relationships": relationships})


@login_required
@require_POST
def care_switch(request: HttpRequest, patient_id: int) -> HttpResponse:
    caregiver = acting_user(request)
    relationship = care_relationship_active(caregiver=caregiver, patient_id=patient_id)
    if relationship is None:
        raise Http404("There is no journal here.")
    request.session[ACTING_FOR] = relationship.patient_id
    services.care_journal_opened(relationship=relationship, request=request)
    return redirect("journal:dashboard")


@login_required
@require_POST
def care_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(ACTING_FOR, None)
    messages.info(request, "You are back in your own account.")
    if patient_profile(request.user) is not None:
        return redirect("journal:dashboard")
    return redirect("sharing:care-home")
