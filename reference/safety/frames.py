"""Frames: what the words around a change say about it.

Given the words left of a change (its subject, modal, negation, question form ...) these
functions tell who makes the change and how it is framed: an imperative, a recommendation
("you could", "I'd", "it's worth"), a suggesting or genuine question, a prohibition, a
passive, a pseudo-cleft ("what worked was ...") or a means ("... by skipping one"). The
claims part judges whether words state a good outcome ("helps", "fewer side effects").

They work on plain word lists, so `acts` can apply them to any clause of a sentence.
"""

from __future__ import annotations

from reference.safety.event import Event
from reference.safety.lexicon import (
    ACCIDENTAL,
    ADVERBS,
    AGENTS,
    AUX,
    AUX_INVERT,
    BE_FORMS,
    CARRIER_TAIL,
    CARRIERS,
    DEGREE_WORDS,
    DETERMINERS,
    DIMINISHERS,
    FILLERS,
    FIRST_PERSON,
    FLIPPERS,
    GENERIC,
    GOVERNORS,
    HARMLESS_PHRASES,
    IMPERATIVE_CARRIERS,
    INTENSIFIERS,
    MODALS,
    NEGATIVE,
    NEGATORS,
    NUMBER_WORDS,
    PATIENT_ACTIONS,
    PERSONS,
    POSITIVE,
    POSITIVE_PHRASES,
    READER,
    RECOMMEND_TAIL,
    RECOMMEND_WORDS,
    SYMPTOMS,
    THEY,
    THIRD_PERSON,
    TIME_WORDS,
    VERB_FORMS,
    WE,
    WH_WORDS,
    wordset,
)

# --------------------------------------------------------------------------- frames


def has_cue(phrase: str, cues: tuple[str, ...]) -> bool:
    return any(f" {cue} " in phrase for cue in cues)


def strip(words: list[str]) -> list[str]:
    """Words without fillers ('just', 'maybe', 'then' ...)."""
    return [w for w in words if w not in FILLERS]


def negated(left: list[str], event: Event) -> bool:
    """A negation or prohibition scoping over the change ('do not', 'never', 'avoid')."""
    if any(w in NEGATORS for w in left):
        return True
    core = strip(left)
    return event.form == "gerund" and bool(core) and core[-1] in {"stop", "quit"}


def by_means(left: list[str], event: Event) -> bool | None:
    """'You won't miss much by skipping a session', 'you can ease the nausea by taking it
    later': the change is the means to the main clause's outcome, so the outcome (not the
    negation in it) decides. None when the change is not introduced by 'by'."""
    core = strip(left)
    if event.form != "gerund" or core[-1:] != ["by"]:
        return None
    if any(w in AGENTS for w in core) or genuine_question(core[:-1], event):
        return False
    return positive(core[:-1]) and subject_kind(core) not in {"first", "third", "we", "they"}


def process(after: list[str]) -> bool:
    """'Dose changes are made slowly ...': a passive describing what is done, not a
    claim that it helps ('a lower dose is recommended' still recommends)."""
    words = [w for w in after if w not in ADVERBS and w not in FILLERS]
    for j, word in enumerate(words[:-1]):
        if word in BE_FORMS and word not in {"get", "gets", "got"}:
            nxt = words[j + 1]
            participle = nxt.endswith("ed") or nxt in {"made", "given", "done", "taken", "put"}
            return participle and nxt not in RECOMMEND_WORDS
    return False


def governed(words: list[str]) -> bool:
    """A communicating/recording verb frames the change ('ask about', 'note when you
    skip'); 'see how you go on' / 'see if' is trying it out, not a topic."""
    for j, word in enumerate(words):
        if word not in GOVERNORS or (word == "see" and at(words, j + 1) in _TRIAL):
            continue
        if word == "know" and j >= 2 and words[j - 2] in GENERIC:
            continue  # 'everyone I know takes it ...': a relative clause
        return True
    return False


