"""The measurement rules `migrate` seeds: their marks, sources and words, and the drug pages
that show them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from reference.models import MeasurementRule
from reference.safety import find_dosage_advice

pytestmark = pytest.mark.django_db

Commit = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks
A_PERSON = ("prescriber", "doctor", "clinic", "staff", "{emergency_number}")


def marks(rule: MeasurementRule) -> tuple[object, ...]:
    return (
        rule.kind,
        rule.drug.slug if rule.drug else None,
        *(
            None if mark is None else int(mark)
            for mark in (rule.at_or_above, rule.diastolic_at_or_above, rule.below)
        ),
        rule.needs_warning_signs,
        rule.within_hours_of_dose,
        rule.action,
    )


def test_the_seeded_rules_and_their_marks() -> None:
    seeded = {marks(rule) for rule in MeasurementRule.objects.published().select_related("drug")}

    assert seeded == {
        ("blood_pressure", "esketamine", 180, 120, None, True, 6, "emergency"),
        ("blood_pressure", "esketamine", 180, 120, None, False, 6, "prescriber_today"),
        ("blood_pressure", "ketamine", 180, 120, None, True, 6, "emergency"),
        ("blood_pressure", "ketamine", 180, 120, None, False, 6, "prescriber_today"),
        ("blood_pressure", None, 180, 120, None, True, None, "emergency"),
        ("blood_pressure", None, 180, 120, None, False, None, "prescriber_today"),
        ("body_temperature", "lamotrigine", 38, None, None, False, None, "prescriber_today"),
        ("oxygen_saturation", None, None, None, 93, False, None, "emergency"),
        ("oxygen_saturation", None, None, None, 95, True, None, "emergency"),
        ("oxygen_saturation", None, None, None, 95, False, None, "prescriber_today"),
        ("heart_rate", None, 111, None, 51, True, None, "emergency"),
        ("heart_rate", None, 131, None, 41, False, None, "prescriber_today"),
    }


def test_no_seeded_rule_gives_dosing_advice_and_each_passes_validation() -> None:
    for rule in MeasurementRule.objects.all():
        assert find_dosage_advice(rule.signs) == [], str(rule)
        assert find_dosage_advice(rule.guidance) == [], str(rule)
        assert find_dosage_advice(rule.guidance_for("US")) == [], str(rule)
        rule.full_clean()


def test_every_seeded_rule_sends_people_to_a_person() -> None:
    for rule in MeasurementRule.objects.all():
        assert any(person in rule.guidance for person in A_PERSON), str(rule)
        if rule.action == MeasurementRule.Action.EMERGENCY:
            assert "{emergency_number}" in rule.guidance, str(rule)


def test_every_seeded_rule_names_a_dated_source() -> None:
    for rule in MeasurementRule.objects.all():
        assert re.search(r"\b(19|20)\d\d\b", rule.sources), str(rule)


@pytest.mark.parametrize(
    ("kind", "drug", "cited"),
    [
        ("blood_pressure", "esketamine", "5.7 Increase in blood pressure"),
        ("blood_pressure", "esketamine", "Hypertensive Crisis"),
        ("blood_pressure", "ketamine", "5.1 Hemodynamic instability"),
        ("body_temperature", "lamotrigine", "5.2 Hemophagocytic lymphohistiocytosis"),
        ("body_temperature", "lamotrigine", "Medication Guide"),
    ],
)
def test_the_label_rules_cite_the_label_section(kind: str, drug: str, cited: str) -> None:
    for rule in MeasurementRule.objects.filter(kind=kind, drug__slug=drug):
        assert cited in rule.sources, str(rule)


def test_the_ketamine_page_lists_its_readings_to_watch_and_those_for_any_drug(
    client: Client,
) -> None:
    page = client.get("/drugs/ketamine/").text
    readings = page.split('id="readings-heading"')[1].split("</section>")[0]

    assert "Readings to watch" in page
    assert "within 6 hours after a ketamine dose" in readings
    assert "within 6 hours of a dose" in readings
    assert "An oxygen level of 92% or lower" in readings
    assert "A pulse of 131 or more" in readings
    assert "Call emergency services now" in readings
    assert "your local emergency number" in readings
    assert "{emergency_number}" not in readings
    assert "lamotrigine" not in readings
    assert "esketamine" not in readings


def test_the_lamotrigine_page_lists_the_fever_rule(client: Client) -> None:
    readings = client.get("/drugs/lamotrigine/").text.split('id="readings-heading"')[1]

    assert "A temperature of 38 °C (100.4 °F) or higher while you take lamotrigine" in readings
    assert "Contact your prescriber today" in readings


def test_a_drug_page_without_published_rules_has_no_readings_section(
    client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for rule in MeasurementRule.objects.all():
            rule.is_published = False
            rule.save(update_fields=["is_published"])

    assert "Readings to watch" not in client.get("/drugs/memantine/").text
