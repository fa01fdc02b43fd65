"""Create the demo accounts for a local try-out and print their passwords once.

Passwords are new on every run, so the only copy is the one printed here. The demo
patient's journal is rebuilt each time: a month ending today, in London time.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Profile
from accounts.services import user_sign_up
from demo.journals import (
    DEMO_DISPLAY_NAME,
    DEMO_EMAIL,
    DEMO_TIME_ZONE,
    DEMO_USERNAME,
    demo_journal_build,
)
from reference.services import content_editors_group_sync
from reports.models import Report
from reports.services import report_build
from sharing.models import CareRelationship, ProviderGrant, token_hash, token_new


def demo_patient_sync(*, password: str) -> User:
    """The demo patient with this password, a patient profile and London time."""
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        return user_sign_up(
            role=Profile.Role.PATIENT,
            username=DEMO_USERNAME,
            email=DEMO_EMAIL,
            password=password,
            time_zone=DEMO_TIME_ZONE,
            display_name=DEMO_DISPLAY_NAME,
        )
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "role": Profile.Role.PATIENT,
            "time_zone": DEMO_TIME_ZONE,
            "display_name": DEMO_DISPLAY_NAME,
        },
    )
    return user


def demo_account_sync(*, username: str, role: str, display_name: str, password: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@sidelog.invalid"}
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={"role": role, "time_zone": DEMO_TIME_ZONE, "display_name": display_name},
    )
    return user


def demo_care_team_sync(*, patient: User, provider: User, caregiver: User, today: date) -> Report:
    """A ready report of the last month, shared with the provider; the caregiver invited."""
    for old in Report.objects.filter(patient=patient):
        old.files_delete()
    Report.objects.filter(patient=patient).delete()
    ProviderGrant.objects.filter(patient=patient).delete()
    CareRelationship.objects.filter(patient=patient).delete()
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=today - timedelta(days=29),
        period_end=today,
    )
    report_build(report_id=report.pk)
    grant = ProviderGrant.objects.create(
        patient=patient,
        provider=provider,
        provider_email=provider.email,
        invitation_hash=token_hash(token_new()),
    )
    grant.reports.set([report])
    CareRelationship.objects.create(
        patient=patient,
        caregiver=caregiver,
        caregiver_email=caregiver.email,
        invitation_hash=token_hash(token_new()),
        accepted_at=timezone.now(),
    )
    return report


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (DEBUG only) and print their passwords."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only (set DEBUG=1).")
        editors = content_editors_group_sync()
        accounts = []
        for username, role in [("editor", "content editor"), ("admin", "administrator")]:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = username == "admin"
            user.save()
            if username == "editor":
                user.groups.add(editors)
            accounts.append((role, username, password))

        password = secrets.token_urlsafe(12)
        patient = demo_patient_sync(password=password)
        today = timezone.localdate(timezone=ZoneInfo(DEMO_TIME_ZONE))
        demo_journal_build(patient=patient, today=today)
        accounts.append(("patient", DEMO_USERNAME, password))
        team = {}
        for username, role, display_name in [
            ("drokafor", Profile.Role.PROVIDER, "Dr Ada Okafor"),
            ("sam", Profile.Role.CAREGIVER, "Sam, the demo patient's partner"),
        ]:
            password = secrets.token_urlsafe(12)
            team[role] = demo_account_sync(
                username=username, role=role, display_name=display_name, password=password
            )
            accounts.append((Profile.Role(role).label.lower(), username, password))
        demo_care_team_sync(
            patient=patient,
            provider=team[Profile.Role.PROVIDER],
            caregiver=team[Profile.Role.CAREGIVER],
            today=today,
        )
        # New passwords: earlier failed attempts in this database no longer count.
        AccessAttempt.objects.filter(username__in=[row[1] for row in accounts]).delete()

        self.stdout.write(
            self.style.SUCCESS("\nSidelog demo accounts (passwords change each start):")
        )
        for role, username, password in accounts:
            self.stdout.write(f"  {role:<16} {username:<8} {password}")
        self.stdout.write("  Journal: http://127.0.0.1:8000/journal/ (log in as demo)")
        self.stdout.write("  Provider: http://127.0.0.1:8000/provider/ (drokafor sees one report)")
        self.stdout.write("  Caregiver: http://127.0.0.1:8000/care/ (sam keeps demo's journal)")
        self.stdout.write("  Admin: http://127.0.0.1:8000/admin/\n")
