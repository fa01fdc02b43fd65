"""Change events: the places in a clause where a dose or its schedule changes.

Three shapes are recognised:

* a change verb whose object is a medication ("halve the dose", "come off it", "taper"),
* take/use/have with a changed amount or time ("take less", "take it later", "use one
  spray instead of two"),
* a changed-amount noun phrase ("a lower dose", "half a tablet", "a break from it").

Whether an event is *advice* is decided afterwards, from the clause around it (`acts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.safety.lexicon import (
    ADVERBS,
    AMOUNT_MODIFIERS,
    AUX,
    BE_FORMS,
    BLOCKED_PHRASALS,
    BREAK_NOUNS,
    CARRIERS,
    CHANGE_GERUNDS,
    CHANGE_NOUNS,
    CHANGE_VERBS,
    COMPARATIVES,
    DETERMINERS,
    FILLERS,
    FIRST_PERSON,
    GENERIC,
    GIVE_IDIOMS,
    IMPERATIVE_CARRIERS,
    MED_NOUNS,
    MODALS,
    NUMBER_WORDS,
    OBJ_BOUNDARY,
    OBJ_PRONOUNS,
    PARTICLES,
    READER,
    RECOMMEND_WORDS,
    REFLEXIVES,
    SKIP_TYPE,
    SUBJECT_PRONOUNS,
    THEY,
    TIME_UNITS,
    TIME_WORDS,
    TIMING_MODIFIERS,
    VERB_FORMS,
    WE,
    WEAK_MODIFIERS,
    wordset,
)

MED_OR_PRONOUN = MED_NOUNS | OBJ_PRONOUNS
PERSONS = SUBJECT_PRONOUNS | READER | GENERIC | THEY | FIRST_PERSON | WE


@dataclass(frozen=True)
class Event:
    """One change found in a clause, by word index."""

    start: int
    end: int
    lemma: str
    form: str
    """base, third, past, gerund or nominal."""
    kind: str
    """change; plain (take it, no change); weak (a timing that is a change only if
    conditional); nominal (a changed-amount noun phrase)."""


def find_events(words: list[str], med_context: bool, then_verb: bool = False) -> list[Event]:
    """All change events (and plain take-events, for omissions) in a clause.

    `med_context`: the sentence is about medication, so a bare 'stop' means stopping it.
    `then_verb`: the clause is followed by 'and <verb>' ('stop and sit down'), so a bare
    change verb at its end is about the activity of the moment.
    """
    events: list[Event] = []
    for i in range(len(words)):
        for finder in (_verb_event, _give_idiom_event, _carrier_event, _nominal_event):
            event = finder(words, i, med_context and not then_verb)
            if event is not None:
                events.append(event)
    return events


# --------------------------------------------------------------------------- verbs


def _verb_event(words: list[str], i: int, med_context: bool) -> Event | None:
    """A change verb with a medication object, or alone where that means medication."""
    entry = _verb_entry(words, i)
    if entry is None:
        return None
    lemma, form = entry
    spec = CHANGE_VERBS[lemma]
    if _is_noun_use(words, i):
        return None
    particle_at = _particle(words, i, spec.particles)
    particle = words[particle_at] if particle_at is not None else ""
    if spec.needs_particle and not particle:
        return None
    nxt = _next(words, i)
    if (lemma, particle) in BLOCKED_PHRASALS or (lemma, nxt) in BLOCKED_PHRASALS:
        return None
    if nxt in _OTHER_PARTICLES and nxt not in spec.particles:
        return None  # 'cut off', 'drop off', 'miss out': another phrasal verb
    end = (particle_at or i) + 1
    obj = object_kind(words, i + 1, lemma, skip=particle_at)
    if obj in {"other", "activity"}:
        return None
    if obj == "none":
        passive = _is_passive(words, i, form)
        if passive is not None:
            return Event(i, end, lemma, form, "change") if passive else None
        alone_ok = particle in spec.alone_ok or _med_adverb(words, end)
        if not (alone_ok or med_context) or not _person_subject(words, i):
            return None
    return Event(i, end, lemma, form, "change")


_OTHER_PARTICLES = wordset("off out up down back over away by around")


def _verb_entry(words: list[str], i: int) -> tuple[str, str] | None:
    """(lemma, form) if words[i] is a change verb here; handles 'up' and 'half' as verbs."""
    word = words[i]
    prev = words[i - 1] if i else ""
    nxt = _next(words, i)
    verb_slot = i == 0 or prev in FILLERS or prev in MODALS or prev in {"to", "you", "not"}
    if word == "half":
        if verb_slot and (nxt in {"it", "them", "the", "your", "my"}):
            return "halve", "base"
        return None
    entry = VERB_FORMS.get(word)
    if entry is None or entry[0] not in CHANGE_VERBS:
        return None
    if entry[0] == "up" and not (verb_slot and (nxt in DETERMINERS or nxt in MED_OR_PRONOUN)):
        return None
    return entry


def _is_noun_use(words: list[str], i: int) -> bool:
    """'a change', 'the switch', 'dose increase': a noun, not a verb."""
    prev = words[i - 1] if i else ""
    return prev in DETERMINERS or prev in MED_NOUNS or prev in COMPARATIVES


def _particle(words: list[str], i: int, particles: frozenset[str]) -> int | None:
    """Index of the verb's particle, right after it or after a short object."""
    for j in range(i + 1, min(i + 5, len(words))):
        if words[j] in particles:
            return j
        if words[j] in OBJ_BOUNDARY or (words[j] in PARTICLES and j == i + 1):
            return None
    return None


