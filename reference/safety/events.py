"""Change events: the places in a clause where a dose or its schedule changes.

Three shapes are recognised:

* a change verb whose object is a medication ("halve the dose", "come off it", "taper"),
* take/use/have with a changed amount or time ("take less", "take it later", "use one
  spray instead of two"),
* a changed-amount noun phrase ("a lower dose", "half a tablet", "a break from it").

Whether an event is *advice* is decided afterwards, from the clause around it (`acts`).
"""

from __future__ import annotations

from reference.safety.event import Event
from reference.safety.frames import has_cue
from reference.safety.idioms import idiom_events
from reference.safety.lexicon import (
    ADVERBS,
    AMOUNT_MODIFIERS,
    AMOUNT_NOUNS,
    AUX,
    BE_FORMS,
    BLOCKED_PHRASALS,
    BREAK_NOUNS,
    CARRIERS,
    CHANGE_GERUNDS,
    CHANGE_NOUNS,
    CHANGE_VERBS,
    COMPARATIVES,
    DEGREE_WORDS,
    DETERMINERS,
    DIMINISHERS,
    DISPOSABLE,
    DISPOSAL_VERBS,
    DOSE_OBJECT_VERBS,
    DOSE_UNITS,
    FILLERS,
    GIVE_IDIOMS,
    IMPERATIVE_CARRIERS,
    INTENSIFIERS,
    MEALS,
    MED_NOUNS,
    MED_OR_PRONOUN,
    MODALS,
    NEGATIVE,
    NOUN_OBJECT_REQUIRED,
    NUMBER_WORDS,
    OBJ_BOUNDARY,
    OBJ_PRONOUNS,
    OBJECT_REQUIRED,
    PARTICLES,
    PERSONS,
    POSITIVE,
    PUTTING_ON_VERBS,
    RECOMMEND_WORDS,
    REFLEXIVES,
    SKIP_TYPE,
    SUBJECT_PRONOUNS,
    TIME_UNITS,
    TIME_WORDS,
    TIMING_MODIFIERS,
    VERB_FORMS,
    WEAK_MODIFIERS,
    wordset,
)
from reference.safety.text import Clause


def find_events(
    words: list[str],
    med_context: bool,
    then_verb: bool = False,
    others: tuple[str, ...] = (),
    later: tuple[Clause, ...] = (),
) -> list[Event]:
    """All change events (and plain take-events, for omissions) in a clause.

    `med_context`: the sentence is about medication, so a bare 'stop' means stopping it.
    `then_verb`: the clause is followed by 'and <verb>' ('stop and sit down'), so a bare
    change verb at its end is about the activity of the moment.
    `others`: the words of the sentence's other clauses ('... before restarting').
    `later`: the clauses after this one ('wait a day | before your next tablet').
    """
    events: list[Event] = []
    for i in range(len(words)):
        for finder in (_verb_event, _give_idiom_event, _carrier_event, _nominal_event):
            event = finder(words, i, med_context and not then_verb)
            if event is not None:
                events.append(event)
        events.extend(idiom_events(words, i, others, later))
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
        if lemma in {"go", "come"} and _med_adverb(words, i + 1):
            return Event(i, i + 3, "stop", form, "change")  # 'go cold turkey'
        return None
    nxt = _next(words, i)
    if (lemma, particle) in BLOCKED_PHRASALS or (lemma, nxt) in BLOCKED_PHRASALS:
        return None
    by_amount = nxt == "by" and _by_amount(words[i + 2 : i + 5])
    if nxt in _OTHER_PARTICLES and nxt not in spec.particles and not by_amount:
        return None  # 'cut off', 'drop off', 'miss out': another phrasal verb
    if nxt == "in" and words[i + 2 : i + 3] in (["to"], ["on"], ["at"]):
        return None  # 'drop in to the clinic'
    if lemma in DISPOSAL_VERBS and any(w in DISPOSABLE for w in words[i + 1 : i + 5]):
        return None  # 'bin any out-of-date tablets': disposal, not stopping
    end = (particle_at or i) + 1
    if form == "base" and _subject_phrase(words, i):
        return None  # 'Lower strengths are available': an adjective, not an imperative
    obj = "med" if by_amount else object_kind(words, i + 1, lemma, skip=particle_at)
    if obj in {"other", "activity"}:
        return None
    if lemma in {"miss", "forget"} and (particle == "out" or _deliberate(words[i + 1 : i + 8])):
        lemma = "skip"  # 'miss the odd dose' is chosen, not forgotten
    if obj == "none" and lemma in OBJECT_REQUIRED:
        return None  # 'time to take your tablets'
    if lemma in NOUN_OBJECT_REQUIRED and not any(w in MED_NOUNS for w in words[i + 1 : i + 5]):
        return None  # 'time it', 'lose it'
    if lemma in DOSE_OBJECT_VERBS and not _dose_right_after(words, end):
        return None  # 'open the box of tablets', unlike 'open the capsule'
    if (
        particle in {"back", "away"}
        and particle_at is not None
        and _to_a_place(words, particle_at + 1)
    ):
        return None  # 'put your tablets back in the box', 'bring them back to the clinic'
    if obj == "none":
        passive = _is_passive(words, i, form)
        if passive is not None:
            return Event(i, end, lemma, form, "change") if passive else None
        alone_ok = particle in spec.alone_ok or _med_adverb(words, end)
        if not (alone_ok or med_context) or not _person_subject(words, i):
            return None
    return Event(i, end, lemma, form, "change")


