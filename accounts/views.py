"""Accounts: sign up, log in, account settings (with the API tokens of the person's apps),
and Django's password views around them."""

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
from django.db import IntegrityError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import services
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


def account_sign_up(form: SignUpForm, *, role: Profile.Role) -> User | None:
    """The account a valid sign-up form asks for, or None with the reason on the form."""
    try:
        return services.user_sign_up(role=role, **form.account_data())
    except IntegrityError:
        # Someone took the name between the form's check and the insert.
        form.add_error("username", "That username was just taken. Choose another.")
    except ValidationError as error:
        apply_service_errors(form, error)
    return None


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
        user = account_sign_up(form, role=Profile.Role.PATIENT)
        if user is not None:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Welcome to Sidelog. Your journal is ready.")
            return redirect("journal:dashboard")
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
        user = account_sign_up(form, role=Profile.Role.PROVIDER)
        if user is not None:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request, "Welcome to Sidelog. Reports that patients share with you appear here."
            )
            return redirect(safe_next(request) or "sharing:provider-home")
    return render(request, "registration/provider_signup.html", {"form": form})


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
        user=patient,
        initial={
            "display_name": profile.display_name,
            "email": patient.email,
            "time_zone": profile.time_zone,
            "country": str(profile.country),
        },
    )
    if form.is_bound and form.is_valid():
        try:
            services.profile_update(
                user=patient,
                time_zone=form.cleaned_data["time_zone"],
                email=form.cleaned_data["email"],
                country=form.cleaned_data["country"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your settings are saved.")
            return HttpResponseRedirect(resolve_url("accounts:settings"))
    context = {
        "form": form,
        "now": timezone.now(),
        "api_tokens": api_tokens_live(user=patient),
        "token_idle_minutes": settings.API_TOKEN_IDLE_SECONDS // 60,
        "token_max_hours": settings.API_TOKEN_MAX_LIFETIME // 3600,
    }
    return render(request, "registration/account_settings.html", context)


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
