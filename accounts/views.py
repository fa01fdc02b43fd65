"""Accounts: sign up (finished from an emailed link), log in, account settings (with the API
tokens of the person's apps), and Django's password views around them."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.email_links import LinkProblem, LinkRefused, local_path
from accounts.forms import (
    AccountPasswordChangeForm,
    AccountSetPasswordForm,
    AccountSettingsForm,
    LoginForm,
    ProviderSignUpForm,
    SignUpForm,
    apply_service_errors,
)
from accounts.login_limits import login_attempts_reset
from accounts.models import Profile
from accounts.selectors import (
    api_token_of,
    api_tokens_live,
    is_caregiver,
    is_provider,
    patient_profile,
)

MODEL_BACKEND = "accounts.backends.ModelBackend"


def _home_for(user: Any) -> str:
    """Patients land on their journal, providers on what is shared; others on the usual page."""
    if patient_profile(user) is not None:
        return resolve_url("journal:dashboard")
    if is_provider(user):
        return resolve_url("sharing:provider-home")
    if is_caregiver(user):
        return resolve_url("sharing:care-home")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def sign_up_requested(
    request: HttpRequest, form: SignUpForm, *, role: Profile.Role, next_path: str = ""
) -> HttpResponse | None:
    """For a valid sign-up form, the "check your email" page, the same whatever is taken;
    None with the reason on the form when the profile it asks for is not valid.

    The emailed link finishes the account and goes on to `next_path` (an invitation).
    """
    try:
        services.sign_up_request(
            role=role,
            sign_up_path=request.get_full_path(),
            next_path=next_path,
            **form.account_data(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    context = {
        "email": form.cleaned_data["email"],
        "sign_up_path": request.get_full_path(),
        "days": settings.ACCOUNT_ACTIVATION_DAYS,
        "then_invitation": bool(next_path),
    }
    return render(request, "registration/signup_sent.html", context)


def safe_next(request: HttpRequest) -> str | None:
    """The `?next=` page to go on to, if it is one of this site's."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_home_for(request.user))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        sent = sign_up_requested(request, form, role=Profile.Role.PATIENT)
        if sent is not None:
            return sent
    return render(request, "registration/signup.html", {"form": form})


def provider_signup(request: HttpRequest) -> HttpResponse:
    if is_provider(request.user):
        return redirect(safe_next(request) or "sharing:provider-home")
    if request.user.is_authenticated:
        # One account is one role: a patient's journal never turns into a provider's inbox.
        return render(request, "registration/provider_signup.html", {"logged_in_as": request.user})
    form = ProviderSignUpForm(
        request.POST if request.method == "POST" else None,
        initial={"email": request.GET.get("email", "")},
    )
    if form.is_bound and form.is_valid():
        next_path = local_path(safe_next(request) or "")
        sent = sign_up_requested(request, form, role=Profile.Role.PROVIDER, next_path=next_path)
        if sent is not None:
            return sent
    return render(request, "registration/provider_signup.html", {"form": form})


WELCOME = {
    Profile.Role.PATIENT: "Welcome to Sidelog. Your journal is ready.",
    Profile.Role.PROVIDER: "Welcome to Sidelog. Reports that patients share with you appear here.",
    Profile.Role.CAREGIVER: "Welcome to Sidelog. Your account is ready.",
}


