from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from reference.models import DangerSign, DrugSideEffect, Presentation, RedFlag, Severity
from tests.support.factories import (
    DrugFactory,
    DrugSideEffectFactory,
    RedFlagFactory,
    SideEffectFactory,
)

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


def presented(
    *,
    side_effect_id: int | None,
    drug_ids: set[int],
    severity: int,
    danger_sign_ids: frozenset[int] = frozenset(),
    hours_since_dose: float | None = None,
) -> Presentation:
    return Presentation(
        side_effect_ids=frozenset([side_effect_id] if side_effect_id else []),
        severity=severity,
        danger_sign_ids=danger_sign_ids,
        on_drug=lambda drug_id: drug_id in drug_ids,
        hours_since_dose=lambda drug_id: hours_since_dose,
    )


def test_a_red_flag_matches_its_side_effect_drug_and_severity() -> None:
    drug = DrugFactory.create()
    rule = RedFlagFactory.create(drug=drug, min_severity=Severity.SEVERE)
    se = rule.side_effect_id
    assert se is not None

    assert rule.matches(presented(side_effect_id=se, drug_ids={drug.pk}, severity=3))
    assert not rule.matches(presented(side_effect_id=se, drug_ids={drug.pk}, severity=2))
    assert not rule.matches(presented(side_effect_id=se, drug_ids={drug.pk + 1}, severity=4))
    assert not rule.matches(presented(side_effect_id=se + 1, drug_ids={drug.pk}, severity=4))


def test_a_rule_for_any_symptom_on_any_drug_matches_by_severity_alone() -> None:
    rule = RedFlagFactory.create(side_effect=None, drug=None, min_severity=Severity.VERY_SEVERE)

    assert rule.matches(presented(side_effect_id=None, drug_ids=set(), severity=4))
    assert not rule.matches(presented(side_effect_id=7, drug_ids={1}, severity=3))
    assert str(rule) == "Any symptom (very severe or worse) on any drug"


def test_a_rule_with_danger_signs_needs_one_of_them_ticked() -> None:
    side_effect = SideEffectFactory.create()
    rule = RedFlagFactory.create(side_effect=side_effect, drug=None, min_severity=None)
    sign = DangerSign.objects.create(side_effect=side_effect, slug="blisters", label="Blisters")
    other = DangerSign.objects.create(side_effect=side_effect, slug="fever", label="A fever")
    rule.danger_signs.set([sign])
    rule = RedFlag.objects.get(pk=rule.pk)
    se = rule.side_effect_id

    assert not rule.matches(presented(side_effect_id=se, drug_ids=set(), severity=1))
    assert not rule.matches(
        presented(
            side_effect_id=se, drug_ids=set(), severity=1, danger_sign_ids=frozenset([other.pk])
        )
    )
    assert rule.matches(
        presented(
            side_effect_id=se, drug_ids=set(), severity=1, danger_sign_ids=frozenset([sign.pk])
        )
    )


def test_a_rule_counted_from_a_dose_fires_only_within_its_hours() -> None:
    drug = DrugFactory.create()
    rule = RedFlagFactory.create(drug=drug, min_severity=None, within_hours_of_dose=6)
    se = rule.side_effect_id

    def at(hours: float | None) -> bool:
        return rule.matches(
            presented(side_effect_id=se, drug_ids={drug.pk}, severity=2, hours_since_dose=hours)
        )

    assert at(2.5)
    assert at(6)
    assert not at(6.5)
    assert not at(None)
    assert str(rule).endswith("within 6 h of a dose")


def test_a_rule_counted_from_a_dose_needs_a_drug() -> None:
    rule = RedFlagFactory.build(drug=None, within_hours_of_dose=6, sources="Label.")

    with pytest.raises(ValidationError) as error:
        rule.full_clean()

    assert "within_hours_of_dose" in error.value.message_dict


def test_guidance_may_only_name_the_numbers_sidelog_fills_in() -> None:
    rule = RedFlagFactory.build(guidance="Call {emergency_number} or {ambulance}.", sources="x")

    with pytest.raises(ValidationError) as error:
        rule.full_clean()

    assert "{ambulance}" in error.value.message_dict["guidance"][0]


def test_edits_are_versioned() -> None:
    side_effect = SideEffectFactory.create(description="First.")
    side_effect.description = "Second."
    side_effect.save()

    assert [h.description for h in side_effect.history.order_by("history_date")] == [
        "First.",
        "Second.",
    ]
