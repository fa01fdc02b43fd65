"""Change events with a fixed shape of their own, beyond 'verb + medication object'.

* a break: 'leave the tablets a few days', 'leave it a week before restarting';
* splitting with any verb: 'nip the tablet in half', 'snap them in two';
* stopping idioms: 'knock it on the head', 'pack it in', 'call time on the ketamine';
* an amount claimed to be enough or too much: 'two sprays is plenty', '50mg is too much';
* a counted amount set against another: 'three sprays instead of four'.

Each finder looks at word i of a clause and returns an `Event` or None, like those in
`events`; `acts` then decides whether the event is advised.
"""

from __future__ import annotations

from reference.safety.event import Event
from reference.safety.lexicon import (
    ADDING_VERBS,
    ADVERBS,
    AMOUNT_MODIFIERS,
    AUX,
    BE_FORMS,
    COMPARATIVES,
    DETERMINERS,
    DISPOSABLE,
    DOSE_UNITS,
    EXCESSIVE,
    FILLERS,
    MED_NOUNS,
    MED_OR_PRONOUN,
    NUMBER_WORDS,
    OBJ_BOUNDARY,
    OBJ_PRONOUNS,
    PARTICLES,
    PERSONS,
    RECORD_PLACES,
    STOP_IDIOMS,
    SUBJECT_PRONOUNS,
    SUFFICIENT,
    TIME_UNITS,
    TIME_WORDS,
    VERB_FORMS,
    WAITING_VERBS,
    wordset,
)
from reference.safety.text import Clause, is_duration


def idiom_events(
    words: list[str], i: int, others: tuple[str, ...], later: tuple[Clause, ...] = ()
) -> list[Event]:
    """Every idiomatic change event starting (or anchored) at word i of a clause; `others`
    are the words of the sentence's other clauses, `later` the clauses after this one."""
    found = (
        _leave_event(words, i, others, later),
        _halving_event(words, i),
        _stop_idiom_event(words, i),
        _amount_claim_event(words, i, others),
        _counted_contrast_event(words, i),
        _stacked_doses_event(words, i),
        _let_go_event(words, i),
        _stay_event(words, i),
        _avoid_event(words, i),
        _get_away_event(words, i),
        _fine_on_event(words, i),
        _optional_event(words, i),
        _interval_event(words, i),
        _deviation_event(words, i),
        _less_is_more_event(words, i),
        _replaced_amount_event(words, i),
        _added_dose_event(words, i),
        _wait_event(words, i, later),
    )
    return [event for event in found if event is not None]


# --------------------------------------------------------------------------- a break


def _leave_event(
    words: list[str], i: int, others: tuple[str, ...], later: tuple[Clause, ...]
) -> Event | None:
    """'leave the tablets a few days', 'leave it a week before restarting': a break.

    With only a pronoun ('leave it a few days') the sentence must say the medication is
    restarted afterwards, or name the dose it delays ('leave it a day before the next
    spray'), since 'leave it' alone may just mean 'wait'.
    """
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] != "leave":
        return None
    j = i + 1
    while j < len(words) and words[j] in DETERMINERS:
        j += 1
    while j < len(words) and words[j] in MED_OR_PRONOUN:
        j += 1
    obj = words[i + 1 : j]
    till_later = _at(words, j) in {"till", "until"} and _at(words, j + 1) in _LATER
    if not any(w in MED_OR_PRONOUN for w in obj):
        return None
    if not (till_later or is_duration(words[j : j + 5])):
        return None
    named = till_later or any(w in MED_NOUNS for w in obj)  # 'leave it till later' delays it
    restarted = any(w in _RESTART for w in (*words[j:], *others))
    restarted = restarted or _delays_a_dose(words[j:], later)
    if not (named or (restarted and any(w in OBJ_PRONOUNS for w in obj))):
        return None
    return Event(i, j, "pause", entry[1], "change")


_LATER = TIME_WORDS | wordset("later tomorrow")
_RESTART = wordset("restart restarting resume resuming again")


# --------------------------------------------------------------------------- more


