"""How a signed-in person is read on each request."""

from __future__ import annotations

import contextlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import backends
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, api_token_secret_hash

KEY_ID = re.compile(r"[0-9a-f]{16}")  # as accounts.services.api_token_create makes them
INVALID_KEY = "Invalid token."
KEY_ENDED = "This token has ended; sign in again for a new one."


class ModelBackend(backends.ModelBackend):
    """Django's own backend, reading the person's profile in the same query: nearly every
    page needs it (their role, time zone and country)."""

    def get_user(self, user_id: Any) -> User | None:
        try:  # get(), not first(), which orders the rows: a fifth of this query's time
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key_id>.<secret>`: the token, its person and their profile in
    one query, the secret checked against its hash.

    A token ends like a session: idle for `API_TOKEN_IDLE_SECONDS`, `API_TOKEN_MAX_LIFETIME`
    after it was made, or when the password changes. Its last use is written at most once
    every `API_TOKEN_REFRESH_SECONDS`, so reading costs no write each time.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        key_id, _, secret = key.partition(".")
        token = None
        if KEY_ID.fullmatch(key_id) and secret:
            # get(), not first(): the key is unique, and first() orders the rows (a fifth of this
            # query's time, on every API request).
            with contextlib.suppress(ApiToken.DoesNotExist):
                token = ApiToken.objects.select_related("user__profile").get(key_id=key_id)
        if token is None or not hmac.compare_digest(
            token.secret_hash, api_token_secret_hash(secret)
        ):
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        now = timezone.now()
        if token.has_ended(now) or not token.stamp_matches(user):
            ApiToken.objects.filter(pk=token.pk).delete()
            raise exceptions.AuthenticationFailed(KEY_ENDED)
        if (now - token.last_used_at).total_seconds() >= settings.API_TOKEN_REFRESH_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
