"""Word lists for the dosing-advice guard, read from `words.toml` beside this module.

The lists are data, kept where the content team can read and extend them: `words.toml`
says what each class of words is for. This module loads them once, at import, adds the
word forms (a verb's -s/-ed/-ing forms, a medication noun's plural) and puts together
the unions the rules use.

Everything is lower-case and already contraction-expanded (see `text.tokenize`). The
lists describe *classes* of words (medication nouns, change verbs, modal frames,
evaluative words ...), never whole test sentences: the rules in `events` and `acts`
combine them structurally.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORDS_FILE = Path(__file__).with_name("words.toml")

with WORDS_FILE.open("rb") as _file:
    _DATA: dict[str, Any] = tomllib.load(_file)


def wordset(text: str) -> frozenset[str]:
    """A word set from a space-separated string (keeps the long lists readable)."""
    return frozenset(text.split())


def _words(section: str, name: str) -> frozenset[str]:
    return wordset(_DATA[section][name])


def _nouns(section: str, name: str) -> frozenset[str]:
    """A list of nouns given in the singular, with their plurals."""
    singular = _words(section, name)
    return singular | {plural(noun) for noun in singular}


def _phrases(section: str, name: str) -> tuple[str, ...]:
    return tuple(_DATA[section][name])


def plural(noun: str) -> str:
    """The regular English plural of a noun ('tablet' -> 'tablets', 'patch' -> 'patches')."""
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in {"a", "e", "i", "o", "u"}:
        return noun[:-1] + "ies"
    return noun + "s"


# --------------------------------------------------------------------------- medication

DRUG_NAMES = _words("medication", "drug_names")
MED_NOUNS = (
    DRUG_NAMES
    | _nouns("medication", "med_nouns")
    | _words("medication", "med_words")
    | _nouns("medication", "dose_units")
    | _words("medication", "dose_units_as_written")
)
DOSE_UNITS = _nouns("medication", "dose_units") | _words("medication", "dose_units_as_written")
"""Units a dose is counted in ('an extra dose', 'a second spray')."""
AMOUNT_NOUNS = _nouns("medication", "amount_nouns")
OBJ_PRONOUNS = _words("medication", "obj_pronouns")
MED_OR_PRONOUN = MED_NOUNS | OBJ_PRONOUNS
TIME_WORDS = _words("medication", "time_words")
TIME_UNITS = _words("medication", "time_units")
SYMPTOMS = _words("medication", "symptoms")

# --------------------------------------------------------------------------- people

AGENTS = _words("people", "agents")
READER = _words("people", "reader")
FIRST_PERSON = _words("people", "first_person")
WE = _words("people", "we")
THEY = _words("people", "they")
THIRD_PERSON = _words("people", "third_person")
GENERIC = _words("people", "generic")
SUBJECT_PRONOUNS = _words("people", "subject_pronouns")
PERSONS = SUBJECT_PRONOUNS | READER | GENERIC | THEY | FIRST_PERSON | WE

# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class VerbSpec:
    """How a change verb combines: its particles and whether it may stand alone."""

    particles: frozenset[str] = frozenset()
    needs_particle: bool = False
    alone_ok: frozenset[str] = frozenset()
    """Particles ('' = none) with which the verb is about medication even with no object."""


def _spec(particles: str = "", needs_particle: bool = False, alone: str = "") -> VerbSpec:
    return VerbSpec(
        frozenset(particles.split()),
        needs_particle,
        frozenset("" if p == "-" else p for p in alone.split()),
    )


CHANGE_VERBS: dict[str, VerbSpec] = {
    verb: _spec(**spec) for verb, spec in _DATA["verbs"]["change"].items()
}
"""Verbs that change a dose or its schedule when their object is a medication."""

IRREGULAR: dict[str, tuple[str, str, str]] = {
    verb: (third, pasts, gerunds)
    for verb, (third, pasts, gerunds) in _DATA["verbs"]["irregular"].items()
}
"""Irregular verbs: base -> (third person, past forms, -ing forms)."""


OBJECT_REQUIRED = _words("verbs", "object_required")
NOUN_OBJECT_REQUIRED = _words("verbs", "noun_object_required")
BLOCKED_PHRASALS = frozenset(tuple(pair.split()) for pair in _phrases("verbs", "blocked_phrasals"))
HARMLESS_PHRASES = _phrases("verbs", "harmless_phrases")
NON_MED_IDIOMS = _phrases("verbs", "non_med_idioms")
DISPOSAL_VERBS = _words("verbs", "disposal_verbs")
DISPOSABLE = _words("verbs", "disposable")
SKIP_TYPE = _words("verbs", "skip_type")
ACCIDENTAL = _words("verbs", "accidental")
PATIENT_ACTIONS = _words("verbs", "patient_actions")
CARRIERS = _words("verbs", "carriers")
PUTTING_ON_VERBS = _words("verbs", "putting_on_verbs")
_DOUBLING = _words("verbs", "doubling")
COMMON_VERBS = _words("verbs", "common_verbs")
ADDING_VERBS = _words("verbs", "adding_verbs")
WAITING_VERBS = _words("verbs", "waiting_verbs")
RECORD_PLACES = _words("verbs", "record_places")
DOSE_OBJECT_VERBS = _words("verbs", "dose_object_verbs")


def _regular(lemma: str) -> tuple[str, str, str]:
    """Third person, past and gerund of a regular English verb."""
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma in _DOUBLING:
        return third, lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    if lemma.endswith("e"):
        return third, lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return third, lemma[:-1] + "ied", lemma + "ing"
    return third, lemma + "ed", lemma + "ing"


def _build_forms(lemmas: set[str]) -> dict[str, tuple[str, str]]:
    """Map every inflected form to (lemma, form) with form in base/third/past/gerund."""
    forms: dict[str, tuple[str, str]] = {}
    for lemma in sorted(lemmas):
        forms[lemma] = (lemma, "base")
    # Inflections win over a word listed as a lemma of its own ('tried' is try's past).
    for lemma in sorted(lemmas):
        if lemma in IRREGULAR:
            third, pasts, gerund = IRREGULAR[lemma]
            past_forms = pasts.split()
        else:
            third, past, gerund = _regular(lemma)
            past_forms = [past]
        for form in past_forms:
            _inflect(forms, form, lemma, "past")
        _inflect(forms, third, lemma, "third")
        for ger in gerund.split():
            _inflect(forms, ger, lemma, "gerund")
    return forms


def _inflect(forms: dict[str, tuple[str, str]], form: str, lemma: str, kind: str) -> None:
    """Record `form` as an inflection of `lemma` unless it is already one of another."""
    if form and (form not in forms or (forms[form][1] == "base" and forms[form][0] == form)):
        forms[form] = (lemma, kind)


VERB_FORMS = _build_forms(
    set(CHANGE_VERBS) | set(COMMON_VERBS) | set(CARRIERS) | ADDING_VERBS | WAITING_VERBS | {"halve"}
)
"""Surface form -> (lemma, form) for every verb the guard knows."""

CHANGE_GERUNDS = frozenset(
    form for form, (lemma, kind) in VERB_FORMS.items() if kind == "gerund" and lemma in CHANGE_VERBS
) - {"going", "coming", "getting", "giving", "putting", "bringing", "working", "doing"}

AUX = _words("verbs", "aux")
MODALS = _words("verbs", "modals")
BE_FORMS = _words("verbs", "be_forms")

# --------------------------------------------------------------------------- modifiers

AMOUNT_MODIFIERS = _words("modifiers", "amount_modifiers")
TIMING_MODIFIERS = _words("modifiers", "timing_modifiers")
MEALS = _words("modifiers", "meals")
WEAK_MODIFIERS = _words("modifiers", "weak_modifiers")
COMPARATIVES = _words("modifiers", "comparatives")
CHANGE_NOUNS = _words("modifiers", "change_nouns")
BREAK_NOUNS = _words("modifiers", "break_nouns")
DEGREE_WORDS = _words("modifiers", "degree_words")
SUFFICIENT = _words("modifiers", "sufficient")
EXCESSIVE = _words("modifiers", "excessive")
STOP_IDIOMS: dict[str, tuple[str, ...]] = {
    verb: tuple(tails) for verb, tails in _DATA["modifiers"]["stop_idioms"].items()
}
"""Idioms for stopping: verb lemma -> what follows it (an object may come between)."""

# --------------------------------------------------------------------------- syntax words

FILLERS = _words("syntax", "fillers")
DETERMINERS = _words("syntax", "determiners")
ADVERBS = _words("syntax", "adverbs")
PARTICLES = _words("syntax", "particles")
REFLEXIVES = _words("syntax", "reflexives")
OBJ_BOUNDARY = _words("syntax", "obj_boundary")
COORDINATORS = _words("syntax", "coordinators")
SUBORDINATORS = _words("syntax", "subordinators")
PUNCT = frozenset(',;:()"-–—!?.')
CLAIM_SUBORDINATORS = _words("syntax", "claim_subordinators")
AUX_INVERT = _words("syntax", "aux_invert")
WH_WORDS = _words("syntax", "wh_words")

# --------------------------------------------------------------------------- speech acts

IMPERATIVE_CARRIERS = _words("speech_acts", "imperative_carriers")
CARRIER_TAIL = _words("speech_acts", "carrier_tail")
GOVERNORS = _words("speech_acts", "governors")
RECOMMEND_WORDS = _words("speech_acts", "recommend_words")
RECOMMEND_TAIL = _words("speech_acts", "recommend_tail")
SUGGESTION_CUES = _phrases("speech_acts", "suggestion_cues")
DOUBLE_NEGATIVE_CUES = _phrases("speech_acts", "double_negative_cues")
PERMISSIVE_NEGATIVE_CUES = _phrases("speech_acts", "permissive_negative_cues")
ENDORSEMENTS = _phrases("speech_acts", "endorsements")
PRONOUN_ENDORSEMENTS = _phrases("speech_acts", "pronoun_endorsements")
NEGATORS = _words("speech_acts", "negators")
GATE_VERBS = _words("speech_acts", "gate_verbs")
GATE_NOUNS = _words("speech_acts", "gate_nouns")
TALK_VERBS = _words("speech_acts", "talk_verbs")

# --------------------------------------------------------------------------- evaluation

POSITIVE = _words("evaluation", "positive")
NEGATIVE = _words("evaluation", "negative")
FLIPPERS = _words("evaluation", "flippers")
DIMINISHERS = _words("evaluation", "diminishers")
INTENSIFIERS = _words("evaluation", "intensifiers")
POSITIVE_PHRASES = _phrases("evaluation", "positive_phrases")
ACTIVITY_NOUNS = _words("evaluation", "activity_nouns")
GIVE_IDIOMS = _words("evaluation", "give_idioms")
NUMBER_WORDS = _words("evaluation", "number_words")
THAT_CLAIM = _words("evaluation", "that_claim")