def _to_a_place(words: list[str], j: int) -> bool:
    """'in the box', 'to the clinic': a place, unlike a time or an amount ('to 10am',
    'to 50mg', 'to the morning')."""
    if _at(words, j) in {"in", "into", "inside"}:
        return True
    if _at(words, j) != "to":
        return False
    j += 1
    while j < len(words) and words[j] in DETERMINERS:
        j += 1
    head = _at(words, j)
    return bool(head) and not (
        head in TIME_WORDS
        or head in MED_OR_PRONOUN
        or head in NUMBER_WORDS
        or head in COMPARATIVES
        or head in WEAK_MODIFIERS
        or head[:1].isdigit()
    )


def _dose_right_after(words: list[str], j: int) -> bool:
    """A dose unit or a pronoun for one heads the object: 'the capsule', 'it', 'them'."""
    while j < len(words) and words[j] in DETERMINERS:
        j += 1
    return _at(words, j) in DOSE_UNITS or _at(words, j) in OBJ_PRONOUNS


_OTHER_PARTICLES = wordset("off out up down back over away by around")


def _subject_phrase(words: list[str], i: int) -> bool:
    """Whether words[i] opens a noun phrase that is the subject of a finite verb after it
    ('Lower doses are used ...', 'Double doses can cause ...')."""
    if any(w not in FILLERS for w in words[:i]):
        return False
    j = i + 1
    while j < len(words) and j <= i + 3 and words[j] not in _FINITE:
        if words[j] in OBJ_BOUNDARY or words[j] in PARTICLES or words[j] in DETERMINERS:
            return False
        j += 1
    return j < len(words) and j > i + 1 and words[j] in _FINITE


def _by_amount(words: list[str]) -> bool:
    """'reduce by 25mg', 'cut it by a third', 'increase by half': a change of amount."""
    head = [w for w in words if w not in {"a", "an", "about", "around", "roughly", "another"}]
    return bool(head) and (
        head[0][:1].isdigit() or head[0] in NUMBER_WORDS or head[0] in _FRACTIONS
    )


_FRACTIONS = wordset("third quarter fifth tenth bit little lot fraction")


def _deliberate(words: list[str]) -> bool:
    """'the odd dose', 'here and there', 'now and then': a habit, so a choice, not a slip."""
    text = " " + " ".join(words) + " "
    return any(f" {cue} " in text for cue in _DELIBERATE)


_DELIBERATE = ("odd", "occasional", "here and there", "now and then", "every so often")


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
    """'a change', 'the switch', 'dose increase': a noun, not a verb.

    'that' after a verb of saying or finding ('people find that spacing ...') opens a
    clause rather than a noun phrase, so the word after it is still a verb.
    """
    prev = words[i - 1] if i else ""
    if prev == "that" and i > 1 and words[i - 2] in VERB_FORMS:
        return False
    return prev in DETERMINERS or prev in MED_NOUNS or prev in COMPARATIVES