def _link_refused(request: HttpRequest, refused: LinkRefused, template: str) -> HttpResponse:
    """The page of a link that no longer works (the template words each problem)."""
    context = {"problem": refused.problem.value, "days": settings.ACCOUNT_ACTIVATION_DAYS}
    status = 404 if refused.problem is LinkProblem.BROKEN else 410
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page that names the account, and a button that finishes it.

    Finishing logs in as the new account, so it takes a POST from this page: a link opened
    by a mail scanner, or one an attacker's page makes a visitor's browser open (to log them
    in to an account of the attacker's), finishes nothing.
    """
    template = "registration/signup_finish.html"
    try:
        if request.method != "POST":
            waiting = services.sign_up_waiting(token=token)
            return render(request, template, {"waiting": waiting})
        finished = services.sign_up_finish(token=token)
    except LinkRefused as refused:
        return _link_refused(request, refused, template)
    login(request, finished.user, backend=MODEL_BACKEND)
    messages.success(request, WELCOME[Profile.Role(finished.user.profile.role)])
    return redirect(finished.next_path or _home_for(finished.user))


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        return _home_for(self.request.user)


class PasswordChangeView(auth_views.PasswordChangeView):
    # Its own template name, so the admin keeps its own password change pages.
    template_name = "registration/account_password_change.html"
    form_class = AccountPasswordChangeForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever had the old password may have signed an app in with it.
        services.api_tokens_end(user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        # Links use the configured address, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = AccountSetPasswordForm

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        services.api_tokens_end(user=self.user)
        # The lockout page offers a reset as the way back in, so a reset lifts it.
        axes_reset(username=self.user.get_username())
        login_attempts_reset(username=self.user.get_username())
        return response


def _settings_profile(request: HttpRequest) -> Profile:
    profile = patient_profile(request.user)
    if profile is None:
        raise Http404("Only patients have account settings here.")
    return profile


TOKENS_SECTION = "#api-tokens"


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    profile = _settings_profile(request)
    patient = profile.user
    form = AccountSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "display_name": profile.display_name,
            "email": patient.email,
            "time_zone": profile.time_zone,
            "country": str(profile.country),
            "date_of_birth": profile.date_of_birth,
            "temperature_unit": profile.temperature_unit,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            services.profile_update(
                user=patient,
                time_zone=form.cleaned_data["time_zone"],
                country=form.cleaned_data["country"],
                display_name=form.cleaned_data["display_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                temperature_unit=form.cleaned_data["temperature_unit"] or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your settings are saved.")
            new_email = User.objects.normalize_email(form.cleaned_data["email"])
            if new_email != patient.email:
                # The same answer whether or not another account holds the address.
                services.email_change_request(user=patient, email=new_email)
                messages.info(
                    request,
                    f"We sent a link to {new_email} to confirm it. Until you open it, Sidelog "
                    f"keeps using {patient.email}.",
                )
            return HttpResponseRedirect(resolve_url("accounts:settings"))
    context = {
        "form": form,
        "now": timezone.now(),
        "api_tokens": api_tokens_live(user=patient),
        "token_idle_minutes": settings.API_TOKEN_IDLE_SECONDS // 60,
        "token_max_hours": settings.API_TOKEN_MAX_LIFETIME // 3600,
    }
    return render(request, "registration/account_settings.html", context)


@never_cache
@login_required
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a new address: following it, logged in, makes it the account's."""
    patient = _settings_profile(request).user
    try:
        email = services.email_change_confirm(user=patient, token=token)
    except LinkRefused as refused:
        return _link_refused(request, refused, "registration/email_confirm_invalid.html")
    messages.success(request, f"Your email is now {email}.")
    return redirect("accounts:settings")


@login_required
@require_POST
def api_token_end(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _settings_profile(request).user
    token = api_token_of(user=patient, pk=pk)
    if token is None:
        raise Http404("No such token of yours.")
    services.api_token_end(token=token)
    messages.success(request, f"“{token.name}” is signed out: its token no longer works.")
    return HttpResponseRedirect(resolve_url("accounts:settings") + TOKENS_SECTION)


@login_required
@require_POST
def api_tokens_end_all(request: HttpRequest) -> HttpResponse:
    patient = _settings_profile(request).user
    services.api_tokens_end(user=patient)
    messages.success(request, "Every app is signed out: none of their tokens works now.")
    return HttpResponseRedirect(resolve_url("accounts:settings") + TOKENS_SECTION)