def _added_dose_event(words: list[str], i: int) -> Event | None:
    """'add an extra dose', 'add half a tablet', 'add in a second spray': one more dose.

    Only with a dose unit as the object's head, so 'add a note' and 'add a new medication'
    (to the journal) are not doses."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] not in ADDING_VERBS:
        return None
    j = i + 1
    if _at(words, j) in {"in", "on"}:
        j += 1
    while j < len(words) and j <= i + 5 and (words[j] in _DOSE_COUNT or words[j][:1].isdigit()):
        j += 1
    head = _at(words, j)
    if head not in DOSE_UNITS and _at(words, j - 1) in {"one", "ones"}:
        j -= 1  # 'add another one': the pronoun is the head
        head = words[j]
    amounts = AMOUNT_MODIFIERS | COMPARATIVES | (NUMBER_WORDS - {"one"})
    counted = head in {"one", "ones"} and any(w in amounts for w in words[i + 1 : j])
    # 'add another one', 'an extra one', but not 'add the ones you take (to your list)'
    if head not in DOSE_UNITS and not counted:
        return None
    if _written_down(words[j + 1 :]):
        return None  # 'add the dose you took to your journal'
    return Event(i, j + 1, "increase", entry[1], "change")


def _written_down(words: list[str]) -> bool:
    """'... to your journal', '... into today's entry': a place a dose is recorded."""
    return any(
        word in {"to", "into", "in", "on"} and any(w in RECORD_PLACES for w in words[k + 1 : k + 4])
        for k, word in enumerate(words)
    )


_DOSE_COUNT = DETERMINERS | AMOUNT_MODIFIERS | COMPARATIVES | NUMBER_WORDS | wordset("of")