def _starts_target(word: str) -> bool:
    """Whether a word can open the target of 'switch to' / 'push it to' / 'drop to' (a
    time, an amount, a medication), unlike the verb of a purpose 'to confirm'."""
    return (
        word in _TARGET_STARTS
        or word[:1].isdigit()
        or word.endswith("ing")
        or "-" in word
        or (word not in VERB_FORMS and word in COMPARATIVES)
    )


_TARGET_STARTS = (
    DETERMINERS
    | TIME_WORDS
    | MED_OR_PRONOUN
    | NUMBER_WORDS
    | COMPARATIVES
    | WEAK_MODIFIERS
    | wordset("every alternate once twice nothing zero bed")
)

_AT_LEAST = (["at", "least"], ["at", "most"])


def _particle(words: list[str], i: int, particles: frozenset[str]) -> int | None:
    """Index of the verb's particle, right after it or after a short object."""
    for j in range(i + 1, min(i + 8, len(words))):
        if words[j] == "to" and not _starts_target(_at(words, j + 1)):
            return None  # 'push the button to confirm': purpose, not a particle
        if words[j] in particles:
            return j
        if words[j - 1 : j + 1] in _AT_LEAST or words[j : j + 2] in _AT_LEAST:
            continue  # 'space your doses at least 12 hours apart'
        if words[j] in OBJ_BOUNDARY or (words[j] in PARTICLES and j == i + 1):
            return None
    return None


def object_kind(words: list[str], start: int, lemma: str, skip: int | None = None) -> str:
    """Classify what follows a verb: med, none (no object), activity or other."""
    window = _object_window(words, start, skip)
    if _time_adverbial(window) and lemma not in _ON_OBJECT:
        return "none"  # 'double up on a bad day' (but 'cut down on late nights')
    content = [w for w in window if w not in REFLEXIVES]
    content = [w for w in content if w not in PARTICLES]
    if not content:
        return "none"
    first = content[0]
    verbs = [w for w in content if w not in ADVERBS and w not in FILLERS]
    if verbs and VERB_FORMS.get(verbs[0], ("", ""))[1] in {"third", "past"}:
        return "none"  # 'cutting down usually helps': the verb of the gerund's clause
    if first in _WH_OBJECT:
        return "med" if any(_is_carrier(w) for w in content) else "other"  # 'how often ...'
    if first in CHANGE_GERUNDS:
        return "activity"
    if first in {"nothing", "zero"}:
        return "med"  # 'taper down to nothing'
    if first in {"taking", "using", "having"}:
        return "med" if len(content) == 1 else object_kind(content, 1, "take")
    if first.endswith("ing") and first not in MED_NOUNS and first != "evening":
        return "other"
    if any(w in MED_OR_PRONOUN for w in content):
        return "other" if _compound_head(content) else "med"
    if _amount_of_it(window):
        return "med"  # 'decrease the amount you take'
    if lemma in SKIP_TYPE and any(w in TIME_WORDS for w in content):
        return "med"
    degree = DEGREE_WORDS if skip is not None else frozenset()
    if all(w in ADVERBS or w in DETERMINERS or w in TIME_WORDS or w in degree for w in content):
        return "none"
    has_number = any(w[0].isdigit() for w in content)
    if has_number and all(w[0].isdigit() or w in _AMOUNT_FILLER for w in content):
        return "med"
    return "other"


def _amount_of_it(window: list[str]) -> bool:
    """'the amount (you take)', 'half the amount': an amount noun heading the object, with
    no 'of <something else>' after it ('the amount of water' is not a dose)."""
    skip = DETERMINERS | COMPARATIVES | NUMBER_WORDS | AMOUNT_MODIFIERS | PARTICLES
    heads = [w for w in window if w not in skip]
    if not heads or heads[0] not in AMOUNT_NOUNS:
        return False
    j = window.index(heads[0])
    return _at(window, j + 1) != "of" or _med_follows(window, j + 2)


def _time_adverbial(window: list[str]) -> bool:
    """'on a bad day', 'at night', 'during the week': a time phrase, not an object."""
    if not window or window[0] not in {"on", "at", "in", "during", "over"}:
        return False
    phrase = window[1:4]
    return any(w in TIME_WORDS for w in phrase) and not any(w in MED_OR_PRONOUN for w in phrase)


_ON_OBJECT = wordset("cut trim ease go back")
"""Verbs whose 'on' introduces their object ('cut down on', 'go easy on')."""