_TRIAL = wordset("how if whether")


def at(words: list[str], j: int) -> str:
    return words[j] if 0 <= j < len(words) else ""


def why_take(left: list[str]) -> bool:
    """'Why take the full dose?', 'why are you still taking 100mg?': asks the reader to
    justify taking it, so suggests not taking it."""
    core = strip(left)
    if not core or core[0] != "why":
        return False
    return len(core) == 1 or any(w in _CONTINUING for w in left)


def negative_question(left: list[str]) -> bool:
    """'Wouldn't a lower dose ...', 'couldn't you just ...', 'don't you think you should':
    a negative yes/no question expects 'yes', so it suggests (not 'didn't you ...')."""
    core = strip(left)
    if len(core) < 2 or core[0] not in _RHETORICAL_AUX or core[1] != "not":
        return False
    # 'Do not take extra' is a prohibition; 'don't you think ...' asks.
    return core[0] not in {"do", "does"} or (len(core) > 2 and core[2] in PERSONS)


_RHETORICAL_AUX = AUX_INVERT - wordset("did was were have has")


_CONTINUING = wordset("keep keeps continue still carry bother")


def cleft_claim(left: list[str], event: Event) -> bool:
    """'What worked for me was skipping ...', 'the best move I made was dropping to 50',
    'what I'd do is skip it': a pseudo-cleft presenting the change as what helps."""
    core = strip(left)
    if core[-2:-1] and core[-1] == "to" and core[-2] in BE_FORMS:
        core = core[:-1]  # 'the best way to avoid it is to take less'
    if len(core) < 3 or core[-1] not in BE_FORMS:
        return False
    if core[0] not in {"what", "all", "the", "my", "our", "a", "one", "your"}:
        return False
    frame = core[:-1]
    if any(w in NEGATORS and not diminishes(frame, j) for j, w in enumerate(frame)):
        return False  # 'what I'd avoid is stopping suddenly'
    return positive(frame) or recommends(frame, event)


def diminishes(words: list[str], j: int) -> bool:
    """'avoid the nausea': a negator aimed at a symptom is a good outcome, not a ban."""
    return any(w in SYMPTOMS for w in words[j + 1 : j + 3])


def genuine_question(left: list[str], event: Event) -> bool:
    """'Should I lower my dose?', 'Is it ok to skip?': asking, not suggesting."""
    core = strip(left)
    if not core:
        return False
    if core[0] in WH_WORDS:
        return True
    if core == [core[0]] and core[0] in AUX_INVERT and event.form == "nominal":
        return True  # 'Would a lower dose help?'
    if core[0] in AUX_INVERT and len(core) > 1:
        second = core[1]
        if core[0] == "have" and second in DETERMINERS:
            return False  # 'have a go at ...' is an imperative
        if second == "not" or second in VERB_FORMS or second in AUX:
            return False
        return not (core[0] in {"could", "would", "can"} and second == "you")
    return False


def recommends(left: list[str], event: Event) -> bool:
    """Modal advice to the reader/people, 'I would ...', or a recommending word."""
    phrase = " " + " ".join(left) + " "
    if any(f" {cue} " in phrase for cue in _RECOMMEND_CUES):
        return True
    core = strip(left)
    if core and core[0] in _ELIDED_MODALS and elided_suggestion(core[1:], event):
        return True  # '(you) could try taking 5mg less
    for j, word in enumerate(left):
        before = strip(left[:j])
        subject = nearest_person(before)
        if modal_passive(left, j, event):
            continue  # 'people may be given a lower dose': done to them, not by them
        if word in MODALS or word in {"need", "needs", "have", "has", "want", "got", "better"}:
            if word in {"have", "has", "got", "want"} and left[j + 1 : j + 2] != ["to"]:
                continue
            if word in {"need", "needs"} and left[j + 1 : j + 2] != ["to"]:
                if subject in READER:
                    return True  # 'you need a lower dose'; not 'some people need a change'
                continue
            if event.lemma in ACCIDENTAL and word in {"can", "may", "will", "would"}:
                continue
            if subject in READER or subject in GENERIC:
                return True
            if subject == "i" and word == "would":
                return True
            if suggested_for_someone(subject, word, left[j + 1 : j + 2]):
                return True
        if word in _RECOMMEND_VERBS and (subject in {"i", "we"} or not before):
            return True
        third_party = subject in THEY or subject in THIRD_PERSON
        tail_ok = all(w in RECOMMEND_TAIL for w in left[j + 1 :])
        if word in RECOMMEND_WORDS and tail_ok and not third_party:
            return True  # not 'they may suggest a different schedule'
    return False


