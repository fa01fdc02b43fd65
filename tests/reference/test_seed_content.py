"""The first library content arrives with `migrate`, published and free of dosing advice."""

from __future__ import annotations

import pytest

from reference.models import DangerSign, Drug, DrugSideEffect, RedFlag, SideEffect
from reference.safety import find_dosage_advice

pytestmark = pytest.mark.django_db

FIVE_DRUGS = {"ketamine", "esketamine", "memantine", "lamotrigine", "amantadine"}
SEVEN_SEED_SIDE_EFFECTS = {
    "dizziness": "common",
    "headache": "common",
    "drowsiness": "common",
    "nausea": "common",
    "constipation": "common",
    "dissociation": "dissociative",
    "perception-changes": "dissociative",
}


def test_the_five_drugs_are_published_with_verified_codes_only() -> None:
    drugs = {drug.slug: drug for drug in Drug.objects.published()}

    assert set(drugs) >= FIVE_DRUGS
    assert drugs["esketamine"].atc_code == "N06AX27"
    assert "Spravato" in drugs["esketamine"].brand_name_list
    assert drugs["lamotrigine"].rxnorm_code == "28439"
    # Codes that came from recall rather than a source stay empty.
    assert drugs["ketamine"].rxnorm_code == ""
    assert drugs["memantine"].rxnorm_code == ""


def test_the_seven_seed_side_effects_are_there_in_their_categories() -> None:
    categories = dict(SideEffect.objects.published().values_list("slug", "category"))

    assert {slug: categories.get(slug) for slug in SEVEN_SEED_SIDE_EFFECTS} == (
        SEVEN_SEED_SIDE_EFFECTS
    )
    assert SideEffect.objects.filter(category="serious").count() >= 5


def test_label_figures_are_seeded_where_the_label_gives_them() -> None:
    link = DrugSideEffect.objects.get(drug__slug="esketamine", side_effect__slug="dissociation")

    assert link.frequency_label == "41% in trials"


def test_red_flags_send_people_to_a_human() -> None:
    rash = RedFlag.objects.get(
        drug__slug="lamotrigine", side_effect__slug="skin-rash", danger_signs=None
    )
    any_very_severe = RedFlag.objects.get(side_effect=None, drug=None, min_severity=4)

    assert rash.action == RedFlag.Action.PRESCRIBER_TODAY
    assert any_very_severe.action == RedFlag.Action.PRESCRIBER_TODAY
    assert RedFlag.objects.filter(action=RedFlag.Action.EMERGENCY).count() >= 5


def test_no_seeded_text_gives_dosing_advice() -> None:
    for model in (Drug, SideEffect, DrugSideEffect, RedFlag, DangerSign):
        for row in model.objects.all():
            for field in row.guarded_fields:
                text = getattr(row, field)
                assert find_dosage_advice(text) == [], f"{model.__name__} {row}: {field}"


def test_every_seeded_row_passes_model_validation() -> None:
    for model in (Drug, SideEffect, DrugSideEffect, RedFlag, DangerSign):
        for row in model.objects.all():
            row.full_clean()


def test_every_rule_cites_its_source() -> None:
    for rule in RedFlag.objects.all():
        assert rule.sources.strip(), str(rule)


def test_every_emergency_rule_names_the_patients_emergency_number() -> None:
    for rule in RedFlag.objects.filter(action=RedFlag.Action.EMERGENCY):
        assert "{emergency_number}" in rule.guidance, str(rule)
        assert "local emergency number" not in rule.guidance, str(rule)


def test_the_fuller_library_keeps_the_first_seventeen_and_adds_fourteen() -> None:
    slugs = set(SideEffect.objects.published().values_list("slug", flat=True))

    assert len(SideEffect.objects.published()) == 31
    assert {
        "fever",
        "swollen-glands",
        "mouth-sores",
        "peeling-skin",
        "yellow-skin",
        "urinary-symptoms",
        "chest-pain",
        "racing-heartbeat",
        "worsening-mood",
        "stiff-neck",
        "mottled-skin",
        "leg-swelling",
        "dry-mouth",
        "falls",
    } <= slugs
    for effect in SideEffect.objects.published():
        assert effect.description and effect.typical_course and effect.self_care, effect.slug
        assert effect.synonym_list, effect.slug