_WH_OBJECT = wordset("how when what whether")


def _is_carrier(word: str) -> bool:
    return VERB_FORMS.get(word, ("",))[0] in CARRIERS


def _compound_head(content: list[str]) -> bool:
    """'the infusion pump alarm': a medication noun used as a modifier of another noun.

    The phrase's head is its last noun; when plain nouns follow the last medication word
    the phrase names a thing (an alarm, a reminder, a box), not the medication.
    """
    last = max(j for j, w in enumerate(content) if w in MED_OR_PRONOUN)
    if content[last] in OBJ_PRONOUNS:
        return False
    tail = content[last + 1 :]
    return bool(tail) and not any(
        w in _NP_TAIL_OK or w.endswith(("ly", "ed")) or w[:1].isdigit() or w in VERB_FORMS
        for w in tail[:1]
    )


_NP_TAIL_OK = (
    ADVERBS
    | FILLERS
    | DETERMINERS
    | TIME_WORDS
    | TIME_UNITS
    | MED_OR_PRONOUN
    | SUBJECT_PRONOUNS
    | AUX
    | MODALS
    | NUMBER_WORDS
    | wordset("which that who altogether entirely version versions form forms type kind")
    | wordset("all both each together per daily weekly nightly")
    | wordset("through across throughout around between within")
    | POSITIVE
    | NEGATIVE
    | DIMINISHERS
    | INTENSIFIERS
)
"""Words that may follow a medication noun without making it a modifier."""

_AMOUNT_FILLER = DETERMINERS | TIME_WORDS | ADVERBS | FILLERS | wordset("per times x daily")


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
            if word in _FINITE:
                break  # 'stopping was the best decision': the verb's subject, no object
            if word == "to" and j + 1 < len(words) and _is_plain_verb(words[j + 1]):
                break
            out.append(word)
            content = content or not (word in PARTICLES or word in DETERMINERS)
        j += 1
    return out


_FINITE = wordset("is are was were will would should could can may might must does did has had")


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
        lemma = VERB_FORMS.get(word, (word, ""))[0]
        if word in PERSONS or word in RECOMMEND_WORDS or lemma in IMPERATIVE_CARRIERS:
            return True  # 'you stop', 'worth stopping', 'have you tried cutting back'
        if word == "to" or (word == "off" and words[j - 1 : j] == ["better"]):
            return True  # 'easier to just stop', 'better off stopping'
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
    chooser = _chooser_end(words, i)
    if entry is not None and chooser and _tries_a_schedule(words, chooser - 1):
        return Event(i, chooser, "take", entry[1], "change")
    counted = chooser and _is_count(_at(words, chooser))
    if entry is not None and counted and _at(words, chooser + 1) not in {"of", "more", "last"}:
        return Event(i, chooser, "take", entry[1], "weak")  # '(instead of two,) try one'
    if entry is not None and entry[0] in PUTTING_ON_VERBS and _puts_it_on(words, i):
        entry = ("apply", entry[1])  # 'put the patch on (in the evening)'
    if entry is None or entry[0] not in CARRIERS:
        return None
    lemma, form = entry
    nxt = _next(words, i)
    prev = words[i - 1] if i else ""
    if prev in _CONTINUE and nxt in _VAGUE_OBJECTS:
        return Event(i, i + 1, lemma, form, "plain")  # 'why keep taking something ...'
    head = _carrier_object(words, i, lemma)
    if head is None:
        return None
    return _carried_change(words, i, lemma, form, head)


def _carrier_object(words: list[str], i: int, lemma: str) -> list[str] | None:
    """The head of what a carrier verb takes; None where it is no medication or dose."""
    nxt = _next(words, i)
    if lemma == "have" and not (
        nxt in DETERMINERS or nxt in AMOUNT_MODIFIERS or nxt in MED_NOUNS or _is_count(nxt)
    ):
        return None
    start = i + 2 if lemma == "bother" and nxt == "with" else i + 1
    if words[start : start + 1] in (["every"], ["each"]) and _at(words, start + 1) in MED_NOUNS:
        start += 1  # 'take every dose'
    head = [w for w in _object_window(words, start, None) if w not in _NOT_HEAD]
    if _foreign_object(head):
        return None  # 'take a walk instead', 'have a cup of tea'
    if _time_taken(head):
        return None  # 'take two minutes to breathe', 'take one day at a time'
    if lemma in {"make", "have"} and _causative(words, start):
        return None  # 'make the medicine work less well'
    if lemma == "need" and (nxt == "to" or any(w in _NOT_NEEDED for w in head[:2])):
        return None  # 'you need to rest', 'you don't need a prescription'
    return head


