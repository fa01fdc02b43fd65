"""Create the demo accounts for a local try-out and print their passwords once.

Passwords are new on every run, so the only copy is the one printed here.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reference.services import content_editors_group_sync


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (DEBUG only) and print their passwords."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only (set DEBUG=1).")
        User = get_user_model()
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

        self.stdout.write(
            self.style.SUCCESS("\nSidelog demo accounts (passwords change each start):")
        )
        for role, username, password in accounts:
            self.stdout.write(f"  {role:<16} {username:<8} {password}")
        self.stdout.write("  Admin: http://127.0.0.1:8000/admin/\n")