def _wait_event(words: list[str], i: int, later: tuple[Clause, ...]) -> Event | None:
    """'wait a day before your next tablet', 'wait until tomorrow to take the next one',
    'wait a few hours before taking it': putting the next dose off.

    The wait must be for a span of time and name what it delays: a dose, or taking one
    ('wait a few minutes before you stand up' is about standing up)."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] not in WAITING_VERBS:
        return None
    j = i + 1
    if _at(words, j) in {"until", "till"} and _at(words, j + 1) in _LATER:
        j += 2
    elif is_duration(words[j : j + 5]) or _span_of_time(words[j : j + 4]):
        j += 1
        while j < len(words) and words[j] not in _DELAYED_BY:
            j += 1
    else:
        return None
    rest = words[j:]
    if not rest and later and later[0].sub in _DELAYED_BY:
        rest = later[0].words
    elif rest[:1] and rest[0] in _DELAYED_BY:
        rest = rest[1:]
    else:
        return None
    if not _delayed_dose(rest):
        return None
    return Event(i, j, "delay", entry[1], "change")


_DELAYED_BY = wordset("before until till to")


def _delays_a_dose(rest: list[str], later: tuple[Clause, ...]) -> bool:
    """'(leave it a day) before the next spray': a 'before/until' phrase, in the clause or
    the clause after it, that names the dose being put off."""
    for k, word in enumerate(rest):
        if word in _DELAYED_BY and word != "to" and _delayed_dose(rest[k + 1 :]):
            return True
    return bool(later and later[0].sub in _DELAYED_BY and _delayed_dose(later[0].words))


def _span_of_time(words: list[str]) -> bool:
    """'a few hours', 'two hours', '30 minutes', 'an hour or two': a span in hours."""
    head = [w for w in words if w not in DETERMINERS and w not in _SPAN_WORDS]
    return bool(head) and head[0] in TIME_UNITS


_SPAN_WORDS = wordset("few couple of several more or so") | NUMBER_WORDS


def _delayed_dose(words: list[str]) -> bool:
    """What follows 'before' / 'until' / 'to' names a dose or taking one: 'your next
    tablet', 'the infusion', 'taking the next capsule', 'you take it', 'take the next one',
    'restarting'."""
    core = [w for w in words if w not in DETERMINERS and w not in FILLERS]
    if core[:1] and core[0] in SUBJECT_PRONOUNS:
        core = core[1:]
    if not core:
        return False
    lemma = VERB_FORMS.get(core[0], ("", ""))[0]
    if lemma in _TAKING or core[0] in _RESTART:
        return True
    if core[0] in _ORDINAL_DOSE:
        core = core[1:]
    return bool(core) and core[0] in MED_NOUNS


_TAKING = wordset("take use have swallow")
_ORDINAL_DOSE = wordset("next following second third another evening morning night bedtime")


# --------------------------------------------------------------------------- splitting


def _halving_event(words: list[str], i: int) -> Event | None:
    """'<any verb> the tablet in half / in two': splitting it, whatever the verb ('nip')."""
    if words[i] not in {"in", "into"} or i < 2:
        return None
    piece = _at(words, i + 1)
    after = _at(words, i + 2)
    if piece not in {"half", "halves", "quarters", "two", "three"} or after in MED_NOUNS:
        return None
    if piece in {"two", "three"} and after:
        return None  # 'in two weeks'
    k = i - 1
    while k > 0 and (words[k] in _NP_WORDS or words[k][0].isdigit()):
        k -= 1
    if k == i - 1 or not any(w in MED_OR_PRONOUN for w in words[k + 1 : i]):
        return None
    verb = words[k]
    if verb in PERSONS or verb in AUX or verb in OBJ_BOUNDARY or verb in PARTICLES:
        return None
    form = VERB_FORMS.get(verb, ("", _guess_form(verb)))[1]
    return Event(k, i + 2, "split", form, "change")


_NP_WORDS = DETERMINERS | MED_OR_PRONOUN


def _guess_form(word: str) -> str:
    """The form of an unknown verb from its ending ('nipping', 'snapped')."""
    if word.endswith("ing"):
        return "gerund"
    return "past" if word.endswith("ed") else "base"


# --------------------------------------------------------------------------- stopping


def _stop_idiom_event(words: list[str], i: int) -> Event | None:
    """'knock it on the head', 'pack the spray in', 'call time on the ketamine'.

    The object (if any) must be the medication; an idiom whose own words end in 'with'
    or 'on' must be followed by it ('call it a day with the lamotrigine').
    """
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] not in STOP_IDIOMS:
        return None
    for tail in STOP_IDIOMS[entry[0]]:
        parts = tail.split()
        for gap in range(0, 4):
            at = i + 1 + gap
            if words[at : at + len(parts)] != parts:
                continue
            obj = words[i + 1 : at]
            end = at + len(parts)
            if obj and not (any(w in MED_OR_PRONOUN for w in obj) and _np_only(obj)):
                break
            needs_object = parts[-1] in {"with", "on"}
            if needs_object and not any(w in MED_OR_PRONOUN for w in words[end : end + 4]):
                break
            if not obj and not needs_object:
                break
            if not needs_object and _at(words, end) not in _AFTER_IDIOM:
                break  # 'pack your tablets in your bag'
            return Event(i, end, "stop", entry[1], "change")
    return None


_AFTER_IDIOM = OBJ_BOUNDARY | ADVERBS | FILLERS | TIME_WORDS | wordset("now then")
_AFTER_IDIOM = _AFTER_IDIOM | frozenset({""})


def _np_only(words: list[str]) -> bool:
    return all(w in _NP_WORDS for w in words)


# --------------------------------------------------------------------------- amounts


def _avoid_event(words: list[str], i: int) -> Event | None:
    """'avoid the lunchtime tablet', 'steer clear of the evening dose': leave it out.

    Only with a medication noun phrase: 'avoid skipping doses' bans a change instead."""
    if words[i] == "avoid":
        j = i + 1
    elif words[i] == "steer" and words[i + 1 : i + 3] == ["clear", "of"]:
        j = i + 3
    else:
        return None
    k = j
    while k < len(words) and (words[k] in DETERMINERS or words[k] in _MODIFIERS):
        k += 1
    if _at(words, k) not in MED_OR_PRONOUN or _at(words, k) in OBJ_PRONOUNS:
        return None
    return Event(i, k + 1, "skip", "base", "change")


_MODIFIERS = TIME_WORDS | wordset("lunchtime evening morning night second third extra 2nd 3rd")


def _get_away_event(words: list[str], i: int) -> Event | None:
    """'you could get away with 10mg': managing on less."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] != "get" or words[i + 1 : i + 3] != ["away", "with"]:
        return None
    tail = [w for w in words[i + 3 : i + 7] if w not in DETERMINERS]
    if tail and (_is_count(tail[0]) or tail[0] in MED_NOUNS or tail[0] in _LESS):
        return Event(i, i + 3, "reduce", entry[1], "change")
    return None


_LESS = wordset("less fewer lower smaller half")


def _is_amount(word: str) -> bool:
    return _is_count(word) or word in _LESS


def _fine_on_event(words: list[str], i: int) -> Event | None:
    """'you'll be fine on half', 'most people do fine on 10': managing on an amount."""
    if words[i] not in {"fine", "ok", "okay", "alright", "good"} or _at(words, i + 1) != "on":
        return None
    tail = [w for w in words[i + 2 : i + 5] if w not in DETERMINERS]
    if not tail or not (tail[0] in _LESS or (tail[0] in NUMBER_WORDS and tail[0] != "one")):
        return None
    return Event(i + 1, i + 3, "reduce", "nominal", "nominal")


