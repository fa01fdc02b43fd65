from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from journal.selectors import patient_profile
from journal.sharing.selectors import care_relationship_active, is_provider, patients_cared_for
from journal.views.access import ACTING_FOR
from reference.helplines import helplines_for


def journal(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the signed-in person.

    `journal_profile`: their own patient profile; `acting_for`: the patient whose journal a
    caregiver is keeping right now; `is_provider`: whether they read shared reports;
    `caring`: whether they keep someone's journal; `help_country` and `help_lines`: the
    country whose emergency and crisis numbers red flags give, and those numbers.
    """
    user = request.user
    acting_for = None
    patient_id = request.session.get(ACTING_FOR) if hasattr(request, "session") else None
    if user.is_authenticated and isinstance(patient_id, int):
        relationship = care_relationship_active(caregiver=user, patient_id=patient_id)
        acting_for = relationship.patient if relationship else None
    caring = user.is_authenticated and patients_cared_for(caregiver=user).exists()
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
