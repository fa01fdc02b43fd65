from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.access import access_of
from accounts.selectors import is_provider, patient_profile
from reference.helplines import helplines_for
from sharing.selectors import patients_cared_for


def journal(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the signed-in person.

    `journal_profile`: their own patient profile; `acting_for`: the patient whose journal a
    caregiver is keeping right now; `is_provider`: whether they read shared reports;
    `caring`: whether they keep someone's journal; `help_country` and `help_lines`: the
    country whose emergency and crisis numbers red flags give, and those numbers.
    """
    user = request.user
    access = access_of(request)
    acting_for = access.owner if access.for_someone_else else None
    caring = acting_for is not None or (
        user.is_authenticated and patients_cared_for(caregiver=user).exists()
    )
    journal_profile = patient_profile(user)
    # Red flags give the emergency and crisis numbers of the patient whose journal this is.
    owner = acting_for.profile if acting_for else journal_profile
    help_country = str(owner.country) if owner else ""
    return {
        "caring": caring,
        "journal_profile": journal_profile,
        "acting_for": acting_for,
        "is_provider": is_provider(user),
        "help_country": help_country,
        "help_lines": helplines_for(help_country),
    }
