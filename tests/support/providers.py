"""Providers: an account with a provider profile, and a patient's grant they have accepted."""

from __future__ import annotations

from django.contrib.auth.models import User

from accounts.models import Profile
from reports.models import Report
from sharing import services
from sharing.models import ProviderGrant
from tests.support.factories import ProfileFactory, UserFactory


def make_provider(
    username: str = "okafor", display_name: str = "Dr Jane Okafor", *, email: str = ""
) -> User:
    """A provider account; its email is `username`@clinic.example unless given."""
    user = UserFactory.create(username=username, email=email or f"{username}@clinic.example")
    ProfileFactory.create(user=user, role=Profile.Role.PROVIDER, display_name=display_name)
    return user


def share(patient: User, provider: User, reports: list[Report] | None = None) -> ProviderGrant:
    """Pat shares (all reports unless `reports`), and the provider opens the emailed
    invitation while logged in."""
    new = services.provider_grant_create(
        patient=patient,
        provider_email=provider.email,
        all_reports=reports is None,
        reports=reports or [],
    )
    return services.provider_invitation_accept(token=new.invitation_token, provider=provider)
