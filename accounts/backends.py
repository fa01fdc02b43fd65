"""How a signed-in person is read on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.contrib.auth.models import User


class ModelBackend(backends.ModelBackend):
    """Django's own backend, reading the person's profile in the same query: nearly every
    page needs it (their role, time zone and country)."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