def object_kind(words: list[str], start: int, lemma: str, skip: int | None = None) -> str:
    """Classify what follows a verb: med, none (no object), activity or other."""
    content = [w for w in _object_window(words, start, skip) if w not in REFLEXIVES]
    content = [w for w in content if w not in PARTICLES]
    if not content:
        return "none"
    first = content[0]
    if first in CHANGE_GERUNDS:
        return "activity"
    if first in {"taking", "using", "having"}:
        return "med" if len(content) == 1 else object_kind(content, 1, "take")
    if first.endswith("ing") and first not in MED_NOUNS and first != "evening":
        return "other"
    if any(w in MED_OR_PRONOUN for w in content):
        return "med"
    if lemma in SKIP_TYPE and any(w in TIME_WORDS for w in content):
        return "med"
    if all(w in ADVERBS or w in DETERMINERS or w in TIME_WORDS for w in content):
        return "none"
    has_number = any(w[0].isdigit() for w in content)
    if has_number and all(w[0].isdigit() or w in _AMOUNT_FILLER for w in content):
        return "med"
    return "other"


_AMOUNT_FILLER = DETERMINERS | TIME_WORDS | ADVERBS | wordset("per times x daily")


def _object_window(words: list[str], start: int, skip: int | None) -> list[str]:
    """Up to 7 words after the verb, stopping at a boundary or purpose 'to <verb>'."""
    out: list[str] = []
    j = start
    content = False
    while j < len(words) and len(out) < 7:
        word = words[j]
        if j != skip:
            if word in OBJ_BOUNDARY or (content and word in PARTICLES and word != "of"):
                break
            if word == "to" and j + 1 < len(words) and _is_plain_verb(words[j + 1]):
                break
            out.append(word)
            content = content or not (word in PARTICLES or word in DETERMINERS)
        j += 1
    return out


def _is_plain_verb(word: str) -> bool:
    entry = VERB_FORMS.get(word)
    return entry is not None and entry[1] == "base" and word not in MED_NOUNS


def _med_adverb(words: list[str], j: int) -> bool:
    """'stop cold turkey', 'stop completely': adverbs that only go with medication."""
    tail = words[j : j + 2]
    return tail == ["cold", "turkey"] or (bool(tail) and tail[0] in {"altogether", "completely"})


