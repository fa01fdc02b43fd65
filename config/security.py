"""What Django 5.2 leaves to us: a Content-Security-Policy, Cache-Control, and a login limit
that holds however many attempts arrive at once.

Django's SecurityMiddleware already sends HSTS, `nosniff`, Referrer-Policy and
Cross-Origin-Opener-Policy (settings.py sets them).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.cache import cc_delim_re
from redis import RedisError

logger = logging.getLogger(__name__)

# Routes anyone may read and that hold no one's data: the reference library, its API.
# Their answers to someone not signed in may be cached; every other answer is `no-store`.
CACHEABLE_NAMESPACES = frozenset({"reference", "reference-api"})

# Swagger UI's page has one inline <style> block (box-sizing and the page background).
SWAGGER_UI_TEMPLATE = "drf_spectacular/swagger_ui.html"
# django-simple-history's history list has a `style` attribute; nothing else in the admin.
ADMIN_NAMESPACE = "admin"


def csp_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def _inline_style_hashes(template_name: str) -> list[str]:
    """CSP hashes of a template's <style> blocks, which hold no template tags."""
    try:
        source: str = get_template(template_name).template.source  # type: ignore[attr-defined]
    except TemplateDoesNotExist:
        return []
    blocks = re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    digests = (hashlib.sha256(block.encode()).digest() for block in blocks)
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy and X-Frame-Options on every response;
    `no-store` on every response but static files and the public reference library's pages
    and API as answered, without error, to someone not signed in.

    First in MIDDLEWARE, so that it also sees answers made by the middleware after it:
    WhiteNoise's static files, SecurityMiddleware's redirects, the lockout page, errors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        policy: dict[str, list[str]] = settings.SECURE_CSP
        self.policy = csp_header(policy)
        style = policy.get("style-src", policy.get("default-src", []))
        self.admin_policy = csp_header({**policy, "style-src": [*style, "'unsafe-inline'"]})
        self.docs_policy = csp_header(
            {**policy, "style-src": [*style, *_inline_style_hashes(SWAGGER_UI_TEMPLATE)]}
        )
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self._policy_for(request))
        response.setdefault("Permissions-Policy", settings.SECURE_PERMISSIONS_POLICY)
        # Also on answers XFrameOptionsMiddleware never sees: static files, early errors.
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if not self._may_be_cached(request, response) and not _no_store(response):
            response["Cache-Control"] = "no-store"
        return response

    def _policy_for(self, request: HttpRequest) -> str:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return self.policy
        if ADMIN_NAMESPACE in match.namespaces:
            return self.admin_policy
        if match.view_name == "api-docs":
            return self.docs_policy
        return self.policy

    def _may_be_cached(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.status_code >= 400:
            return False
        if request.path_info.startswith(self.static_prefix):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace not in CACHEABLE_NAMESPACES:
            return False
        # Signed in, a page carries the person's own menu and a CSRF token. The session,
        # not request.user, which DRF replaces with its own (anonymous) on public API views.
        session = getattr(request, "session", None)
        return session is None or SESSION_KEY not in session


def _no_store(response: HttpResponseBase) -> bool:
    directives = cc_delim_re.split(response.get("Cache-Control", ""))
    return any(directive.strip().lower() == "no-store" for directive in directives)


# The per-account login limit


def _account_key(username: str) -> str:
    digest = hashlib.sha256(username.encode()).hexdigest()
    return f"sidelog:login-attempts:{digest}"


class AccountAttemptLimitBackend:
    """At most `AXES_FAILURE_LIMIT` attempts per account an hour reach the password check.

    django-axes checks its count of failures before the password is checked and adds to it
    after, so attempts that arrive together all pass its check (measured: 15 to 50 of 50
    parallel attempts reached the password check). This backend, after axes' and before
    ModelBackend, takes a numbered place with one atomic cache `incr` per attempt; past the
    limit it refuses as axes does, without looking at the password. A successful login, or
    a password reset, empties the count, as they empty axes'. Every login path goes through
    `authenticate`: the login page, the admin's, the API's token endpoint.

    The count is only as shared as the cache: production uses Redis (`REDIS_URL`); a local
    memory cache counts per process.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if request is None or username is None:
            return None
        try:
            attempt = _attempt_count(username)
        except RedisError as error:
            # Redis down: log in with axes' own limits (kept in the database), not a 500.
            logger.warning("Login attempts for one account not counted: %s", error)
            return None
        if attempt > settings.AXES_FAILURE_LIMIT:
            # Read by AxesMiddleware (the lockout page) and by the token endpoint.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise PermissionDenied("Too many attempts for this account.")
        return None


def _attempt_count(username: str) -> int:
    """This attempt's number in the account's hour."""
    key = _account_key(username)
    window = settings.AXES_COOLOFF_TIME * 60 * 60
    cache.add(key, 0, timeout=window)
    try:
        attempt: int = cache.incr(key)
    except ValueError:  # the hour ended between `add` and `incr`
        cache.add(key, 1, timeout=window)
        attempt = 1
    if attempt == 1:
        # Redis' INCR of a key that expired a moment ago makes one with no expiry.
        cache.touch(key, timeout=window)
    return attempt


def login_attempts_reset(*, username: str) -> None:
    try:
        cache.delete(_account_key(username))
    except RedisError as error:
        logger.warning("Login attempts for one account not reset: %s", error)


@receiver(user_logged_in, dispatch_uid="sidelog-login-attempts-reset")
def _reset_on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    login_attempts_reset(username=user.get_username())