_RECOMMEND_VERBS = wordset("recommend suggest advise tell telling encourage urge")


def modal_passive(left: list[str], j: int, event: Event) -> bool:
    """Whether the modal at j heads a passive ('may be given', 'may be switched to'), so
    its subject undergoes the change rather than makes it (`_passive_advice` judges it)."""
    rest = [w for w in left[j + 1 :] if w not in ADVERBS]
    if rest[2:3] == ["to"]:
        # The word after 'to' is the change itself when 'to' ends the left context.
        verb_next = is_base(rest[3]) if len(rest) > 3 else event.form == "base"
        if verb_next:
            return False  # 'I'd be tempted to stop', not 'may be switched to a lower dose'
    after = rest[:2]
    if after == ["be"]:
        return event.form == "past"
    return (
        len(after) == 2
        and after[0] == "be"
        and (after[1].endswith("ed") or after[1] in {"given", "put", "kept", "told", "shown"})
    )


def is_base(word: str) -> bool:
    return VERB_FORMS.get(word, ("", ""))[1] == "base"


def suggested_for_someone(subject: str, modal: str, after: list[str]) -> bool:
    """'Maybe he could take it after lunch', 'we should halve it': advice about a relative
    or ourselves (not 'he could only manage half', a record)."""
    if not (subject in THIRD_PERSON or subject in WE):
        return False
    if after and after[0] in {"only", "barely", "hardly", "not", "never"}:
        return False
    return modal in {"should", "could", "ought", "better"}


_ELIDED_MODALS = wordset("could might should may")


def elided_suggestion(rest: list[str], event: Event) -> bool:
    """'(you) could try ...', '(you) should just take half': the modal's subject is left
    out, as it is in forum advice."""
    return (bool(rest) and rest[0] in _SUGGEST_VERBS) or (not rest and event.form == "base")


_SUGGEST_VERBS = wordset("try consider want")


_RECOMMEND_CUES = (
    "i would say",
    "i would suggest",
    "my advice is",
    "my advice would be",
    "my tip is",
    "my suggestion is",
    "if i were you",
    "see how you go on",
    "see how you get on",
    "see how you do on",
    "see how you feel on",
    "see if",
    "see whether",
    "is the one to",
    "are the ones to",
    "is the dose to",
    "do what i did and",
    "let us",
    "go ahead and",
    "have a go at",
    "have a try at",
    "have a crack at",
    "have a bash at",
)


def nearest_person(words: list[str]) -> str:
    """The person-like word closest before a modal ('anyone who gets headaches should')."""
    for word in reversed(words):
        if word in READER or word in GENERIC or word in FIRST_PERSON or word in WE:
            return word
        if word in AGENTS or word in THIRD_PERSON or word in THEY:
            return word
    return ""


def passive_advice(left: list[str], event: Event) -> bool | None:
    """'Doses can be skipped' is permission; 'the dose may be increased' describes care."""
    core = [w for w in left if w not in ADVERBS]
    if event.form != "past" or not core or core[-1] not in BE_FORMS:
        return None
    modals = {w for w in core if w in MODALS or w in {"ought", "need", "needs"}}
    if modals & {"can", "could", "should", "must", "ought", "need", "needs"}:
        return True
    if modals & {"may", "might"}:
        return event.lemma in PATIENT_ACTIONS or event.lemma in CARRIERS
    return False


