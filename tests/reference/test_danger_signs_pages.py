"""Danger signs and help numbers on the public library: the API, the pages, the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Profile
from reference.models import DangerSign, RedFlag

pytestmark = pytest.mark.django_db


def test_a_side_effect_lists_its_danger_signs_and_the_words_people_use(client: Client) -> None:
    response = client.get("/api/v1/side-effects/skin-rash/")

    assert response.status_code == 200
    body = response.json()
    assert {"slug": "peeling-skin", "label": "Blisters, or skin that peels"} in body["danger_signs"]
    assert "hives" in body["synonyms"]


def test_an_unknown_side_effect_is_404(client: Client) -> None:
    assert client.get("/api/v1/side-effects/no-such-thing/").status_code == 404


def test_no_public_page_or_answer_shows_a_placeholder_or_another_countrys_number(
    client: Client,
) -> None:
    texts = {
        path: client.get(path).content.decode()
        for path in (
            "/drugs/esketamine/",
            "/drugs/lamotrigine/",
            "/side-effects/suicidal-thoughts/",
        )
    }
    api = client.get("/api/v1/drugs/esketamine/").json()
    texts["the API's guidance"] = " ".join(flag["guidance"] for flag in api["red_flags"])

    for where, text in texts.items():
        assert "{emergency_number}" not in text and "{crisis_line}" not in text, where
        assert "your local emergency number" in text, where
        assert "988" not in text and "999" not in text, where


def test_a_signed_in_patient_reads_their_own_countrys_numbers_on_the_library_pages(
    patient: User, patient_client: Client
) -> None:
    Profile.objects.filter(user=patient).update(country="US")

    page = patient_client.get("/side-effects/suicidal-thoughts/").content.decode()

    assert "Call 911 now" in page
    assert "the 988 Suicide &amp; Crisis Lifeline" in page


def test_the_side_effect_page_lists_the_signs_that_make_it_urgent(client: Client) -> None:
    page = client.get("/side-effects/headache/").content.decode()

    assert "Signs that make it more urgent" in page
    assert "A stiff neck" in page


def test_an_editor_cannot_make_a_rule_ask_for_another_symptoms_danger_sign(
    editor_client: Client,
) -> None:
    rule = RedFlag.objects.get(
        side_effect__slug="skin-rash", drug__slug="lamotrigine", danger_signs=None
    )
    stiff_neck = DangerSign.objects.get(side_effect__slug="headache", slug="stiff-neck")

    response = editor_client.post(
        f"/admin/reference/redflag/{rule.pk}/change/",
        {
            "side_effect": rule.side_effect_id,
            "drug": rule.drug_id,
            "min_severity": "",
            "danger_signs": [stiff_neck.pk],
            "within_hours_of_dose": "",
            "is_published": "on",
            "action": rule.action,
            "signs": rule.signs,
            "guidance": rule.guidance,
            "sources": rule.sources,
        },
    )

    assert response.status_code == 200
    assert "Choose danger signs of this rule&#x27;s side effect only" in response.content.decode()
    assert not rule.danger_signs.exists()


def test_an_editor_cannot_write_a_placeholder_sidelog_does_not_fill_in(
    editor_client: Client,
) -> None:
    rule = RedFlag.objects.get(side_effect__slug="seizure", drug=None)

    response = editor_client.post(
        f"/admin/reference/redflag/{rule.pk}/change/",
        {
            "side_effect": rule.side_effect_id,
            "drug": "",
            "min_severity": "",
            "within_hours_of_dose": "",
            "is_published": "on",
            "action": rule.action,
            "signs": rule.signs,
            "guidance": "Call {ambulance} now.",
            "sources": rule.sources,
        },
    )

    assert response.status_code == 200
    assert "Sidelog can&#x27;t fill in {ambulance}" in response.content.decode()
    rule.refresh_from_db()
    assert "{emergency_number}" in rule.guidance
