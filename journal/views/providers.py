"""Providers: the access patients grant them, their accounts, and the reports they may read.

A provider reaches a report only through a grant in force; the sharing selectors check
that on every request, so a revocation takes effect on the provider's very next click.
Everyone else gets the same 404, and every report read or downloaded is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from journal.audit import audit_record
from journal.forms.journal import apply_service_errors
from journal.forms.providers import GrantForm, ProviderSignUpForm
from journal.reports.content import stored_content
from journal.sharing import selectors as sharing
from journal.sharing import services
from journal.views.access import journal_owner_only
from journal.views.reports import report_file_response
from journal.views.sharing import sharing_context
from reports.models import Report
from sharing.models import ProviderGrant, token_hash

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
NOTHING_SHARED = "There is nothing shared here."


def person_name(user: User) -> str:
    """How a patient or provider is named to the other: their display name, else username."""
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or user.get_username()


def report_target(report: Report, kind: str) -> str:
    """The audit row's target: which report, and what of it was read."""
    return f"report of {report.period_start:%d %b %Y} to {report.period_end:%d %b %Y}, {kind}"


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
                "you shared once they open it and log in or create a provider account.",
            )
            return redirect(f"{reverse('journal:sharing')}#providers")
    return render(request, "journal/sharing.html", sharing_context(patient, grant_form=form))


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner_only(request)
    grant = get_object_or_404(sharing.grants_for(patient=patient), pk=pk)
    services.provider_grant_revoke(grant=grant, request=request)
    messages.success(request, f"{grant.provider_email} can no longer see your reports.")
    return redirect(f"{reverse('journal:sharing')}#providers")


# Provider accounts


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def provider_signup(request: HttpRequest) -> HttpResponse:
    if sharing.is_provider(request.user):
        return redirect(_safe_next(request) or "provider-home")
    if request.user.is_authenticated:
        # One account is one role: a patient's journal never turns into a provider's inbox.
        return render(request, "registration/provider_signup.html", {"logged_in_as": request.user})
    form = ProviderSignUpForm(
        request.POST if request.method == "POST" else None,
        initial={"email": request.GET.get("email", "")},
    )
    if form.is_bound and form.is_valid():
        try:
            user = services.provider_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except IntegrityError:
            # Someone took the name between the form's check and the insert.
            form.add_error("username", "That username was just taken. Choose another.")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request, "Welcome to Sidelog. Reports that patients share with you appear here."
            )
            return redirect(_safe_next(request) or "provider-home")
    return render(request, "registration/provider_signup.html", {"form": form})


def _invitation(token: str) -> ProviderGrant | None:
    """The grant an invitation token belongs to, whatever its state; None if never issued."""
    return ProviderGrant.objects.filter(invitation_hash=token_hash(token)).first()


def provider_invitation(request: HttpRequest, token: str) -> HttpResponse:
    grant = _invitation(token)
    template = "provider/invitation.html"
    if grant is None or not grant.is_active:
        problem = "This invitation is no longer valid. Ask the patient to share with you again."
        return render(request, template, {"problem": problem}, status=404)
    if not request.user.is_authenticated:
        here = {"next": request.path}
        context = {
            "login_url": f"{reverse('login')}?{urlencode(here)}",
            "signup_url": f"{reverse('provider-signup')}?"
            f"{urlencode({'email': grant.provider_email, **here})}",
        }
        return render(request, template, context)
    provider = request.user
    if not isinstance(provider, User) or not sharing.is_provider(provider):
        return render(request, template, {"needs_provider_account": True}, status=403)
    try:
        grant = services.provider_invitation_accept(token=token, provider=provider)
    except ValidationError as error:
        return render(request, template, {"problem": " ".join(error.messages)}, status=403)
    messages.success(request, f"{person_name(grant.patient)} shares reports with you.")
    return redirect("provider-home")


# The provider's pages


def _provider(request: HttpRequest) -> User:
    """The signed-in provider; a 404 for everyone else, that says nothing of what exists."""
    user = request.user
    if not isinstance(user, User) or not sharing.is_provider(user):
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
    for report in sharing.provider_reports(provider=provider):
        reports.setdefault(report.patient_id, []).append(report)
    patients = [
        SharedPatient(name=person_name(patient), reports=reports.get(patient.pk, []))
        for patient in sharing.provider_patients(provider=provider)
    ]
    return render(request, "provider/home.html", {"patients": patients})


@never_cache
@login_required
def provider_report(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _provider(request)
    report = sharing.provider_report_get(provider=provider, pk=pk)
    context = {
        "report": report,
        "content": stored_content(report),
        "patient_name": person_name(report.patient),
        "chart_url": reverse("provider-download", args=[report.pk, "chart"]),
    }
    response = render(request, "provider/report.html", context)
    audit_record(
        action=AuditAction.REPORT_VIEWED,
        patient_id=report.patient_id,
        actor=provider,
        target=report_target(report, "summary page"),
        request=request,
    )
    return response


@login_required
def provider_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    provider = _provider(request)
    report = sharing.provider_report_get(provider=provider, pk=pk)
    response = report_file_response(report, kind)
    # The chart is the picture on the summary page: a view, not a file taken away.
    action = AuditAction.REPORT_VIEWED if kind == "chart" else AuditAction.REPORT_DOWNLOADED
    audit_record(
        action=action,
        patient_id=report.patient_id,
        actor=provider,
        target=report_target(report, kind),
        request=request,
    )
    return response
