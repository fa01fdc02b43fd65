"""The dashboard's questionnaire notice, so that the journal's templates can show it
without the journal importing questionnaires."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from accounts.access import access_of
from questionnaires.selectors import questionnaires_due

register = template.Library()


@register.inclusion_tag("questionnaires/includes/notice.html", takes_context=True)
def questionnaire_notice(context: template.Context) -> dict[str, Any]:
    """The questionnaires the signed-in patient's schedule asks for now (none for a
    caregiver: the schedule is the patient's)."""
    request = context.get("request")
    if request is None or (owner := access_of(request).owner) is None:
        return {"due": []}
    access = access_of(request)
    due = [] if access.for_someone_else else questionnaires_due(patient=owner, now=timezone.now())
    return {"due": due}
