from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.access import access_of
from reminders.selectors import reminder_notices


def notices(request: HttpRequest) -> dict[str, Any]:
    """`reminder_notices`: the signed-in patient's reminders due in the last few hours, for
    `reminders/includes/notice.html`, and `reminder_notice_doses`; read only by a page that
    includes it."""
    access = access_of(request)
    owner = access.owner
    if owner is None or access.for_someone_else:
        return {"reminder_notices": (), "reminder_notice_doses": ()}
    notices = SimpleLazyObject(lambda: reminder_notices(patient=owner, now=timezone.now()))
    return {
        "reminder_notices": notices,
        # The doses whose check-in a notice already links to: the dashboard shows no second
        # link to it, so that the quick log stays in a phone's first screen.
        "reminder_notice_doses": SimpleLazyObject(
            lambda: [reminder.dose_id for reminder in notices if reminder.dose_id is not None]
        ),
    }
