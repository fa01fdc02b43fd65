from __future__ import annotations

import pytest
from django.test import Client

from reference.models import RedFlag
from tests.support.factories import (
    DrugFactory,
    DrugSideEffectFactory,
    RedFlagFactory,
    SideEffectFactory,
)

pytestmark = pytest.mark.django_db


def test_the_drug_list_is_open_to_anyone_and_shows_only_published_drugs(client: Client) -> None:
    DrugFactory.create(name="Apiamine", slug="apiamine", brand_names="Apix, Apio")
    DrugFactory.create(name="Secretamine", slug="secretamine", is_published=False)

    response = client.get("/api/v1/drugs/")

    assert response.status_code == 200
    names = [drug["name"] for drug in response.json()["results"]]
    assert "Apiamine" in names
    assert "Secretamine" not in names
    apiamine = next(d for d in response.json()["results"] if d["slug"] == "apiamine")
    assert apiamine["brand_names"] == ["Apix", "Apio"]


def test_the_drug_detail_has_side_effects_and_red_flags(client: Client) -> None:
    drug = DrugFactory.create(slug="detailamine")
    link = DrugSideEffectFactory.create(
        drug=drug, side_effect=SideEffectFactory.create(slug="fuzzy"), label_percent="41.00"
    )
    RedFlagFactory.create(drug=drug, side_effect=link.side_effect, action=RedFlag.Action.EMERGENCY)

    body = client.get("/api/v1/drugs/detailamine/").json()

    assert body["slug"] == "detailamine"
    assert body["side_effects"] == [
        {
            "side_effect": "fuzzy",
            "name": link.side_effect.name,
            "category": "common",
            "frequency": "common",
            "label_percent": "41.00",
            "notes": "",
        }
    ]
    assert body["red_flags"][0]["action"] == "emergency"
    assert body["red_flags"][0]["action_label"] == "Call emergency services now"


def test_an_unpublished_drug_is_not_found(client: Client) -> None:
    DrugFactory.create(slug="hushamine", is_published=False)

    response = client.get("/api/v1/drugs/hushamine/")

    assert response.status_code == 404


def test_side_effects_are_listed_with_their_category(client: Client) -> None:
    SideEffectFactory.create(slug="listed", category="dissociative")
    SideEffectFactory.create(slug="unlisted", is_published=False)

    results = client.get("/api/v1/side-effects/").json()["results"]

    by_slug = {item["slug"]: item for item in results}
    assert by_slug["listed"]["category"] == "dissociative"
    assert "unlisted" not in by_slug


def test_the_reference_api_is_read_only(client: Client) -> None:
    response = client.post("/api/v1/drugs/", {"name": "New"}, content_type="application/json")

    assert response.status_code == 405


def test_the_openapi_schema_describes_the_reference_endpoints(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/drugs/", "/api/v1/drugs/{slug}/", "/api/v1/side-effects/"} <= set(paths)
    detail = paths["/api/v1/drugs/{slug}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("/DrugDetail")


def test_the_api_docs_are_served_by_sidelog_itself(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert "swagger" in response.text.lower()
    assert "cdn" not in response.text.lower()
    assert "/static/drf_spectacular_sidecar/" in response.text
