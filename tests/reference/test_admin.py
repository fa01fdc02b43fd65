from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from reference.models import Drug, DrugSideEffect, SideEffect
from reference.services import CONTENT_EDITORS
from tests.support.factories import DrugFactory, DrugSideEffectFactory, SideEffectFactory

pytestmark = pytest.mark.django_db

ADVICE = "If the dizziness is bad, just skip your next dose."


def side_effect_form(side_effect: SideEffect, **changes: str) -> dict[str, str]:
    data = {
        "name": side_effect.name,
        "slug": side_effect.slug,
        "category": side_effect.category,
        "description": side_effect.description,
        "typical_course": side_effect.typical_course,
        "self_care": side_effect.self_care,
        "is_published": "on",
        # The danger-sign inline: none added or changed.
        "danger_signs-TOTAL_FORMS": "0",
        "danger_signs-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_content_editors_group_has_rights_on_the_reference_library_only() -> None:
    group = Group.objects.get(name=CONTENT_EDITORS)

    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert labels == {"reference"}
    assert {"change_drug", "add_sideeffect", "delete_redflag", "view_drugsideeffect"} <= codenames


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reference/drug/",
        "/admin/reference/sideeffect/",
        "/admin/reference/drugsideeffect/",
        "/admin/reference/redflag/",
    ],
)
def test_an_editor_sees_every_reference_list(editor_client: Client, url: str) -> None:
    DrugSideEffectFactory.create()

    assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/"])
def test_an_editor_cannot_reach_accounts(editor_client: Client, url: str) -> None:
    assert editor_client.get(url).status_code == 403


def test_an_editor_changes_a_side_effect_and_history_keeps_both_versions(
    editor_client: Client,
) -> None:
    side_effect = SideEffectFactory.create(description="The old words.")

    response = editor_client.post(
        f"/admin/reference/sideeffect/{side_effect.pk}/change/",
        side_effect_form(side_effect, description="Clearer new words."),
    )

    assert response.status_code == 302
    side_effect.refresh_from_db()
    assert side_effect.description == "Clearer new words."
    descriptions = [h.description for h in side_effect.history.order_by("history_date")]
    assert descriptions == ["The old words.", "Clearer new words."]
    history_page = editor_client.get(f"/admin/reference/sideeffect/{side_effect.pk}/history/")
    assert history_page.status_code == 200


def test_dosing_advice_is_refused_with_a_field_error_naming_the_phrase(
    editor_client: Client,
) -> None:
    side_effect = SideEffectFactory.create(self_care="Sit down until it passes.")

    response = editor_client.post(
        f"/admin/reference/sideeffect/{side_effect.pk}/change/",
        side_effect_form(side_effect, self_care=ADVICE),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["self_care"]
    assert "reads as dosing advice" in errors["self_care"][0]
    assert "skip your next dose" in errors["self_care"][0]
    side_effect.refresh_from_db()
    assert side_effect.self_care == "Sit down until it passes."
    assert side_effect.history.count() == 1


def test_dosing_advice_in_a_drug_inline_is_refused_and_nothing_is_saved(
    editor_client: Client,
) -> None:
    drug = DrugFactory.create(summary="A calm summary.")
    side_effect = SideEffectFactory.create()
    data = {
        "name": drug.name,
        "slug": drug.slug,
        "brand_names": "",
        "is_published": "on",
        "drug_class": drug.drug_class,
        "mechanism": drug.mechanism,
        "treats": drug.treats,
        "routes": drug.routes,
        "summary": "An updated summary.",
        "atc_code": "",
        "rxnorm_code": "",
        "side_effect_links-TOTAL_FORMS": "1",
        "side_effect_links-INITIAL_FORMS": "0",
        "side_effect_links-0-side_effect": str(side_effect.pk),
        "side_effect_links-0-frequency": "common",
        "side_effect_links-0-label_percent": "",
        "side_effect_links-0-notes": "Halving the tablet usually makes it go away.",
    }

    response = editor_client.post(f"/admin/reference/drug/{drug.pk}/change/", data)

    assert response.status_code == 200
    assert "reads as dosing advice" in response.text
    drug.refresh_from_db()
    assert drug.summary == "A calm summary."
    assert not DrugSideEffect.objects.filter(drug=drug).exists()


def test_an_editor_adds_a_drug(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/reference/drug/add/",
        {
            "name": "Newamine",
            "slug": "newamine",
            "brand_names": "Newa",
            "drug_class": "NMDA receptor antagonist",
            "mechanism": "It damps a busy brain signal.",
            "treats": "Testing.",
            "routes": "Tablets",
            "summary": "A new medicine.",
            "atc_code": "",
            "rxnorm_code": "",
            "side_effect_links-TOTAL_FORMS": "0",
            "side_effect_links-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    drug = Drug.objects.get(slug="newamine")
    assert drug.is_published is False
    assert drug.history.get().history_user.is_staff
