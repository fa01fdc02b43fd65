"""Writes that span rows in the reference library."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

CONTENT_EDITORS = "Content editors"
REFERENCE_MODELS = ["drug", "sideeffect", "drugsideeffect", "redflag"]


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