def _optional_event(words: list[str], i: int) -> Event | None:
    """'the second dose is optional', 'the evening tablet isn't really needed'."""
    if words[i] not in BE_FORMS or i == 0 or not any(w in MED_NOUNS for w in words[:i]):
        return None
    if any(w in PERSONS for w in words[:i]):
        return None
    verdict = [w for w in words[i + 1 : i + 5] if w not in ADVERBS and w not in FILLERS]
    if (verdict[:1] and verdict[0] in _OPTIONAL) or verdict[:2] in (
        ["not", "needed"],
        ["not", "necessary"],
    ):
        return Event(i, i + 1 + len(verdict[:2]), "skip", "advised", "change")
    return None


_OPTIONAL = wordset("optional unnecessary pointless skippable")


def _interval_event(words: list[str], i: int) -> Event | None:
    """'leave a day between doses', 'go 10 days between infusions': a new interval."""
    if words[i] != "between" or i == 0:
        return None
    j = i + 1
    while j < len(words) and words[j] in DETERMINERS:
        j += 1
    noun = _at(words, j)
    if noun not in MED_NOUNS or not noun.endswith("s") or _at(words, j + 1) == "and":
        return None
    gap = [
        k
        for k in range(max(0, i - 3), i)
        if words[k] in TIME_WORDS or words[k] in TIME_UNITS or words[k] in {"gap", "break"}
    ]
    if not gap:
        return None
    start = gap[0]
    while start > 0 and (words[start - 1] in _GAP_LEAD or _is_count(words[start - 1])):
        start -= 1
    return Event(start, j + 1, "space", "nominal", "nominal")


_GAP_LEAD = DETERMINERS | AMOUNT_MODIFIERS  # 'an extra day between infusions'


def _deviation_event(words: list[str], i: int) -> Event | None:
    """'go slower than the leaflet says', 'take it later than prescribed': a dose or pace
    set against the instructions is a change from them."""
    if words[i] != "than" or i == 0 or words[i - 1] not in _COMPARED:
        return None
    tail = words[i + 1 : i + 4]
    if not any(w in _INSTRUCTIONS for w in tail):
        return None
    return Event(i - 1, i + len(tail) + 1, "deviate", "nominal", "nominal")


_COMPARED = wordset(
    "slower faster quicker later earlier more less fewer lower higher longer shorter sooner"
)
_INSTRUCTIONS = wordset("prescribed recommended directed advised leaflet label instructions")


def _less_is_more_event(words: list[str], i: int) -> Event | None:
    """'less is more with ketamine': the saying, applied to a medication."""
    if words[i : i + 3] != ["less", "is", "more"]:
        return None
    if not any(w in MED_NOUNS for w in words):
        return None
    return Event(i, i + 3, "reduce", "advised", "nominal")


def _replaced_amount_event(words: list[str], i: int) -> Event | None:
    """'instead of two sprays, (try one)': a fronted amount being replaced."""
    if words[i] not in {"instead", "rather"} or i != 0 or _at(words, 1) not in {"of", "than"}:
        return None
    if _is_count(_at(words, 2)) and _at(words, 3) in MED_NOUNS:
        return Event(0, 4, "amount", "nominal", "weak")
    return None


def _amount_claim_event(words: list[str], i: int, others: tuple[str, ...]) -> Event | None:
    """'two sprays is plenty', 'once a week is enough', '50mg is too much for most people'.

    A bare amount or frequency as the subject of be + enough/too much claims that a
    different amount would do, which is advice to change it.
    """
    if not _is_count(words[i]) or (i and words[i - 1] not in _CLAIM_LEAD):
        return None
    j = i + 1
    while j < len(words) and j <= i + 4 and (words[j] in _AMOUNT_TAIL or words[j][:1].isdigit()):
        j += 1
    if any(w in TIME_UNITS for w in words[i + 1 : j]):
        return None  # 'two minutes is plenty'
    if not any(w in MED_NOUNS for w in (*words, *others)):
        return None  # 'once is enough for the questionnaire'
    if _at(words, j) in _DOES and " ".join(words[j + 1 : j + 3]) in _DOES_THE_JOB:
        return Event(i, j, "amount", "nominal", "nominal")  # '2 does the job'
    if j >= len(words) or words[j] not in BE_FORMS:
        return None
    verdict = [w for w in words[j + 1 : j + 5] if w not in ADVERBS and w not in FILLERS]
    verdict = [w for w in verdict if w not in {"be", "than", "more", "a", "an", "bit", "way"}]
    first = verdict[0] if verdict else ""
    excessive = words[j + 1 : j + 3].count("too") > 0 and first in EXCESSIVE
    if first in SUFFICIENT or first in _FINE or first == "overkill" or excessive:
        return Event(i, j, "amount", "nominal", "nominal")
    return None


