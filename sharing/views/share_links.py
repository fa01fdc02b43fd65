"""Share links: made by patients, opened by anyone holding one.

A link opens one ready report and its files, and nothing else of the patient. Every open,
download and refusal is audited. Failed guesses (unknown tokens, wrong access codes) are
counted per address in the cache, and past the limit nothing is looked up at all, so
tokens can't be found by trying many. Access codes are counted on the link itself, in the
database, before each check (`services.share_link_code_try`): a few per window whatever the
address, and a lifetime cap after which the link is locked and the patient issues a new one.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from redis import RedisError

from accounts.access import journal_owner_only
from accounts.client_ip import client_ip
from accounts.forms import apply_service_errors
from audit.models import AuditAction, AuditOutcome
from reports import selectors as report_selectors
from reports.content import stored_content
from reports.downloads import FILES, report_file_response
from reports.models import Report
from sharing import services
from sharing.forms.share_links import AccessCodeForm, ShareLinkForm
from sharing.models import ShareLink
from sharing.selectors import share_link_by_token
from sharing.services import (
    CodeAnswer,
    NewShareLink,
    share_link_code_try,
    share_link_create,
    share_link_reissue,
    share_link_revoke,
)

logger = logging.getLogger(__name__)

FAILURE_LIMIT = 10
FAILURE_WINDOW = 10 * 60  # seconds
UNLOCKED = "sidelog_share_unlocked"  # session: ids of links whose access code was given

# The patient's side


def _own_link(*, patient: User, pk: int) -> ShareLink:
    links = ShareLink.objects.filter(report__patient=patient).select_related("report")
    return get_object_or_404(links, pk=pk)


def _link_created(request: HttpRequest, report: Report, new_link: NewShareLink) -> HttpResponse:
    """The new link and any access code, shown this once: they are never stored."""
    context = {"report": report, "new_link": new_link}
    response = render(request, "sharing/share/link_created.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@login_required
@require_POST
def share_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a link and show it, with any access code, this once: it is never stored."""
    patient = journal_owner_only(request)
    report = report_selectors.report_get(patient=patient, pk=pk)
    if report.status != Report.Status.READY:  # its page has no share form to show errors on
        messages.error(request, "Only a ready report can be shared.")
        return redirect(report)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            new_link = share_link_create(
                report=report, created_by=patient, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _link_created(request, report, new_link)
    context = {
        "report": report,
        "content": stored_content(report),
        "share_form": form,
    }
    return render(request, "reports/report_detail.html", context)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner_only(request)
    link = _own_link(patient=patient, pk=pk)
    share_link_revoke(link=link, revoked_by=patient, request=request)
    messages.success(request, f"The link for {link.recipient} is revoked: it opens nothing now.")
    if request.POST.get("back") == "sharing":
        return redirect("sharing:overview")
    return redirect(link.report)


@never_cache
@login_required
@require_POST
def share_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """A locked link's replacement: a new link and access code, the old link revoked."""
    patient = journal_owner_only(request)
    link = _own_link(patient=patient, pk=pk)
    if not link.is_locked or not link.is_active():
        messages.info(request, f"The link for {link.recipient} is not locked: nothing changed.")
        return redirect("sharing:overview")
    try:
        new_link = share_link_reissue(link=link, reissued_by=patient, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sharing:overview")
    return _link_created(request, link.report, new_link)


# The recipient's side


def _private(response: HttpResponseBase) -> HttpResponseBase:
    """Headers for every answer to a link: not kept, not indexed, the token not passed on."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponseBase:
    return _private(render(request, template, context, status=status))


def _viewer(request: HttpRequest) -> AbstractBaseUser | AnonymousUser | None:
    return request.user if request.user.is_authenticated else None


def _address_key(request: HttpRequest) -> str:
    return f"sidelog:share-failures:{client_ip(request) or 'unknown'}"


# The per-address counts live in the cache (Redis in production). With Redis down, links
# open without them rather than fail: a 128-bit token can't be guessed, and access codes are
# counted on the link, in the database.


def _over_limit(key: str) -> bool:
    try:
        return int(cache.get(key, 0)) >= FAILURE_LIMIT
    except RedisError as error:
        logger.warning("Share-link failures not read: %s", error)
        return False


def _count_failure(key: str) -> None:
    """One more failure in a window that starts with the first one."""
    try:
        if cache.add(key, 1, timeout=FAILURE_WINDOW):
            return
        try:
            cache.incr(key)
        except ValueError:  # the window ended between `add` and `incr`
            cache.add(key, 1, timeout=FAILURE_WINDOW)
    except RedisError as error:
        logger.warning("Share-link failure not counted: %s", error)


def _audited_once(key: str) -> bool:
    """Whether to audit a refusal that repeats: once per window, while the cache is there.
    While limited, refusals cost the attacker nothing and must not cost the audit log a row
    each either."""
    try:
        return bool(cache.add(f"{key}:audited", 1, timeout=FAILURE_WINDOW))
    except RedisError as error:
        logger.warning("Share-link refusal not deduplicated: %s", error)
        return True


def _too_many(
    request: HttpRequest,
    *,
    key: str,
    link: ShareLink | None = None,
    retry_after: int = FAILURE_WINDOW,
) -> HttpResponseBase:
    if _audited_once(key):
        target = f"{link.report.period_label} (too many wrong codes)" if link else ""
        _link_audited(
            request,
            link,
            AuditAction.SHARE_REFUSED,
            target or "too many failed attempts",
            AuditOutcome.REFUSED,
        )
    context = {"for_link": link is not None, "minutes": math.ceil(retry_after / 60)}
    response = _page(request, "sharing/share/too_many.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _locked(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    """The link took too many wrong codes in its life: it takes none now."""
    if _audited_once(f"sidelog:share-locked:{link.token_hash}"):
        _refused(request, link, "locked link")
    return _page(request, "sharing/share/gone.html", {"locked": True}, status=410)


def _link_audited(
    request: HttpRequest,
    link: ShareLink | None,
    action: AuditAction,
    target: str,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> None:
    """Write what this link's viewer did, or was refused, to its patient's audit log."""
    services.share_link_audit(
        link=link,
        viewer=_viewer(request),
        action=action,
        target=target,
        request=request,
        outcome=outcome,
    )


def _refused(request: HttpRequest, link: ShareLink, reason: str) -> None:
    target = f"{link.report.period_label} ({reason})"
    _link_audited(request, link, AuditAction.SHARE_REFUSED, target, AuditOutcome.REFUSED)


def _link_or_refusal(request: HttpRequest, token: str) -> ShareLink | HttpResponseBase:
    """The link this token opens, or the page that says why it opens nothing."""
    if _over_limit(_address_key(request)):
        return _too_many(request, key=_address_key(request))
    link = share_link_by_token(token)
    if link is None:
        _count_failure(_address_key(request))
        _link_audited(
            request, None, AuditAction.SHARE_REFUSED, "unknown link", AuditOutcome.REFUSED
        )
        return _page(request, "sharing/share/invalid.html", status=404)
    if link.revoked_at is not None:
        _refused(request, link, "revoked link")
        return _page(request, "sharing/share/gone.html", {"revoked": True}, status=410)
    if not link.is_active(timezone.now()):
        _refused(request, link, "expired link")
        return _page(request, "sharing/share/gone.html", {"expired": True}, status=410)
    if link.report.status != Report.Status.READY:
        _refused(request, link, "report not available")
        return _page(request, "sharing/share/gone.html", status=410)
    return link


def _is_unlocked(request: HttpRequest, link: ShareLink) -> bool:
    return not link.needs_access_code or link.pk in request.session.get(UNLOCKED, [])


def _unlock(request: HttpRequest, link: ShareLink) -> None:
    unlocked = [*request.session.get(UNLOCKED, []), link.pk]
    request.session.cycle_key()  # a session id fixed by someone else does not get the report
    request.session[UNLOCKED] = unlocked


def _access_code(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    if link.is_locked:
        return _locked(request, link)
    form = AccessCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        code = form.cleaned_data["code"] if form.is_valid() else None
        attempt = share_link_code_try(link=link, code=code)
        if attempt.answer == CodeAnswer.RIGHT:
            _unlock(request, link)
            return _private(redirect(request.path))
        if attempt.answer == CodeAnswer.LOCKED:
            return _locked(request, link)
        if attempt.answer == CodeAnswer.TOO_MANY:
            key = f"sidelog:share-code-failures:{link.token_hash}"
            return _too_many(request, key=key, link=link, retry_after=attempt.retry_after)
        _count_failure(_address_key(request))
        if attempt.locked_now:
            _refused(request, link, "wrong access code; the link is locked now")
            return _page(request, "sharing/share/gone.html", {"locked": True}, status=410)
        _refused(request, link, "wrong access code")
        if form.is_valid():
            form.add_error("code", "That code is not right. Check it with whoever sent the link.")
    response = _page(request, "sharing/share/access_code.html", {"form": form})
    # Under `no-referrer` a browser posts this form with `Origin: null`, which the CSRF check
    # rightly refuses; `same-origin` still tells other sites nothing, token included.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def share_open(request: HttpRequest, token: str) -> HttpResponseBase:
    """The shared report, read-only, with its downloads; behind its access code if it has one."""
    found = _link_or_refusal(request, token)
    if not isinstance(found, ShareLink):
        return found
    link = found
    if not _is_unlocked(request, link):
        return _access_code(request, link)
    if request.method == "POST":
        return _private(redirect(request.path))
    report = link.report
    content = stored_content(report)
    _link_audited(request, link, AuditAction.SHARE_OPENED, report.period_label)
    context = {"link": link, "token": token, "report": report, "content": content}
    # Times as the patient lived them: the same clock as the PDF and the patient's pages.
    with timezone.override(content.zone if content else timezone.get_current_timezone()):
        return _page(request, "sharing/share/report.html", context)


@require_http_methods(["GET", "HEAD"])
def share_download(request: HttpRequest, token: str, kind: str) -> HttpResponseBase:
    found = _link_or_refusal(request, token)
    if not isinstance(found, ShareLink):
        return found
    link = found
    if not _is_unlocked(request, link):
        return _private(redirect("sharing:share-open", token))
    if kind not in FILES:
        return _page(request, "sharing/share/invalid.html", {"no_such_file": True}, status=404)
    response = report_file_response(link.report, kind)
    target = f"{kind.upper()} of {link.report.period_label}"
    _link_audited(request, link, AuditAction.REPORT_DOWNLOADED, target)
    return _private(response)
