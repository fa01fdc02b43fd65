from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reference.models import RedFlag, SideEffect
from tests.support.factories import (
    DrugFactory,
    DrugSideEffectFactory,
    RedFlagFactory,
    SideEffectFactory,
)

pytestmark = pytest.mark.django_db

STANDING_LINE = (
    "Sidelog does not give dosing advice.</strong> Talk to your prescriber before changing "
    "how you take any medication."
)


def test_the_home_page_lists_the_published_drugs(client: Client) -> None:
    DrugFactory.create(name="Visiblamine", slug="visiblamine")
    DrugFactory.create(name="Draftamine", slug="draftamine", is_published=False)

    response = client.get("/")

    assert response.status_code == 200
    assert "Visiblamine" in response.text
    assert "Draftamine" not in response.text


def test_the_drug_page_groups_side_effects_by_category_with_how_often(client: Client) -> None:
    drug = DrugFactory.create(name="Groupamine", slug="groupamine")
    DrugSideEffectFactory.create(
        drug=drug,
        side_effect=SideEffectFactory.create(
            name="Wobbliness", category=SideEffect.Category.COMMON
        ),
        label_percent="29.00",
    )
    DrugSideEffectFactory.create(
        drug=drug,
        side_effect=SideEffectFactory.create(
            name="Feeling far away", category=SideEffect.Category.DISSOCIATIVE
        ),
        frequency="very_common",
    )

    response = client.get("/drugs/groupamine/")

    assert response.status_code == 200
    text = response.text
    assert text.index(">Common</h3>") < text.index("Wobbliness") < text.index(">Dissociative</h3>")
    assert text.index(">Dissociative</h3>") < text.index("Feeling far away")
    assert "29% in trials" in text
    assert "Very common (10% or more)" in text


def test_the_drug_page_shows_its_red_flags_and_those_for_every_drug(client: Client) -> None:
    drug = DrugFactory.create(slug="flagamine")
    other = DrugFactory.create(slug="otheramine")
    RedFlagFactory.create(drug=drug, signs="Blisters in the mouth", action=RedFlag.Action.EMERGENCY)
    RedFlagFactory.create(drug=None, side_effect=None, min_severity=4, signs="Anything very severe")
    RedFlagFactory.create(drug=other, signs="Only on the other drug")
    RedFlagFactory.create(drug=drug, signs="A draft warning", is_published=False)

    text = client.get("/drugs/flagamine/").text

    assert "Blisters in the mouth" in text
    assert "Call emergency services now" in text
    assert "Anything very severe" in text
    assert "Only on the other drug" not in text
    assert "A draft warning" not in text
    assert text.index("Blisters in the mouth") < text.index("Anything very severe")


def test_the_side_effect_page_shows_course_self_care_drugs_and_when_to_get_help(
    client: Client,
) -> None:
    side_effect = SideEffectFactory.create(
        slug="spinning",
        typical_course="Peaks around 40 minutes.",
        self_care="Lie down until the room stops moving.",
    )
    DrugSideEffectFactory.create(side_effect=side_effect, drug=DrugFactory.create(name="Listamine"))
    DrugSideEffectFactory.create(
        side_effect=side_effect, drug=DrugFactory.create(name="Hiddenamine", is_published=False)
    )
    RedFlagFactory.create(side_effect=side_effect, signs="You faint")

    text = client.get("/side-effects/spinning/").text

    assert "Peaks around 40 minutes." in text
    assert "Lie down until the room stops moving." in text
    assert "Listamine" in text
    assert "Hiddenamine" not in text
    assert "You faint" in text


@pytest.mark.parametrize("url", ["/drugs/draft/", "/side-effects/draft/", "/drugs/nothing/"])
def test_unpublished_or_unknown_content_is_not_found(client: Client, url: str) -> None:
    DrugFactory.create(slug="draft", is_published=False)
    SideEffectFactory.create(slug="draft", is_published=False)

    assert client.get(url).status_code == 404


def test_empty_library_pages_say_so(client: Client) -> None:
    from reference.models import Drug

    Drug.objects.update(is_published=False)
    SideEffect.objects.update(is_published=False)

    assert "No medicines have been published yet." in client.get("/drugs/").text
    assert "No side effects have been published yet." in client.get("/side-effects/").text


@pytest.mark.parametrize(
    "url", ["/", "/drugs/", "/side-effects/", "/drugs/page-drug/", "/side-effects/page-se/"]
)
def test_every_public_page_carries_the_standing_line_and_fits_a_phone(
    client: Client, url: str
) -> None:
    DrugFactory.create(slug="page-drug")
    SideEffectFactory.create(slug="page-se")

    response = client.get(url)

    assert response.status_code == 200
    assert STANDING_LINE in response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert '<main id="main"' in response.text
    assert "cdn" not in response.text.lower()


def test_the_drug_page_takes_the_same_queries_however_many_side_effects(client: Client) -> None:
    drug = DrugFactory.create(slug="countamine")
    DrugSideEffectFactory.create(drug=drug)
    RedFlagFactory.create(drug=drug)
    with CaptureQueriesContext(connection) as few:
        client.get("/drugs/countamine/")
    for _ in range(10):
        link = DrugSideEffectFactory.create(drug=drug)
        RedFlagFactory.create(drug=drug, side_effect=link.side_effect)
    with CaptureQueriesContext(connection) as many:
        client.get("/drugs/countamine/")

    assert len(many) == len(few)
