"""The headers Django and django-csp leave to us: Cache-Control, Permissions-Policy, and the
inline styles the admin and Swagger UI's page need.

Django's SecurityMiddleware sends HSTS, `nosniff`, Referrer-Policy and
Cross-Origin-Opener-Policy; django-csp sends the Content-Security-Policy of
`CONTENT_SECURITY_POLICY` (settings.py sets them all).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.cache import cc_delim_re

# Routes anyone may read and that hold no one's data: the reference library, its API.
# Their answers to someone not signed in may be cached; every other answer is `no-store`.
CACHEABLE_NAMESPACES = frozenset({"reference", "reference-api"})

# django-simple-history's history list has a `style` attribute; nothing else in the admin.
ADMIN_NAMESPACE = "admin"


class SecurityHeadersMiddleware:
    """Permissions-Policy and X-Frame-Options on every response; `no-store` on every response
    but static files and the public reference library's pages and API as answered, without
    error, to someone not signed in.

    First in MIDDLEWARE, so that it also sees answers made by the middleware after it:
    WhiteNoise's static files, SecurityMiddleware's redirects, the lockout page, errors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.SECURE_PERMISSIONS_POLICY)
        # Also on answers XFrameOptionsMiddleware never sees: static files, early errors.
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if not self._may_be_cached(request, response) and not _no_store(response):
            response["Cache-Control"] = "no-store"
        return response

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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with `'unsafe-inline'` added to style-src on the admin's pages.

    The admin is a namespace of views Django makes, which no decorator of ours wraps, so the
    exception is made here, where django-csp lets a subclass adjust a response's policy.
    Pages of our own that need more say so with django-csp's `csp_update` decorator.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        if match is not None and ADMIN_NAMESPACE in match.namespaces and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts


def inline_style_hashes(template_name: str) -> list[str]:
    """CSP hashes of a template's <style> blocks, which hold no template tags."""
    try:
        source: str = get_template(template_name).template.source  # type: ignore[attr-defined]
    except TemplateDoesNotExist:
        return []
    blocks = re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    digests = (hashlib.sha256(block.encode()).digest() for block in blocks)
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]
