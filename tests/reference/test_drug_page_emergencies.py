"""Every emergency a drug page names has a rule that fires for it.

A drug page tells a reader to call emergency services in two ways: a red flag whose action
is an emergency, and a sentence in its text (the summary, a side effect's notes, a red
flag's signs or guidance) that says so. For each symptom such a sentence names, a patient
on that drug who logs it as severe, an hour after a dose, must be told to call emergency
services. A sentence of a red flag may instead name one of its own symptom's danger signs
("a rash with blisters"): then the symptom with that sign ticked must.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from time_machine import TimeMachineFixture

from journal import services
from journal.selectors import RedFlagMatcher
from reference import selectors as library
from reference.models import RedFlag, SideEffect
from reference.safety.text import sentence_spans
from tests.support.factories import CourseFactory, DoseFactory, PatientFactory, seeded_drug

pytestmark = pytest.mark.django_db

ONSET = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
SAYS_EMERGENCY = re.compile(r"\{emergency_number\}|\bemergenc", re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    drug: str
    where: str  # which text on the page
    sentence: str
    side_effect: SideEffect
    danger_sign: str | None  # logged as this danger sign of `of_symptom`, if it is one
    of_symptom: SideEffect | None


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def emergencies_named(slug: str) -> list[Named]:
    """What the drug's page names as an emergency, symptom by symptom."""
    page = library.drug_page(slug=slug)
    reader = library.library_copy().symptom_reader
    by_id = library.library_copy().side_effects_by_id
    texts: list[tuple[str, str, RedFlag | None]] = [
        ("summary", page.drug.summary, None),
        ("what it treats", page.drug.treats, None),
    ]
    for link in page.links:
        texts.append((f"notes on {link.side_effect.slug}", link.notes, None))
    for flag in page.red_flags:
        texts.append((f"guidance of {flag}", flag.guidance, flag))
        if flag.action == RedFlag.Action.EMERGENCY:
            texts.append((f"signs of {flag}", flag.signs, flag))

    named: list[Named] = []
    for where, text, rule in texts:
        emergency_rule = rule is not None and rule.action == RedFlag.Action.EMERGENCY
        for sentence in sentences(text):
            if not (SAYS_EMERGENCY.search(sentence) or where.startswith("signs of")):
                continue
            for side_effect_id in reader.side_effect_ids(sentence):
                side_effect = by_id[side_effect_id]
                own = rule.side_effect if rule else None
                if own is not None and side_effect.pk == own.pk and emergency_rule:
                    continue  # the rule itself: checked by the test below
                sign = None
                if own is not None:
                    own_signs = library.library_copy().danger_signs.get(own.pk, {})
                    sign = side_effect.slug if side_effect.slug in own_signs else None
                named.append(Named(slug, where, sentence, side_effect, sign, own))
    return named


def first_action(
    *, drug: str, side_effect: SideEffect, danger_signs: tuple[str, ...], severity: int
) -> str | None:
    patient = PatientFactory.create()
    course = CourseFactory.create(
        patient=patient, drug=seeded_drug(drug), started_on=(ONSET - timedelta(days=30)).date()
    )
    DoseFactory.create(course=course, taken_at=ONSET - timedelta(hours=1))
    entry = services.symptom_entry_create(
        patient=patient,
        logged_by=patient,
        data=services.EntryInput(
            side_effect=side_effect,
            other_symptom="",
            onset_at=ONSET,
            resolved_at=None,
            severity=severity,
            interference=2,
            danger_signs=danger_signs,
        ),
    )
    flags = RedFlagMatcher(patient=patient).for_entry(entry)
    return flags[0].action if flags else None


DRUGS = ["ketamine", "esketamine", "memantine", "lamotrigine", "amantadine"]


@pytest.mark.parametrize("drug", DRUGS)
def test_every_symptom_a_drug_page_names_as_an_emergency_gets_one(
    drug: str, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(ONSET + timedelta(minutes=30), tick=False)
    named = emergencies_named(drug)
    assert named, "every page names some emergency"

    wrong = []
    for item in named:
        if item.danger_sign and item.of_symptom is not None:
            action = first_action(
                drug=drug, side_effect=item.of_symptom, danger_signs=(item.danger_sign,), severity=2
            )
        else:
            action = first_action(
                drug=drug, side_effect=item.side_effect, danger_signs=(), severity=3
            )
        if action != RedFlag.Action.EMERGENCY:
            wrong.append(f"{item.where}: “{item.sentence}” names {item.side_effect.slug}: {action}")
    assert wrong == []


@pytest.mark.parametrize("drug", DRUGS)
def test_every_emergency_red_flag_on_a_drug_page_fires_as_its_signs_say(
    drug: str, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(ONSET + timedelta(minutes=30), tick=False)
    rules = [
        rule
        for rule in library.drug_page(slug=drug).red_flags
        if rule.action == RedFlag.Action.EMERGENCY and rule.side_effect is not None
    ]
    assert rules

    for rule in rules:
        assert rule.side_effect is not None
        signs = sorted(sign.slug for sign in rule.danger_signs.all())
        action = first_action(
            drug=drug,
            side_effect=rule.side_effect,
            danger_signs=tuple(signs[:1]),
            severity=max(rule.min_severity or 0, 2),
        )
        assert action == RedFlag.Action.EMERGENCY, str(rule)


def test_the_esketamine_page_names_a_severe_headache_after_a_session_as_an_emergency() -> None:
    """The case that started it: the page said emergency, the rule said prescriber."""
    named = {item.side_effect.slug for item in emergencies_named("esketamine")}

    assert {"headache", "chest-pain", "severe-confusion"} <= named
