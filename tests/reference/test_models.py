from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from reference.models import DrugSideEffect, Severity
from tests.factories import DrugFactory, DrugSideEffectFactory, RedFlagFactory, SideEffectFactory

pytestmark = pytest.mark.django_db


def test_frequency_reads_as_the_label_percentage_when_known() -> None:
    link = DrugSideEffectFactory.build(label_percent=Decimal("23.00"))

    assert link.frequency_label == "23% in trials"


def test_frequency_falls_back_to_the_band() -> None:
    link = DrugSideEffectFactory.build(frequency=DrugSideEffect.Frequency.UNCOMMON)

    assert link.frequency_label == "Uncommon (0.1–1%)"


def test_a_percentage_over_100_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError):
        DrugSideEffectFactory.create(label_percent=Decimal("120"))


def test_a_drug_lists_each_side_effect_once() -> None:
    link = DrugSideEffectFactory.create()

    with pytest.raises(IntegrityError):
        DrugSideEffectFactory.create(drug=link.drug, side_effect=link.side_effect)


def test_clean_refuses_dosing_advice_in_every_guarded_field() -> None:
    drug = DrugFactory.build(summary="You could try a lower dose if it gets too much.")

    with pytest.raises(ValidationError) as error:
        drug.full_clean()

    assert list(error.value.message_dict) == ["summary"]


def test_clean_accepts_dose_neutral_content() -> None:
    side_effect = SideEffectFactory.build(
        self_care="Sit or lie down until it passes. Talk to your prescriber before changing "
        "how you take any medication."
    )

    side_effect.full_clean()


def test_a_rule_for_any_symptom_needs_a_minimum_severity() -> None:
    with pytest.raises(ValidationError) as error:
        RedFlagFactory.build(side_effect=None, min_severity=None).full_clean()

    assert "min_severity" in error.value.message_dict


def test_a_red_flag_matches_its_side_effect_drug_and_severity() -> None:
    drug = DrugFactory.create()
    rule = RedFlagFactory.create(drug=drug, min_severity=Severity.SEVERE)
    se = rule.side_effect_id
    assert se is not None

    assert rule.matches(side_effect_id=se, drug_ids={drug.pk}, severity=3)
    assert not rule.matches(side_effect_id=se, drug_ids={drug.pk}, severity=2)
    assert not rule.matches(side_effect_id=se, drug_ids={drug.pk + 1}, severity=4)
    assert not rule.matches(side_effect_id=se + 1, drug_ids={drug.pk}, severity=4)


def test_a_rule_for_any_symptom_on_any_drug_matches_by_severity_alone() -> None:
    rule = RedFlagFactory.create(side_effect=None, drug=None, min_severity=Severity.VERY_SEVERE)

    assert rule.matches(side_effect_id=None, drug_ids=set(), severity=4)
    assert not rule.matches(side_effect_id=7, drug_ids={1}, severity=3)
    assert str(rule) == "Any symptom (very severe or worse) on any drug"


def test_edits_are_versioned() -> None:
    side_effect = SideEffectFactory.create(description="First.")
    side_effect.description = "Second."
    side_effect.save()

    assert [h.description for h in side_effect.history.order_by("history_date")] == [
        "First.",
        "Second.",
    ]