def _carried_change(
    words: list[str], i: int, lemma: str, form: str, head: list[str]
) -> Event | None:
    """What the words around a carrier verb and its object make of it: a change to the
    amount or time, a weak timing, a plain 'take it', or nothing about a dose."""
    window = words[i + 1 : i + 10]
    if _has_change_modifier(window):
        return Event(i, i + 1, lemma, form, "change")
    before = [w for w in words[:i] if w not in FILLERS or w in {"only", "just"}]
    timed = any(w in WEAK_MODIFIERS or w in TIME_WORDS for w in window)
    counted = any(w[:1].isdigit() or w in NUMBER_WORDS for w in window[:2])
    one_off = any(w in {"tonight", "today", "tomorrow"} for w in window)
    usual = any(w in {"same", "usual", "normal", "regular", "prescribed"} for w in window)
    if _two_time_slots(window) or (_on_bad_days(window) and (counted or timed)):
        return Event(i, i + 1, lemma, form, "change")  # 'the morning tablet in the evening'
    if before and before[-1] in {"only", "just"} and timed and not usual:
        return Event(i, i + 1, lemma, form, "change")  # 'just take it at the weekend'
    if counted and (one_off or (before and before[-1] in {"only", "just"})):
        return Event(i, i + 1, lemma, form, "change")
    first = head[0] if head else ""
    if first in {"lot", "both", "all", "much", "many"}:
        first = "them"  # 'the whole lot', 'both', 'all of them', 'that much'
    if first == "anymore":
        return Event(i, i + 1, lemma, form, "plain")
    amount = first[:1].isdigit() or first in NUMBER_WORDS
    named = any(w in MED_OR_PRONOUN for w in head[:3]) or first in MED_OR_PRONOUN
    if not (named or first in TIME_WORDS or amount):
        return None
    weak = not usual and any(w in WEAK_MODIFIERS or w in TIME_WORDS for w in window)
    weak = weak or any(w in MEALS for w in window)
    if (weak or amount) and _temporary(window):
        return Event(i, i + 1, lemma, form, "change")  # 'use a single spray for now'
    return Event(i, i + 1, lemma, form, "weak" if weak or amount else "plain")


def _puts_it_on(words: list[str], i: int) -> bool:
    """'put the patch on', 'stick a new one on': a medication between the verb and 'on'."""
    for k in range(i + 2, min(i + 5, len(words))):
        if words[k] == "on":
            return any(w in MED_OR_PRONOUN for w in words[i + 1 : k])
        if words[k] not in DETERMINERS and words[k] not in MED_OR_PRONOUN:
            return False
    return False


def _two_time_slots(window: list[str]) -> bool:
    """'take the morning tablet in the evening': two different times of day at once."""
    slots = {slot for w in window for slot, words in _SLOTS.items() if w in words}
    return len(slots) >= 2


_SLOTS = {
    "morning": wordset("morning mornings breakfast am"),
    "midday": wordset("lunchtime lunch midday noon afternoon"),
    "evening": wordset("evening evenings night nights bedtime dinner supper teatime pm"),
}


def _on_bad_days(window: list[str]) -> bool:
    """'on bad days', 'on a rough day': a timing that depends on how the person feels."""
    return any(
        w in {"bad", "rough", "good", "worse", "better"} and _at(window, j + 1) in TIME_WORDS
        for j, w in enumerate(window)
    )


_NOT_NEEDED = wordset("prescription prescriptions script scripts appointment")

_NOT_HEAD = DETERMINERS | wordset("full whole entire usual normal regular prescribed complete")
"""Words before the head of take's object ('the full 200')."""