def subject_kind(left: list[str]) -> str | None:
    """The kind of the first person-like word left of the change ('your doctor' is an
    agent and 'my wife' a third person: a possessive yields to the noun it owns)."""
    for j, word in enumerate(left):
        owned = left[j + 1 : j + 3]
        if word in _POSSESSIVES and any(w in AGENTS or w in THIRD_PERSON for w in owned):
            continue  # 'your (care) team', 'my wife'
        if word in AGENTS:
            return "agent"
        if word in FIRST_PERSON:
            return "first"
        if word in READER:
            return "reader"
        if word in WE:
            return "we"
        if word in THIRD_PERSON:
            return "third"
        if word in THEY:
            return "they"
        if word in GENERIC:
            return "generic"
    return None


_POSSESSIVES = wordset("my your our his her their")


_WORSE = wordset("less worse badly poorly")


def drop_fronted_adverbial(core: list[str]) -> list[str]:
    """'in the meantime', 'on bad days', 'after your session': a fronted phrase of time
    before an imperative (it ends where a verb, modal or person begins)."""
    if not core or core[0] not in _FRONTING_PREPS:
        return core
    for k, word in enumerate(core[1:6], start=1):
        if word in VERB_FORMS or word in MODALS or word in PERSONS or word in AGENTS:
            return core if k == 1 else core[k:]
    return [] if len(core) <= 5 else core


_FRONTING_PREPS = wordset("in at on for during after before until over")


def imperative(left: list[str]) -> bool:
    """Nothing but fillers, or a carrier verb ('try', 'go', 'stick') and its little words,
    after any fronted time phrase ('in the meantime just take half')."""
    core = drop_fronted_adverbial(strip(left))
    if not core:
        return True
    return core[0] in IMPERATIVE_CARRIERS and all(
        w in CARRIER_TAIL
        or w in IMPERATIVE_CARRIERS
        or w in {"trying", "to", "going", "leaving", "having", "taking"}
        or w in TIME_WORDS
        or w in DEGREE_WORDS
        or w in NUMBER_WORDS
        or w[:1].isdigit()
        for w in core[1:]
    )  # 'try a week without it'


# --------------------------------------------------------------------------- claims


def positive(words: list[str]) -> bool:
    """A good outcome and no bad one: 'helps', 'fewer side effects', 'not dangerous'."""
    good = bad = False
    text = " " + " ".join(words) + " "
    harmless = any(f" {phrase} " in text for phrase in HARMLESS_PHRASES)
    if harmless or any(f" {phrase} " in text for phrase in POSITIVE_PHRASES):
        good = True
    for j, word in enumerate(words):
        if harmless and word in {"difference", "matter"}:
            continue  # 'makes no difference' is the good news itself
        prev = words[max(0, j - 3) : j]
        flipped = any(w in FLIPPERS for w in prev if w not in {"less", "fewer"})
        flipped = flipped or (j > 0 and words[j - 1] in {"less", "fewer"})
        flipped = flipped or (word in POSITIVE and at(words, j + 1) in _WORSE)
        if word in POSITIVE:
            good, bad = (good, True) if flipped else (True, bad)
        elif word in NEGATIVE and word not in {"risk", "risks"}:
            good, bad = (True, bad) if flipped else (good, True)
        elif word in {"risk", "risks"}:
            bad = True
        elif word in SYMPTOMS and word not in {"feel", "feeling", "felt", "feels"}:
            if any(w in DIMINISHERS or w in FLIPPERS for w in prev):
                good = True
            elif any(w in INTENSIFIERS for w in prev):
                bad = True
        elif word == "away" and prev and prev[-1] in {"go", "goes", "went", "gone"}:
            good = True
    return good and not bad
