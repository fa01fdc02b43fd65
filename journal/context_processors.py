from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from journal.selectors import patient_profile


def journal(request: HttpRequest) -> dict[str, Any]:
    """`journal_profile`: the signed-in patient's profile, for the navigation."""
    return {"journal_profile": patient_profile(request.user)}