_CLAIM_LEAD = FILLERS | wordset("that find finds found reckon think say , honestly")
"""What may stand before an amount that is the subject of a claim."""
_DOES = wordset("does do did works work worked")
_DOES_THE_JOB = frozenset({"the job", "the trick", "fine", "well", "just fine", "just as"})
_FINE = wordset("fine ok okay alright")
_AMOUNT_TAIL = MED_NOUNS | TIME_WORDS | TIME_UNITS | wordset("a an per daily times x of")


def _is_count(word: str) -> bool:
    return word[:1].isdigit() or word in NUMBER_WORDS or word in {"once", "twice"}


def _counted_contrast_event(words: list[str], i: int) -> Event | None:
    """'three sprays instead of four', 'one tablet rather than two': a changed amount."""
    if not _is_count(words[i]) or _at(words, i + 1) not in MED_NOUNS:
        return None
    if _at(words, i + 2) in {"instead", "rather"} and _is_count(_at(words, i + 4)):
        return Event(i, i + 5, "amount", "nominal", "nominal")
    return None


def _stacked_doses_event(words: list[str], i: int) -> Event | None:
    """'two in one evening', 'both at once', '2 tablets at the same time': doubled up."""
    if not (words[i] in _SEVERAL or (words[i].isdigit() and words[i] in {"2", "3", "4"})):
        return None
    j = i + 1
    if _at(words, j) in MED_NOUNS:
        j += 1
    tail = " ".join(words[j : j + 4])
    if tail.startswith(_STACKED):
        return Event(i, j, "double", "nominal", "nominal")
    return None


_SEVERAL = wordset("two three both")
_STACKED = ("in one ", "in the same ", "at once", "at the same time", "together")


def _let_go_event(words: list[str], i: int) -> Event | None:
    """'the evening tablet can go', 'tonight's dose can wait': a medication as the subject
    of can/could/should + go/wait gives permission to drop or delay it."""
    if words[i] not in {"go", "wait"} or i < 2 or words[i - 1] not in _PERMITTING:
        return None
    if _at(words, i + 1) not in _AFTER_LET_GO:
        return None  # 'the tablets can go in the bin'
    subject = words[max(0, i - 5) : i - 1]
    if not any(w in MED_NOUNS for w in subject) or any(w in PERSONS for w in subject):
        return None
    if any(w in DISPOSABLE for w in subject):
        return None  # 'the empty boxes can go'
    return Event(i - 1, i + 1, "skip", "advised", "change")


_PERMITTING = wordset("can could should may")
_AFTER_LET_GO = (
    ADVERBS | FILLERS | TIME_WORDS | frozenset({"", "for", "until", "till"})
) - wordset("in into to")


def _stay_event(words: list[str], i: int) -> Event | None:
    """'stay at 10 another month', 'stick on 50mg a bit longer': holding back a planned
    increase by keeping a dose for longer."""
    entry = VERB_FORMS.get(words[i])
    if entry is None or entry[0] not in {"stay", "stick", "keep"}:
        return None
    kept_to = entry[0] == "keep" and words[i + 2 : i + 3] == ["to"]
    if kept_to and _at(words, i + 1) in OBJ_PRONOUNS and _is_amount(_at(words, i + 3)):
        return Event(i, i + 4, "limit", entry[1], "change")  # 'keep it to one spray'
    if _at(words, i + 1) not in {"at", "on", "with"}:
        return None
    j = i + 2
    while j < len(words) and (words[j] in DETERMINERS or words[j] in MED_NOUNS):
        j += 1
    if not (_is_count(_at(words, j)) or any(w in MED_NOUNS for w in words[i + 2 : j])):
        return None
    if not any(w in _LONGER for w in words[j : j + 5]):
        return None
    return Event(i, j + 1, "hold", entry[1], "change")


_LONGER = wordset("another longer extra more")


def _at(words: list[str], j: int) -> str:
    return words[j] if 0 <= j < len(words) else ""
