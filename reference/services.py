"""Writes that span rows in the reference library."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from reference.models import AdviceClearance, sentence_key

CONTENT_EDITORS = "Content editors"
REFERENCE_MODELS = [
    "drug",
    "sideeffect",
    "dangersign",
    "drugsideeffect",
    "redflag",
    "measurementrule",
    "adviceclearance",
]


def content_editors_group_sync(**kwargs: Any) -> Group:
    """Create the group, or bring its permissions back to exactly the reference models."""
    group, _ = Group.objects.get_or_create(name=CONTENT_EDITORS)
    codenames = [
        f"{action}_{model}"
        for model in REFERENCE_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="reference", codename__in=codenames
    )
    group.permissions.set(permissions)
    return group


def is_content_editor(user: User) -> bool:
    """A superuser, or a member of the content editors' group."""
    return user.is_superuser or user.groups.filter(name=CONTENT_EDITORS).exists()


@transaction.atomic
def advice_clearance_request(*, sentences: list[str], requested_by: User) -> list[AdviceClearance]:
    """Ask a second content editor to confirm that flagged sentences are not dosing advice.

    A sentence that already waits for (or has) a confirmation is not asked about again,
    whoever asked first. Returns the requests this call made.
    """
    made: list[AdviceClearance] = []
    for key in dict.fromkeys(sentence_key(sentence) for sentence in sentences):
        if not AdviceClearance.objects.filter(sentence=key).exists():
            made.append(AdviceClearance.objects.create(sentence=key, requested_by=requested_by))
    return made
