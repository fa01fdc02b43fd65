"""Session lifetime, per request.

A session ends `SESSION_COOKIE_AGE` seconds after it was last refreshed: a request refreshes
it when `SESSION_REFRESH_SECONDS` have passed since the last time (Django saves a changed
session with a new expiry), so reading pages costs no write each time. On top of that a session
ends `SESSION_MAX_LIFETIME` seconds after login however active it is, so a shared or stolen
session cannot stay open for days.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone

LOGGED_IN_AT = "sidelog_logged_in_at"
REFRESHED_AT = "sidelog_refreshed_at"
ENDED_MESSAGE = "Your session ended after 12 hours; please log in again."


def _now_seconds() -> int:
    return int(timezone.now().timestamp())


# Connected when Django loads the middleware at start-up; sessions made before that (or
# without `login()`) get their time on first sight instead.
@receiver(user_logged_in, dispatch_uid="sidelog-session-logged-in-at")
def session_login_time_store(
    sender: Any, request: HttpRequest | None, user: Any = None, **kwargs: Any
) -> None:
    # Only a session login() (it sets request.user first); the API's token sign-in also
    # sends this signal and must not start a session.
    if (
        request is not None
        and hasattr(request, "session")
        and getattr(request, "user", None) == user
    ):
        request.session[LOGGED_IN_AT] = _now_seconds()


class SessionLifetimeMiddleware:
    """Keep an active session open; log out one that began more than `SESSION_MAX_LIFETIME`
    seconds ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            logged_in_at = request.session.get(LOGGED_IN_AT)
            if not isinstance(logged_in_at, int):
                request.session[LOGGED_IN_AT] = _now_seconds()
            elif _now_seconds() - logged_in_at > settings.SESSION_MAX_LIFETIME:
                return self._end(request)
            self._refresh(request)
        return self.get_response(request)

    @staticmethod
    def _refresh(request: HttpRequest) -> None:
        now = _now_seconds()
        refreshed_at = request.session.get(REFRESHED_AT)
        if not isinstance(refreshed_at, int) or now - refreshed_at >= (
            settings.SESSION_REFRESH_SECONDS
        ):
            request.session[REFRESHED_AT] = now

    def _end(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            # API clients get the API's own "not authenticated" answer, not a login page.
            return self.get_response(request)
        messages.info(request, ENDED_MESSAGE)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
