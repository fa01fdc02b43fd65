"""Reading a symptom described in the patient's own words.

"Blistering on my lips" names no symptom in the list, yet it names one of the library's
synonyms ("blisters on the lips"). Words are compared by their stems (Snowball's English
stemmer), so "blistering" and "blisters" both meet "blister", and a phrase matches when
each of its words appears somewhere in the text, in any order: "pain in my chest" is
"chest pain". Leaning this way is deliberate: a symptom read too eagerly shows a red flag
the patient can correct; one missed shows nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import snowballstemmer

# Words that carry no symptom of their own: "pain in my chest" is read as "chest pain".
FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "my",
        "me",
        "i",
        "i'm",
        "im",
        "ive",
        "i've",
        "it",
        "its",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "have",
        "has",
        "had",
        "having",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "with",
        "for",
        "by",
        "or",
        "some",
        "very",
        "really",
        "bit",
        "quite",
        "little",
        "lot",
        "lots",
        "feel",
        "feels",
        "feeling",
        "felt",
        "get",
        "got",
        "getting",
        "like",
        "kind",
        "sort",
        "after",
        "before",
        "since",
        "this",
        "that",
    ]
)
_WORD = re.compile(r"[a-z]+")
# "can't", "can’t" (a phone's apostrophe) and "cant" are one word.
_APOSTROPHES = re.compile(r"['’‘`]")


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def word_stems(text: str) -> list[str]:
    plain = _APOSTROPHES.sub("", text.lower())
    words = [word for word in _WORD.findall(plain) if word not in FILLER_WORDS]
    return list(_stemmer().stemWords(words))


@dataclass(frozen=True)
class _Phrase:
    side_effect_id: int
    stems: frozenset[str]


class SymptomReader:
    """Finds the library symptoms that a piece of text names, by their names and synonyms."""

    def __init__(self, named: Iterable[tuple[int, Iterable[str]]]) -> None:
        """`named`: each side effect's id with its name and synonyms."""
        self.phrases = [
            _Phrase(side_effect_id, frozenset(stems))
            for side_effect_id, phrases in named
            for phrase in phrases
            if (stems := word_stems(phrase))
        ]

    def side_effect_ids(self, text: str) -> list[int]:
        """The symptoms named in `text`, the one named with the most words first.

        A symptom named only by words that name another more fully is left out: "blisters
        on my lips" names sores on the lips, not blistering skin as well.
        """
        stems = word_stems(text)
        present = set(stems)
        best: dict[int, frozenset[str]] = {}
        for phrase in self.phrases:
            longer = len(phrase.stems) > len(best.get(phrase.side_effect_id, ()))
            if longer and phrase.stems <= present and _close_together(phrase.stems, stems):
                best[phrase.side_effect_id] = phrase.stems
        named = [
            side_effect_id
            for side_effect_id, words in best.items()
            if not any(words < other for other in best.values())
        ]
        return sorted(named, key=lambda side_effect_id: -len(best[side_effect_id]))


def _close_together(wanted: frozenset[str], stems: list[str]) -> bool:
    """Whether the words of a phrase all appear within a stretch of the text at most one word
    longer than the phrase: "pain in my chest" names chest pain, "a head injury and chest
    pain" names no head pain."""
    width = len(wanted) + 1
    return any(wanted <= set(stems[start : start + width]) for start in range(len(stems)))
