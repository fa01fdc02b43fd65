"""The dosing-advice guard: Sidelog never suggests a change of dose.

`find_dosage_advice(text)` returns the sentences of `text` that advise or suggest changing
a medication's dose or how it is taken (more, less, skip, stop, taper, switch, a different
time ...), whether direct, hedged, conditional or phrased as a claim that it helps.

It is pure Python with no dependencies, built from a light syntax rather than a list of
sentences:

* `text` splits sentences, tokens (contractions expanded) and clauses (on punctuation,
  coordinators and subordinators, including a comma-less "if X do Y");
* `events` finds change events: a change verb with a medication object, take/use/have
  (or try / go for) with a changed amount or time, or a changed-amount noun phrase;
* `idioms` finds changes with shapes of their own: breaks ("leave it a few days"),
  splitting with any verb ("nip it in half"), stopping idioms ("pack it in"), amounts
  claimed to be enough ("two sprays is plenty"), new intervals ("a day between doses"),
  departures from the instructions ("slower than the leaflet says"), waits before the
  next dose ("wait a day before your next tablet"), added doses ("add an extra dose") ...;
* `frames` reads the words around a change: who makes it, and whether it is framed as
  an imperative, a recommendation, a question, a prohibition, a passive or a claim;
* `acts` puts the clauses together and decides whether each event is advised
  (imperative, modal recommendation, suggesting question, conditional consequence, claim
  that it helps, an anecdote endorsed with "try that", an instruction that sets a time
  or an amount, what to do about a missed dose) or only mentioned (prohibited, done by a
  prescriber, asked of a prescriber, gated on their say-so, recorded, or stated as a
  fact);
* `lexicon` loads the word classes all of these combine from `words.toml`, a data file
  the content team can read and extend, and adds their word forms.

It leans to flagging: a save it refuses can still go through when a second content editor
confirms the sentence is not advice (`reference.models.AdviceClearance`), but nothing it
lets through is checked again.
"""

from __future__ import annotations

from reference.safety.acts import sentence_gives_advice
from reference.safety.text import sentence_spans

__all__ = ["find_dosage_advice"]


def find_dosage_advice(text: str) -> list[str]:
    """The phrases of `text` that read as dosing advice, in order, without duplicates.

    Each phrase is the offending sentence exactly as it appears in `text`, trimmed, so an
    editor can be shown which words to rewrite.
    """
    found: list[str] = []
    seen: set[str] = set()
    for start, end in sentence_spans(text):
        phrase = text[start:end]
        if phrase not in seen:
            seen.add(phrase)
            if sentence_gives_advice(phrase):
                found.append(phrase)
    return found