_CARRIER_OBJECTS = (
    AMOUNT_MODIFIERS
    | COMPARATIVES
    | TIMING_MODIFIERS
    | TIME_WORDS
    | NUMBER_WORDS
    | BREAK_NOUNS
    | ADVERBS
    | FILLERS
    | WEAK_MODIFIERS
    | DEGREE_WORDS
    | PARTICLES
    | AMOUNT_NOUNS
    | wordset("every only just not as anymore once twice all nothing none much many")
)
"""What may head take/use/have's object when it is not a medication word."""


def _causative(words: list[str], start: int) -> bool:
    """'make the medicine work', 'have the nurse check it': object + bare verb."""
    j = start
    while j < len(words) and (words[j] in DETERMINERS or words[j] in MED_OR_PRONOUN):
        j += 1
    return j > start and VERB_FORMS.get(_at(words, j), ("", ""))[1] == "base"


def _foreign_object(head: list[str]) -> bool:
    """Whether take/use/have has some other thing as object ('a walk', 'a cup of tea')."""
    # 'one' is a pronoun alone ('take one instead'), a number before a noun ('one cup').
    named = [w for k, w in enumerate(head[:3]) if w != "one" or k == len(head) - 1]
    if not head or any(w in MED_OR_PRONOUN for w in named):
        return False
    second = head[1] if len(head) > 1 else ""
    noun = second not in VERB_FORMS and second not in REFLEXIVES and second.isalpha()
    first = second if _is_count(head[0]) and noun else head[0]  # 'one cup of tea'
    return not (first in _CARRIER_OBJECTS or first[:1].isdigit() or first in TIME_UNITS)


def _time_taken(head: list[str]) -> bool:
    """'two minutes', 'one day (at a time)', 'a few hours': a span of time as the object
    of take/have is time spent, unless it is a break from something ('two days off')."""
    counted = [w for w in head if w not in DEGREE_WORDS]
    if len(counted) < 2 or not _is_count(counted[0]):
        return False
    unit = counted[1]
    if unit in TIME_UNITS:
        return True
    return unit in _SPAN_UNITS and not any(w in {"off", "from", "without"} for w in counted[2:4])


_SPAN_UNITS = wordset("day days night nights week weeks month months fortnight year years")


def _temporary(window: list[str]) -> bool:
    """'for now', 'from now on': a deviation from the regimen, or a new one."""
    return has_cue(" " + " ".join(window) + " ", _TEMPORARY)


_TEMPORARY = (
    "for now",
    "for the time being",
    "for a bit",
    "for a while",
    "for the moment",
    "from now on",
    "going forward",
    "from today",
    "from tomorrow",
    "from here on",
)


def _is_count(word: str) -> bool:
    return word[:1].isdigit() or word in NUMBER_WORDS


_CONTINUE = wordset("keep keeps continue continuing still")
_VAGUE_OBJECTS = wordset("something stuff anything")


def _chooser_end(words: list[str], i: int) -> int:
    """End of 'try' / 'go for' / 'opt for' / 'settle on' at i (0 if none): verbs that
    choose a dose the way 'take' takes one."""
    entry = VERB_FORMS.get(words[i])
    if entry is None:
        return 0
    if entry[0] == "try":
        return i + 1
    if entry[0] in {"go", "opt", "aim", "settle"} and _next(words, i) in {"for", "on"}:
        return i + 2
    return 0


