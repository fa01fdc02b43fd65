"""The seeded measurement rules, checked against the words of the labels and guidance they
cite, with readings of a patient whose courses and doses the factories wrote.

- Spravato PI 5.7 and the AHA's hypertensive-crisis page: 180/120 or higher after a dose,
  with chest pain, shortness of breath, a sudden severe headache, vision changes... →
  emergency care; without them → a repeat reading and the prescriber today.
- Lamictal PI (boxed warning, 5.2 HLH, 5.3 DRESS) and the NHS: a temperature of 38 °C or
  more on lamotrigine → the prescriber today.
- NHS pulse oximeter guidance: 93–94% → urgent advice; 92% or lower → emergency.
- NEWS2: a pulse of 131 or more, or 40 or less, on its own → an urgent review; the NHS:
  palpitations with chest pain, breathlessness or fainting → 999.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from time_machine import TimeMachineFixture

from journal.models import MedicationCourse
from reference.models import MeasurementKind, MeasurementRule
from reference.selectors import measurement_rules_matching
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug
from tests.support.readings import reading_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
BP = MeasurementKind.BLOOD_PRESSURE
PULSE = MeasurementKind.HEART_RATE
OXYGEN = MeasurementKind.OXYGEN_SATURATION
TEMPERATURE = MeasurementKind.BODY_TEMPERATURE
EMERGENCY = MeasurementRule.Action.EMERGENCY
PRESCRIBER_TODAY = MeasurementRule.Action.PRESCRIBER_TODAY


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def on(patient: User, slug: str, *, dose_hours_ago: float | None = None) -> MedicationCourse:
    course = CourseFactory.create(patient=patient, drug=seeded_drug(slug))
    if dose_hours_ago is not None:
        DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=dose_hours_ago))
    return course


def first_action(rules: list[MeasurementRule]) -> str | None:
    return rules[0].action if rules else None


@pytest.mark.parametrize("drug", ["ketamine", "esketamine"])
def test_200_over_125_after_a_dose_with_warning_signs_is_an_emergency(
    patient: User, drug: str
) -> None:
    on(patient, drug, dose_hours_ago=1)

    rules = measurement_rules_matching(
        reading_of(patient, BP, systolic=200, diastolic=125, warning_signs=True)
    )

    assert rules[0].action == EMERGENCY
    assert rules[0].drug == seeded_drug(drug)
    assert rules[0].get_action_display() == "Call emergency services now"
    assert "chest pain" in rules[0].signs
    assert "call 999 now" in rules[0].guidance_for("GB")


@pytest.mark.parametrize("drug", ["ketamine", "esketamine"])
def test_200_over_125_after_a_dose_without_warning_signs_is_a_repeat_and_the_prescriber_today(
    patient: User, drug: str
) -> None:
    on(patient, drug, dose_hours_ago=1)

    rules = measurement_rules_matching(reading_of(patient, BP, systolic=200, diastolic=125))

    assert rules[0].action == PRESCRIBER_TODAY
    assert rules[0].drug == seeded_drug(drug)
    assert rules[0].get_action_display() == "Contact your prescriber today"
    assert "repeat reading" in rules[0].guidance
    assert "prescriber or clinic today" in rules[0].guidance
    assert all(rule.action != EMERGENCY for rule in rules)


@pytest.mark.parametrize(("systolic", "diastolic"), [(180, 90), (150, 120), (176, 104), (138, 86)])
def test_either_number_at_the_crisis_mark_counts_and_the_issue_s_clinic_readings_do_not(
    patient: User, systolic: int, diastolic: int
) -> None:
    on(patient, "esketamine", dose_hours_ago=0.7)

    action = first_action(
        measurement_rules_matching(reading_of(patient, BP, systolic=systolic, diastolic=diastolic))
    )

    crisis = systolic >= 180 or diastolic >= 120
    assert action == (PRESCRIBER_TODAY if crisis else None)


def test_179_over_119_is_below_every_mark_even_with_warning_signs(patient: User) -> None:
    on(patient, "ketamine", dose_hours_ago=1)

    reading = reading_of(patient, BP, systolic=179, diastolic=119, warning_signs=True)

    assert measurement_rules_matching(reading) == []


def test_a_crisis_reading_long_after_the_dose_falls_to_the_rules_for_any_drug(
    patient: User,
) -> None:
    on(patient, "ketamine", dose_hours_ago=30)

    rules = measurement_rules_matching(
        reading_of(patient, BP, systolic=200, diastolic=125, warning_signs=True)
    )

    assert [rule.drug for rule in rules] == [None, None]
    assert [rule.action for rule in rules] == [EMERGENCY, PRESCRIBER_TODAY]


def test_39_degrees_on_lamotrigine_is_the_prescriber_today(patient: User) -> None:
    on(patient, "lamotrigine")

    rules = measurement_rules_matching(reading_of(patient, TEMPERATURE, value="39.0"))

    assert len(rules) == 1
    assert rules[0].get_action_display() == "Contact your prescriber today"
    assert "serious reaction" in rules[0].guidance
    assert "LAMICTAL" in rules[0].sources


@pytest.mark.parametrize(("value", "fires"), [("38.0", True), ("37.9", False), ("37.5", False)])
def test_the_lamotrigine_fever_mark_is_38_degrees(patient: User, value: str, fires: bool) -> None:
    on(patient, "lamotrigine")

    rules = measurement_rules_matching(reading_of(patient, TEMPERATURE, value=value))

    assert bool(rules) is fires


def test_39_degrees_on_memantine_meets_no_lamotrigine_rule(patient: User) -> None:
    on(patient, "memantine")

    assert measurement_rules_matching(reading_of(patient, TEMPERATURE, value="39.0")) == []


def test_a_lamotrigine_course_that_ended_no_longer_counts(patient: User) -> None:
    course = on(patient, "lamotrigine")
    course.stopped_on = NOW.date() - timedelta(days=10)
    course.save()

    assert measurement_rules_matching(reading_of(patient, TEMPERATURE, value="39.0")) == []


@pytest.mark.parametrize(
    ("value", "warning_signs", "action"),
    [
        ("97", False, None),
        ("95", True, None),
        ("94", False, PRESCRIBER_TODAY),
        ("93", False, PRESCRIBER_TODAY),
        ("94", True, EMERGENCY),
        ("92", False, EMERGENCY),
        ("85", False, EMERGENCY),
    ],
)
def test_oxygen_saturation_follows_the_nhs_oximeter_marks(
    patient: User, value: str, warning_signs: bool, action: str | None
) -> None:
    on(patient, "memantine")

    rules = measurement_rules_matching(
        reading_of(patient, OXYGEN, value=value, warning_signs=warning_signs)
    )

    assert first_action(rules) == action


@pytest.mark.parametrize(
    ("value", "warning_signs", "action"),
    [
        ("100", True, None),
        ("110", True, None),
        ("115", False, None),
        ("130", False, None),
        ("115", True, EMERGENCY),
        ("131", False, PRESCRIBER_TODAY),
        ("140", True, EMERGENCY),
        ("55", True, None),
        ("50", False, None),
        ("45", True, EMERGENCY),
        ("40", False, PRESCRIBER_TODAY),
    ],
)
def test_a_very_fast_or_very_slow_pulse_follows_news2_and_the_nhs(
    patient: User, value: str, warning_signs: bool, action: str | None
) -> None:
    on(patient, "amantadine")

    rules = measurement_rules_matching(
        reading_of(patient, PULSE, value=value, warning_signs=warning_signs)
    )

    assert first_action(rules) == action


def test_a_blood_pressure_rule_ignores_a_pulse_reading_of_the_same_number(patient: User) -> None:
    on(patient, "ketamine", dose_hours_ago=1)

    rules = measurement_rules_matching(reading_of(patient, PULSE, value="125"))

    assert rules == []
