"""What Django 5.2 leaves to us: a Content-Security-Policy and Cache-Control.

Django's SecurityMiddleware already sends HSTS, `nosniff`, Referrer-Policy and
Cross-Origin-Opener-Policy (settings.py sets them).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

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
