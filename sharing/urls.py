"""Sharing, wherever its pages sit: the patient's sharing page under /journal/, share links
at /s/, a provider's pages at /provider/, a caregiver's at /care/, invitations under
/accounts/. The paths are the ones people's links and bookmarks already hold."""

from __future__ import annotations

from django.urls import path

from sharing.views import caregivers, overview, providers, share_links

app_name = "sharing"

urlpatterns = [
    # The patient's side
    path("journal/sharing/", overview.sharing_overview, name="overview"),
    path("journal/reports/<int:pk>/shares/", share_links.share_create, name="share-create"),
    path("journal/shares/<int:pk>/revoke/", share_links.share_revoke, name="share-revoke"),
    path("journal/shares/<int:pk>/reissue/", share_links.share_reissue, name="share-reissue"),
    path("journal/sharing/providers/", providers.grant_create, name="grant-create"),
    path(
        "journal/sharing/providers/<int:pk>/revoke/",
        providers.grant_revoke,
        name="grant-revoke",
    ),
    path("journal/sharing/caregivers/", caregivers.caregiver_invite, name="caregiver-invite"),
    path(
        "journal/sharing/caregivers/<int:pk>/end/",
        caregivers.caregiver_end,
        name="caregiver-end",
    ),
    # Share links, public: anyone holding a link may open what it shares, nothing else.
    path("s/<str:token>/", share_links.share_open, name="share-open"),
    path("s/<str:token>/<str:kind>/", share_links.share_download, name="share-download"),
    # A provider's pages: the patients who shared with them and those reports.
    path("provider/", providers.provider_home, name="provider-home"),
    path("provider/reports/<int:pk>/", providers.provider_report, name="provider-report"),
    path(
        "provider/reports/<int:pk>/<str:kind>/",
        providers.provider_download,
        name="provider-download",
    ),
    # A caregiver's pages: whose journal they keep, and switching into it.
    path("care/", caregivers.care_home, name="care-home"),
    path("care/switch/<int:patient_id>/", caregivers.care_switch, name="care-switch"),
    path("care/leave/", caregivers.care_leave, name="care-leave"),
    # Invitations, opened from an email
    path(
        "accounts/provider/invite/<str:token>/",
        providers.provider_invitation,
        name="provider-invitation",
    ),
    path(
        "accounts/caregiver/invite/<str:token>/",
        caregivers.caregiver_invitation,
        name="caregiver-invitation",
    ),
]