def _is_passive(words: list[str], i: int, form: str) -> bool | None:
    """For 'the dose is raised': True if its subject is a medication, None if not passive."""
    if form != "past":
        return None
    j = i - 1
    while j >= 0 and (words[j] in ADVERBS or words[j] in FILLERS):
        j -= 1
    if j < 0 or words[j] not in BE_FORMS:
        return None
    before = words[max(0, j - 4) : j]
    return any(w in MED_OR_PRONOUN for w in before)


def _person_subject(words: list[str], i: int) -> bool:
    """A verb with no object must have a person (or nobody: imperative) as subject."""
    j = i - 1
    while j >= 0:
        word = words[j]
        if word in PERSONS or word in RECOMMEND_WORDS or word in IMPERATIVE_CARRIERS:
            return True
        if word in FILLERS or word in AUX or word in MODALS or word in ADVERBS:
            j -= 1
            continue
        return word in {"to", "about", "trying", "considering", "is", "not"}
    return True


def _next(words: list[str], i: int) -> str:
    return words[i + 1] if i + 1 < len(words) else ""


# --------------------------------------------------------------------------- take/use/have


def _carrier_event(words: list[str], i: int, med_context: bool) -> Event | None:
    """take/use/have + a changed amount or time; or a plain 'take it' (for omissions)."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] not in CARRIERS:
        return None
    lemma, form = entry
    nxt = _next(words, i)
    if lemma == "have" and not (nxt in DETERMINERS or nxt in AMOUNT_MODIFIERS or nxt in MED_NOUNS):
        return None
    window = words[i + 1 : i + 10]
    if _has_change_modifier(window):
        return Event(i, i + 1, lemma, form, "change")
    before = [w for w in words[:i] if w not in FILLERS or w in {"only", "just"}]
    timed = any(w in WEAK_MODIFIERS or w in TIME_WORDS for w in window)
    counted = any(w[:1].isdigit() or w in NUMBER_WORDS for w in window[:2])
    one_off = any(w in {"tonight", "today", "tomorrow"} for w in window)
    if before and before[-1] == "only" and timed:
        return Event(i, i + 1, lemma, form, "change")
    if counted and (one_off or (before and before[-1] in {"only", "just"})):
        return Event(i, i + 1, lemma, form, "change")
    start = i + 2 if lemma == "bother" and nxt == "with" else i + 1
    head = [w for w in _object_window(words, start, None) if w not in DETERMINERS]
    first = head[0] if head else ""
    if first == "anymore":
        return Event(i, i + 1, lemma, form, "plain")
    amount = first[:1].isdigit() or first in NUMBER_WORDS
    if not (any(w in MED_OR_PRONOUN for w in head[:3]) or first in TIME_WORDS or amount):
        return None
    usual = any(w in {"same", "usual", "normal", "regular", "prescribed"} for w in window)
    weak = not usual and any(w in WEAK_MODIFIERS or w in TIME_WORDS for w in window)
    return Event(i, i + 1, lemma, form, "weak" if weak or amount else "plain")


def _give_idiom_event(words: list[str], i: int, med_context: bool) -> Event | None:
    """'give tonight's dose a miss', 'give it a rest': leave the medication out."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] != "give":
        return None
    for j in range(i + 2, min(i + 7, len(words) - 1)):
        if words[j] == "a" and words[j + 1] in GIVE_IDIOMS:
            if any(w in MED_OR_PRONOUN for w in words[i + 1 : j]):
                return Event(i, j + 2, "skip", entry[1], "change")
            return None
    return None


