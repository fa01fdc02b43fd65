"""Sharing's part of other apps' pages: the report page's share form and links."""

from __future__ import annotations

from typing import Any

from django import template

from reports.models import Report
from sharing.forms.share_links import ShareLinkForm
from sharing.selectors import share_links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def report_sharing(context: template.Context, report: Report) -> dict[str, Any]:
    """`{% report_sharing report as sharing %}`: the form (the bound one the share view
    shows again, with its errors) and the links, for the patient themself only: a caregiver
    reads reports but may not share them."""
    request = context.get("request")
    if request is None or report.patient_id != request.user.pk:
        return {}
    form = context.get("share_form") or ShareLinkForm()
    return {"form": form, "links": share_links_for(report=report)}
