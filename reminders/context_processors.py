from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.access import access_of
from reminders.selectors import reminder_notices


def notices(request: HttpRequest) -> dict[str, Any]:
    """`reminder_notices`: the signed-in patient's reminders due in the last few hours, for
    `reminders/includes/notice.html`; read only by a page that includes it."""
    access = access_of(request)
    owner = access.owner
    if owner is None or access.for_someone_else:
        return {"reminder_notices": ()}
    return {
        "reminder_notices": SimpleLazyObject(
            lambda: reminder_notices(patient=owner, now=timezone.now())
        )
    }