def _tries_a_schedule(words: list[str], i: int) -> bool:
    """'try twice a day', 'try 25mg', 'try every other day': try + a dose or frequency."""
    window = [w for w in words[i + 1 : i + 6] if w not in DETERMINERS]
    nxt = window[0] if window else ""
    if nxt in {"twice", "once", "every"}:
        return any(w in MED_NOUNS or w in TIME_WORDS or w == "daily" for w in window)
    counted = nxt[:1].isdigit() or nxt in NUMBER_WORDS
    if counted and any(w in MED_NOUNS for w in window[:3]):
        return True
    # 'try the session a week later', 'try the lower dose'
    return any(w in MED_OR_PRONOUN for w in window[:3]) and _has_change_modifier(window)


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
        if "-" in word and word.split("-")[0] in COMPARATIVES:
            return True  # 'the lower-strength tablets'
        if (word, nxt) in _SPACING:
            return True  # 'further apart', 'closer together'
        if (word, nxt) == ("out", "of") and any(w in _ROUTINE for w in window[j + 2 : j + 5]):
            return True  # 'take the tablet out of your routine'
        if (word == "together" and nxt != "with") or (word, nxt) == ("at", "once"):
            return True  # 'take them both together': two doses as one
        if word == "every" and nxt in {"other", "second", "few", "couple", "third"}:
            return True
        if word == "every" and _sparse_interval(window[j + 1 : j + 3]):
            return True  # 'take it every 48 hours'
        if word in {"once", "twice"} and window[j + 1 : j + 3] in (
            ["a", "fortnight"],
            ["a", "month"],
        ):
            return True  # 'once a fortnight'
        if word in {"less", "more"} and nxt in {"often", "frequently", "regularly", "than"}:
            return True
        if (word, nxt, after) == ("not", "at", "all"):
            return True
        if word == "as" and (nxt in {"needed", "required"} or (nxt, after) == ("and", "when")):
            return True
        if word in {"only", "just"} and (nxt in {"one", "half", "a"} or nxt[:1].isdigit()):
            return True
        if word in {"as-needed", "as-required", "prn", "whenever"} and not nxt:
            return True  # 'on an as-needed basis', 'take it whenever'
        if word in {"as-needed", "as-required", "prn"}:
            return True
        if word == "only" and j == len(window) - 1 and j > 0 and window[j - 1] in OBJ_PRONOUNS:
            return True  # take it only (when the pain is bad)
        if word == "only" and (nxt in _TIME_PREPS or nxt in TIME_WORDS or nxt in WEAK_MODIFIERS):
            return True
        if word in BREAK_NOUNS and nxt in {"from", "off"}:
            return _med_follows(window, j + 2)
        ordinal = word == "second" and j > 0 and window[j - 1] in {"the", "your", "my"}
        if word in AMOUNT_MODIFIERS and not ordinal and _amount_of_medication(window, j + 1):
            return True
    return False


_ROUTINE = wordset("routine regimen schedule rotation mix")
_SPACING = frozenset(
    {("further", "apart"), ("farther", "apart"), ("more", "spaced"), ("closer", "together")}
)
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
    if noun in {"amount", "amounts", "quantity"}:
        return _at(window, j + 1) != "of" or _med_follows(window, j + 2)
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


def _at(words: list[str], j: int) -> str:
    return words[j] if 0 <= j < len(words) else ""


def _med_follows(words: list[str], j: int) -> bool:
    """A medication noun or pronoun within the next three words."""
    return any(w in MED_OR_PRONOUN for w in words[j : j + 3])


# --------------------------------------------------------------------------- noun phrases


_AFTER_BREAK = ADVERBS | FILLERS | BE_FORMS | MODALS | frozenset({""}) | wordset("resets helps")


def _sparse_interval(words: list[str]) -> bool:
    """'every two days', 'every 48 hours': less often than daily (not 'every 12 hours')."""
    if len(words) < 2:
        return False
    count, unit = words
    number = {"two": 2, "three": 3, "four": 4, "five": 5}.get(count)
    if number is None and count.isdigit():
        number = int(count)
    if number is None:
        return False
    if unit in {"days", "nights", "mornings", "evenings"}:
        return number >= 2
    return unit == "hours" and number >= 36


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
        of_it = nxt == "of" and _at(words, i + 2) in OBJ_PRONOUNS
        found = found or (word in {"more", "less", "fewer"} and of_it)  # 'less of it'
    elif word in MED_NOUNS and nxt in CHANGE_NOUNS:
        found = True
    elif word in CHANGE_NOUNS and nxt in {"in", "of", "to"}:
        found = _med_follows(words, i + 2) and word not in {"break", "day", "time"}
    elif word in BREAK_NOUNS and nxt in {"from", "off"}:
        # 'a week off the ketamine'; in a sentence about medication, 'a week off usually
        # resets things' too (but not 'a day off work').
        bare = med_context and start == 0 and _at(words, i + 2) in _AFTER_BREAK
        found = _med_follows(words, i + 2) or (nxt == "off" and bare)
    elif word == "without" and not nxt.endswith("ing"):
        found = _med_follows(words, i + 1)
    elif (word == "every" and nxt in {"other", "second", "alternate"}) or (
        word == "alternate" and nxt in TIME_WORDS
    ):
        found = True
    elif word == "every":
        found = _sparse_interval(words[i + 1 : i + 3])
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
