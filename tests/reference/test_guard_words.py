"""The guard's word lists are data (`reference/safety/words.toml`), and it knows their forms."""

from __future__ import annotations

import tomllib

import pytest

from reference.safety import find_dosage_advice
from reference.safety.lexicon import DOSE_UNITS, MED_NOUNS, VERB_FORMS, WORDS_FILE, plural


def test_the_word_lists_are_read_from_the_data_file() -> None:
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))

    assert "device" in data["medication"]["med_nouns"].split()
    assert {"device", "devices"} <= MED_NOUNS


@pytest.mark.parametrize(
    ("noun", "expected"),
    [("tablet", "tablets"), ("patch", "patches"), ("frequency", "frequencies"), ("dose", "doses")],
)
def test_a_noun_listed_in_the_singular_is_known_in_the_plural(noun: str, expected: str) -> None:
    assert plural(noun) == expected
    assert {noun, expected} <= MED_NOUNS


def test_every_dose_unit_is_a_medication_noun() -> None:
    assert DOSE_UNITS <= MED_NOUNS


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("decrease", ("decrease", "base")),
        ("decreases", ("decrease", "third")),
        ("decreased", ("decrease", "past")),
        ("decreasing", ("decrease", "gerund")),
        ("added", ("add", "past")),
        ("waiting", ("wait", "gerund")),
        ("took", ("take", "past")),
    ],
)
def test_a_verb_is_known_in_every_form(form: str, expected: tuple[str, str]) -> None:
    assert VERB_FORMS[form] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Decrease the number of tablets.",
        "Try decreasing the amount you take.",
        "Decreasing the dose helps with the headaches.",
        "Add two extra tablets.",
        "Add another one if the pain comes back.",
        "Use one device instead of two.",
        "Use two devices instead of one.",
    ],
)
def test_it_flags_advice_in_any_word_form(sentence: str) -> None:
    assert find_dosage_advice(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "The dizziness decreased after a week.",
        "My prescriber decreased my dose.",
        "Headaches usually decrease over time.",
        "I added two tablets to my journal.",
        "Add the ones you take so you can record doses and link symptoms to them.",
        "Reduce the amount of coffee you drink.",
        "Each device holds two sprays.",
    ],
)
def test_it_passes_the_same_words_used_neutrally(sentence: str) -> None:
    assert find_dosage_advice(sentence) == []
