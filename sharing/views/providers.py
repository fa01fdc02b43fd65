"""Providers: the access patients grant them, their accounts, and the reports they may read.

A provider reaches a report only through a grant in force; the sharing selectors check
that on every request, so a revocation takes effect on the provider's very next click.
Everyone else gets the same 404, and every report read or downloaded is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import journal_owner_only
from accounts.forms import apply_service_errors
from accounts.selectors import is_provider, person_name
from reports.content import stored_content
from reports.downloads import report_file_response
from reports.models import Report
from sharing import selectors as sharing
from sharing import services
from sharing.forms.invitations import InvitationAnswerForm
from sharing.forms.providers import GrantForm
from sharing.models import ProviderGrant, token_hash
from sharing.selectors import NOTHING_SHARED
from sharing.views.overview import sharing_context

# The patient's side: granting and revoking


@login_required
@require_POST
def grant_create(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    form = GrantForm(request.POST, patient=patient)
    if form.is_valid():
        try:
            new = services.provider_grant_create(
                patient=patient,
                provider_email=form.cleaned_data["provider_email"],
                all_reports=form.all_reports,
                reports=form.chosen_reports,
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"We emailed an invitation to {new.grant.provider_email}. They can see what "
                "you shared once they open it, log in or create a provider account, and "
                f"accept. It expires in {settings.INVITATION_DAYS} days.",
            )
            return redirect(f"{reverse('sharing:overview')}#providers")
    return render(request, "sharing/overview.html", sharing_context(patient, grant_form=form))


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner_only(request)
    grant = get_object_or_404(sharing.grants_for(patient=patient), pk=pk)
    was_pending = grant.is_pending
    services.provider_grant_revoke(grant=grant, request=request)
    if was_pending:
        messages.success(request, f"The invitation to {grant.provider_email} is withdrawn.")
    else:
        messages.success(request, f"{grant.provider_email} can no longer see your reports.")
    return redirect(f"{reverse('sharing:overview')}#providers")


# Provider accounts: the invitation, answered by the invited provider


def _invitation(token: str) -> ProviderGrant | None:
    """The grant an invitation token belongs to, whatever its state; None if never issued."""
    return (
        ProviderGrant.objects.select_related("patient__profile")
        .prefetch_related("reports")
        .filter(invitation_hash=token_hash(token))
        .first()
    )


INVITATION_PAGE = "sharing/provider/invitation.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def provider_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Who shares what, for how long, with Accept and Decline: nothing changes on a GET."""
    grant = _invitation(token)
    if grant is None or not grant.is_active:
        problem = "This invitation is no longer valid. Ask the patient to share with you again."
        return render(request, INVITATION_PAGE, {"problem": problem}, status=404)
    if grant.invitation_expired():
        expired = {"expired": True, "invitation_days": settings.INVITATION_DAYS}
        return render(request, INVITATION_PAGE, expired, status=410)
    user = request.user
    if not isinstance(user, User):
        here = {"next": request.path}
        context = {
            "login_url": f"{reverse('login')}?{urlencode(here)}",
            "signup_url": f"{reverse('accounts:provider-signup')}?"
            f"{urlencode({'email': grant.provider_email, **here})}",
        }
        return render(request, INVITATION_PAGE, context)
    if grant.provider_id == user.pk:
        messages.info(request, "You have accepted this invitation already.")
        return redirect("sharing:provider-home")
    if not is_provider(user):
        return render(request, INVITATION_PAGE, {"needs_provider_account": True}, status=403)
    if grant.is_accepted:
        problem = "This invitation was accepted by another account."
        return render(request, INVITATION_PAGE, {"problem": problem}, status=403)
    return _invitation_answer(request, token, grant, user)


def _invitation_answer(
    request: HttpRequest, token: str, grant: ProviderGrant, provider: User
) -> HttpResponse:
    form = InvitationAnswerForm(request.POST if request.method == "POST" else None)
    name = person_name(grant.patient)
    if form.is_bound and form.is_valid():
        answer = (
            services.provider_invitation_accept
            if form.accepts
            else services.provider_invitation_decline
        )
        try:
            answer(token=token, provider=provider, request=request)
        except ValidationError as error:
            problem = " ".join(error.messages)
            return render(request, INVITATION_PAGE, {"problem": problem}, status=409)
        if form.accepts:
            messages.success(request, f"{name} shares reports with you.")
        else:
            messages.info(request, f"You declined {name}'s invitation. Nothing is shared.")
        return redirect("sharing:provider-home")
    context = {
        "form": form,
        "grant": grant,
        "patient_name": name,
        "reports": grant.reports.all(),
    }
    return render(request, INVITATION_PAGE, context, status=400 if form.is_bound else 200)


# The provider's pages


def _provider(request: HttpRequest) -> User:
    """The signed-in provider; a 404 for everyone else, that says nothing of what exists."""
    user = request.user
    if not isinstance(user, User) or not is_provider(user):
        raise Http404(NOTHING_SHARED)
    return user


@dataclass(frozen=True)
class SharedPatient:
    name: str
    reports: list[Report]


@never_cache
@login_required
def provider_home(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    reports: dict[int, list[Report]] = {}
    for report in sharing.provider_report_list(provider=provider):
        reports.setdefault(report.patient_id, []).append(report)
    patients = [
        SharedPatient(name=person_name(patient), reports=reports.get(patient.pk, []))
        for patient in sharing.provider_patients(provider=provider)
    ]
    return render(request, "sharing/provider/home.html", {"patients": patients})


@never_cache
@login_required
def provider_report(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _provider(request)
    report = sharing.provider_report_get(provider=provider, pk=pk)
    context = {
        "report": report,
        "content": stored_content(report),
        "patient_name": person_name(report.patient),
        "chart_url": reverse("sharing:provider-download", args=[report.pk, "chart"]),
    }
    response = render(request, "sharing/provider/report.html", context)
    services.provider_report_read(
        report=report, provider=provider, what="summary page", request=request
    )
    return response


@login_required
def provider_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    provider = _provider(request)
    report = sharing.provider_report_get(provider=provider, pk=pk)
    response = report_file_response(report, kind)
    # The chart is the picture on the summary page: a view, not a file taken away.
    services.provider_report_read(report=report, provider=provider, what=kind, request=request)
    return response