def _has_change_modifier(window: list[str]) -> bool:
    """Whether the words after take/use/have change the amount or the timing."""
    for j, word in enumerate(window):
        nxt = window[j + 1] if j + 1 < len(window) else ""
        after = window[j + 2] if j + 2 < len(window) else ""
        if word in TIMING_MODIFIERS:
            return True
        if word == "every" and nxt in {"other", "second", "few", "couple", "third"}:
            return True
        if word in {"less", "more"} and nxt in {"often", "frequently", "regularly", "than"}:
            return True
        if (word, nxt, after) == ("not", "at", "all"):
            return True
        if word == "as" and (nxt in {"needed", "required"} or (nxt, after) == ("and", "when")):
            return True
        if word in {"only", "just"} and (nxt in {"one", "half", "a"} or nxt[:1].isdigit()):
            return True
        if word == "only" and (nxt in _TIME_PREPS or nxt in TIME_WORDS or nxt in WEAK_MODIFIERS):
            return True
        if word in BREAK_NOUNS and nxt in {"from", "off"}:
            return _med_follows(window, j + 2)
        ordinal = word == "second" and j > 0 and window[j - 1] in {"the", "your", "my"}
        if word in AMOUNT_MODIFIERS and not ordinal and _amount_of_medication(window, j + 1):
            return True
    return False


_TIME_PREPS = wordset("on at in when if every once twice")


def _amount_of_medication(window: list[str], j: int) -> bool:
    """After 'less/half/extra...': is the amount one of medication (not 'more water')?"""
    while j < len(window) and window[j] in {"of", "a", "an", "the", "your", "my", "bit", "little"}:
        j += 1
    if j >= len(window):
        return True
    noun = window[j]
    if noun in TIME_UNITS:
        return False
    return (
        noun in MED_OR_PRONOUN
        or noun[:1].isdigit()
        or noun in ADVERBS
        or noun in FILLERS
        or noun in OBJ_BOUNDARY
        or noun in TIME_WORDS
        or noun in VERB_FORMS
        or noun in {"than", "at", "on", "in", "to"}
    )


def _med_follows(words: list[str], j: int) -> bool:
    """A medication noun or pronoun within the next three words."""
    return any(w in MED_OR_PRONOUN for w in words[j : j + 3])


# --------------------------------------------------------------------------- noun phrases


def _nominal_event(words: list[str], i: int, med_context: bool) -> Event | None:
    """A changed-amount noun phrase: 'a lower dose', 'half a tablet', 'dose reduction'."""
    word = words[i]
    nxt = _next(words, i)
    start = i
    while start > 0 and words[start - 1] in {"a", "an", "the", "your", "my"}:
        start -= 1
    found = False
    if word in COMPARATIVES:
        reach = 2 if word in {"more", "less", "fewer"} else 4
        window = [w for w in words[i + 1 : i + reach] if w not in {"of", "a", "an", "the", "your"}]
        found = any(w in MED_NOUNS for w in window[:2]) or (
            word in {"half", "double"} and nxt in {"of", "it", "them", "that"}
        )
    elif word in MED_NOUNS and nxt in CHANGE_NOUNS:
        found = True
    elif word in CHANGE_NOUNS and nxt in {"in", "of", "to"}:
        found = _med_follows(words, i + 2) and word not in {"break", "day", "time"}
    elif word in BREAK_NOUNS and nxt in {"from", "off"}:
        found = _med_follows(words, i + 2)
    elif word == "without" and not nxt.endswith("ing"):
        found = _med_follows(words, i + 1)
    elif (word == "every" and nxt in {"other", "second", "alternate"}) or (
        word == "alternate" and nxt in TIME_WORDS
    ):
        found = True
    elif "-" in word:
        head, _, tail = word.partition("-")
        rhythm = word.startswith(("every-other", "every-second", "alternate-"))
        found = rhythm or (head in COMPARATIVES and tail in MED_NOUNS)
    elif word == "taper" and i:
        found = words[i - 1] in DETERMINERS or (i > 1 and words[i - 2] in DETERMINERS)
    elif word[:1].isdigit() and i and words[i - 1] in {"on", "to"}:
        found = nxt in MED_NOUNS
    if not found:
        return None
    return Event(start, i + 1, word, "nominal", "nominal")
