"""How a signed-in person is read on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


class ModelBackend(backends.ModelBackend):
    """Django's own backend, reading the person's profile in the same query: nearly every
    page needs it (their role, time zone and country)."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token sign-in, reading the person's profile in the same query as the token."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        try:
            token = Token.objects.select_related("user__profile").get(key=key)
        except Token.DoesNotExist as missing:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from missing
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
