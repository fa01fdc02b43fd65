"""How well the dosing-advice guard does on labelled sentences it was and wasn't tuned on.

Recall is the share of ADVICE lines flagged; specificity the share of NEUTRAL lines passed.
The held-out corpus (`guard_corpus/heldout.txt`) is never used for tuning, so its figures
are the honest estimate; its floors sit a little under what was measured. Both parts'
figures are printed in the terminal summary (see `pytest_terminal_summary` in conftest).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reference.safety import find_dosage_advice

CORPUS_DIR = Path(__file__).parent / "guard_corpus"
LABELS = ("ADVICE", "NEUTRAL")

# Issue 11, item 8: these passed the guard before it was reworked.
ISSUE_11_SENTENCES = [
    "Wait a day before your next tablet.",
    "Take it with food or at bedtime instead of the morning.",
    "Use one device instead of two.",
    "If you miss a dose, take it as soon as you remember.",
    "Decrease the amount you take.",
    "Add an extra dose before bed.",
]


@dataclass(frozen=True)
class Score:
    part: str
    advice: int
    flagged: int
    neutral: int
    passed: int
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.flagged / self.advice

    @property
    def specificity(self) -> float:
        return self.passed / self.neutral

    def summary(self) -> str:
        return (
            f"guard corpus [{self.part}]: recall {self.recall:.3f} "
            f"({self.flagged}/{self.advice} advice flagged), specificity "
            f"{self.specificity:.3f} ({self.passed}/{self.neutral} neutral passed)"
        )

    def report(self) -> str:
        lines = [self.summary()]
        lines += [f"  missed advice: {sentence}" for sentence in self.missed]
        lines += [f"  false alarm:   {sentence}" for sentence in self.false_alarms]
        return "\n".join(lines)


def load(part: str) -> list[tuple[str, str]]:
    """(label, sentence) pairs from `guard_corpus/<part>.txt`."""
    pairs = []
    for line in (CORPUS_DIR / f"{part}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split(None, 1)
        pairs.append((label, sentence.strip()))
    return pairs


def score(part: str) -> Score:
    pairs = load(part)
    advice = [s for label, s in pairs if label == "ADVICE"]
    neutral = [s for label, s in pairs if label == "NEUTRAL"]
    missed = tuple(s for s in advice if not find_dosage_advice(s))
    false_alarms = tuple(s for s in neutral if find_dosage_advice(s))
    return Score(
        part=part,
        advice=len(advice),
        flagged=len(advice) - len(missed),
        neutral=len(neutral),
        passed=len(neutral) - len(false_alarms),
        missed=missed,
        false_alarms=false_alarms,
    )


@pytest.mark.parametrize(
    ("part", "min_recall", "min_specificity"),
    [
        # Measured when the floors were set: recall 1.000 (122/122), specificity 1.000
        # (146/146). The floors leave room for two misses of each kind.
        ("tuning", 0.98, 0.98),
        # Measured once, after tuning ended, never tuned against (see the README): recall
        # 0.920 (69/75), specificity 1.000 (75/75); the guard before issue 11 had 0.760 and
        # 1.000.
        ("heldout", 0.90, 0.97),
    ],
)
def test_the_guard_meets_its_floors_on_each_corpus(
    part: str, min_recall: float, min_specificity: float, record_property: Any
) -> None:
    result = score(part)
    # Shown at the end of the run by conftest's terminal summary, xdist or not.
    record_property("guard_corpus", result.summary())

    assert result.recall >= min_recall, result.report()
    assert result.specificity >= min_specificity, result.report()


@pytest.mark.parametrize("sentence", ISSUE_11_SENTENCES)
def test_it_flags_the_sentences_issue_11_found_passing(sentence: str) -> None:
    assert find_dosage_advice(sentence) == [sentence]


def test_the_issue_11_sentences_are_in_the_tuning_corpus_as_advice() -> None:
    assert set(ISSUE_11_SENTENCES) <= {s for label, s in load("tuning") if label == "ADVICE"}


@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_each_corpus_is_labelled_and_balanced(part: str) -> None:
    pairs = load(part)
    labels = [label for label, _ in pairs]
    sentences = [sentence for _, sentence in pairs]

    assert set(labels) <= set(LABELS)
    assert len(sentences) == len(set(sentences)), "a sentence is listed twice"
    assert len(pairs) >= 120
    assert 0.4 <= labels.count("ADVICE") / len(labels) <= 0.6


def test_the_held_out_corpus_shares_no_sentence_with_the_tuning_material() -> None:
    heldout = {sentence for _, sentence in load("heldout")}
    tuning = {sentence for _, sentence in load("tuning")}
    safety_tests = (Path(__file__).parent / "test_safety.py").read_text(encoding="utf-8")

    assert not heldout & tuning
    assert not [s for s in heldout if f'"{s}"' in safety_tests]


def test_the_held_out_corpus_says_it_is_never_used_for_tuning() -> None:
    header = (CORPUS_DIR / "heldout.txt").read_text(encoding="utf-8").splitlines()[0]
    readme = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")

    assert "NEVER used for tuning" in header
    assert "never used for tuning" in readme
