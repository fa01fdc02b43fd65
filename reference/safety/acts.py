"""Speech acts: is a change event advised, or only mentioned?

A change is *advice* when the text tells, invites or encourages the reader (or people in
general) to make it: an imperative, a modal recommendation ("you could", "it's worth"),
a suggesting question ("why not ..."), a conditional consequence ("if X, skip it"), or
a claim that it helps ("taking less usually helps"). It is *not* advice when it is
prohibited, done by a prescriber, sent to a prescriber as a question, gated on a
prescriber's say-so, recorded in the past, or stated as a neutral or negative fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.safety.events import Event, find_events
from reference.safety.lexicon import (
    ACCIDENTAL,
    ACTIVITY_NOUNS,
    ADVERBS,
    AGENTS,
    AUX,
    AUX_INVERT,
    BE_FORMS,
    CARRIER_TAIL,
    CLAIM_SUBORDINATORS,
    DIMINISHERS,
    DOUBLE_NEGATIVE_CUES,
    FILLERS,
    FIRST_PERSON,
    FLIPPERS,
    GATE_NOUNS,
    GATE_VERBS,
    GENERIC,
    GOVERNORS,
    IMPERATIVE_CARRIERS,
    INTENSIFIERS,
    MED_NOUNS,
    MODALS,
    NEGATIVE,
    NEGATORS,
    PATIENT_ACTIONS,
    PERMISSIVE_NEGATIVE_CUES,
    POSITIVE,
    POSITIVE_PHRASES,
    READER,
    RECOMMEND_TAIL,
    RECOMMEND_WORDS,
    SUGGESTION_CUES,
    SYMPTOMS,
    TALK_VERBS,
    THAT_CLAIM,
    THEY,
    THIRD_PERSON,
    TIME_WORDS,
    VERB_FORMS,
    WE,
    WH_WORDS,
    wordset,
)
from reference.safety.text import Clause, split_clauses, starts_with_verb, tokenize


@dataclass(frozen=True)
class Sentence:
    """A tokenised sentence with the facts every clause's rules need."""

    clauses: list[Clause]
    med_context: bool
    """The sentence is about medication (names one, or no other activity)."""
    symptom_condition: bool
    """An if/when clause about how the person feels ('if you feel dizzy')."""
    condition: bool
    """Any if/when clause other than a missed dose or a prescriber's say-so."""
    has_instead: bool


def sentence_gives_advice(sentence: str) -> bool:
    """Whether one sentence advises or suggests a change of dose or schedule."""
    tokens = tokenize(sentence)
    clauses = split_clauses(tokens)
    conditions = [c for c in clauses if c.sub in {"if", "when", "whenever"}]
    info = Sentence(
        clauses=clauses,
        med_context=any(t in MED_NOUNS for t in tokens) or not _about_an_activity(tokens),
        symptom_condition=any(any(w in SYMPTOMS for w in c.words) for c in conditions),
        condition=any(
            not any(w in AGENTS or VERB_FORMS.get(w, ("",))[0] in _FORGET for w in c.words)
            for c in conditions
        ),
        has_instead="instead" in tokens or "rather" in tokens,
    )
    for idx, clause in enumerate(clauses):
        nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
        then_verb = (
            nxt is not None
            and nxt.opener in {"and", "then"}
            and nxt.sub is None
            and starts_with_verb(nxt.words)
        )
        for event in find_events(clause.words, info.med_context, then_verb):
            if _is_advice(event, idx, info):
                return True
    return False


_FORGET = frozenset({"miss", "forget"})


def _about_an_activity(tokens: list[str]) -> bool:
    """Whether the sentence names an activity ('during the walk', 'while exercising')."""
    for word in tokens:
        if word in ACTIVITY_NOUNS:
            return True
        if (
            word.endswith("ing")
            and len(word) > 5
            and word not in VERB_FORMS
            and word not in SYMPTOMS
            and word not in _ING_NOUNS
        ):
            return True
    return False


_ING_NOUNS = wordset(
    "evening morning nothing something anything everything during thing ceiling spring "
    "string feeling dosing"
)


def _is_advice(event: Event, idx: int, info: Sentence) -> bool:
    clause = info.clauses[idx]
    if clause.sub is not None:
        return _subordinate_claim(event, idx, info)
    if _gated(idx, event, info):
        return False
    left = clause.frame + clause.words[: event.start]
    return _main_clause_advice(event, left, idx, info)


def _main_clause_advice(event: Event, left: list[str], idx: int, info: Sentence) -> bool:
    """Decide from the words left of the change (its subject, modal, negation ...).

    The order matters: who acts and what frames the change (prescriber, asking,
    suggestion, permission, prohibition, question) outrank the shape of the verb.
    """
    # A plain 'take it' only matters when negated ('don't take it tonight'); a timing
    # ('take it at night') is a change when conditional, contrasted or recommended.
    omission = event.kind in {"plain", "weak"}
    kind = event.kind
    if kind == "weak":
        timing_advised = info.condition or info.has_instead or _recommends(left, event)
        kind = "change" if timing_advised else "plain"
    phrase = " " + " ".join(left) + " "
    # 1. A prescriber acts, or the change is what to ask/tell/record: not advice.
    if any(w in AGENTS for w in left) or any(w in GOVERNORS for w in left):
        return False
    # 2. Suggesting questions and negated negatives: 'why not ...', 'no harm in ...'.
    if _has_cue(phrase, SUGGESTION_CUES) or _has_cue(phrase, DOUBLE_NEGATIVE_CUES):
        return kind != "plain"
    # 3. Permission not to take: 'no need to take it', 'why take the full dose?'.
    if _has_cue(phrase, PERMISSIVE_NEGATIVE_CUES) or _strip(left) == ["why"]:
        return omission
    # 4. Prohibition: 'don't stop' is neutral, 'don't take it tonight' is a skip.
    if _negated(left, event):
        return omission and _omission_context(event, left, idx, info)
    if kind == "plain" or _genuine_question(left):
        return False
    # 5. Recommendation frames: 'you could', 'I'd', 'it's worth', 'doses can be skipped'.
    if _recommends(left, event):
        return True
    passive = _passive_advice(left, event)
    if passive is not None:
        return passive
    # 6. Records and reports about someone else ('I halved it', 'she skipped one').
    subject = _subject(left)
    claim_words = left + info.clauses[idx].words[event.end :] + _following_main(idx, info)
    if subject in {"first", "third", "we", "they", "agent"}:
        core = _strip(left)
        return (
            event.form in {"gerund", "nominal"}
            and bool(core)
            and core[-1] in THAT_CLAIM
            and _positive(info.clauses[idx].words[event.end :])
        )
    if event.form == "past":
        return False
    # 7. Imperatives ('skip it', 'try half'), or a gerund/noun subject making a claim.
    if _imperative(left):
        if event.form in {"gerund", "nominal"} and not _strip(left):
            return _positive(claim_words)
        return event.form in {"base", "nominal"} or bool(_strip(left))
    # 8. 'you just skip it'; otherwise only a claim that the change helps is advice.
    if subject == "reader" and event.form in {"base", "third"}:
        return True
    return event.lemma not in ACCIDENTAL and _positive(claim_words)


# --------------------------------------------------------------------------- frames


def _has_cue(phrase: str, cues: tuple[str, ...]) -> bool:
    return any(f" {cue} " in phrase for cue in cues)


def _strip(words: list[str]) -> list[str]:
    """Words without fillers ('just', 'maybe', 'then' ...)."""
    return [w for w in words if w not in FILLERS]


def _negated(left: list[str], event: Event) -> bool:
    """A negation or prohibition scoping over the change ('do not', 'never', 'avoid')."""
    if any(w in NEGATORS for w in left):
        return True
    core = _strip(left)
    return event.form == "gerund" and bool(core) and core[-1] in {"stop", "quit"}


def _omission_context(event: Event, left: list[str], idx: int, info: Sentence) -> bool:
    """'Don't take it if you feel dizzy / tonight / on weekends / at all' is advice to
    skip it; 'don't stop taking it' is not an omission at all."""
    core = _strip(left)
    if core and core[-1] in {"stop", "quit", "discontinue", "cease"}:
        return False
    after = info.clauses[idx].words[event.end :]
    later = [w for c in info.clauses[idx + 1 :] for w in c.words]
    text = " " + " ".join(after + later) + " "
    timed = {"tonight", "tomorrow", "today", "next", "anymore", "again"} & set(after + later)
    on_days = any(
        word == "on" and any(w in TIME_WORDS for w in after[j + 1 : j + 4])
        for j, word in enumerate(after)
    )
    partial = any(w in {"whole", "full", "entire"} for w in after[:4])
    return info.symptom_condition or bool(timed) or " at all " in text or on_days or partial


def _genuine_question(left: list[str]) -> bool:
    """'Should I lower my dose?', 'Is it ok to skip?': asking, not suggesting."""
    core = _strip(left)
    if not core:
        return False
    if core[0] in WH_WORDS:
        return True
    if core[0] in AUX_INVERT and len(core) > 1:
        second = core[1]
        if second == "not" or second in VERB_FORMS or second in AUX:
            return False
        return not (core[0] in {"could", "would", "can"} and second == "you")
    return False


def _recommends(left: list[str], event: Event) -> bool:
    """Modal advice to the reader/people, 'I would ...', or a recommending word."""
    phrase = " " + " ".join(left) + " "
    if any(f" {cue} " in phrase for cue in ("if i were you", "let us", "go ahead and")):
        return True
    for j, word in enumerate(left):
        before = _strip(left[:j])
        subject = _nearest_person(before)
        if word in MODALS or word in {"need", "needs", "have", "has", "want", "got", "better"}:
            if word in {"have", "has", "got", "want"} and left[j + 1 : j + 2] != ["to"]:
                continue
            if event.lemma in ACCIDENTAL and word in {"can", "may", "will", "would"}:
                continue
            if subject in READER or subject in GENERIC:
                return True
            if subject == "i" and word == "would":
                return True
        if word in _RECOMMEND_VERBS and (subject in {"i", "we"} or not before):
            return True
        if word in RECOMMEND_WORDS and all(w in RECOMMEND_TAIL for w in left[j + 1 :]):
            return True
    return False


_RECOMMEND_VERBS = wordset("recommend suggest advise tell telling encourage urge")


def _nearest_person(words: list[str]) -> str:
    """The person-like word closest before a modal ('anyone who gets headaches should')."""
    for word in reversed(words):
        if word in READER or word in GENERIC or word in FIRST_PERSON or word in WE:
            return word
        if word in AGENTS or word in THIRD_PERSON or word in THEY:
            return word
    return ""


def _passive_advice(left: list[str], event: Event) -> bool | None:
    """'Doses can be skipped' is permission; 'the dose may be increased' describes care."""
    core = [w for w in left if w not in ADVERBS]
    if event.form != "past" or not core or core[-1] not in BE_FORMS:
        return None
    modals = {w for w in core if w in MODALS or w in {"ought", "need", "needs"}}
    if modals & {"can", "could", "should", "must", "ought", "need", "needs"}:
        return True
    if modals & {"may", "might"}:
        return event.lemma in PATIENT_ACTIONS
    return False


def _subject(left: list[str]) -> str | None:
    """The kind of the first person-like word left of the change."""
    for word in left:
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


def _imperative(left: list[str]) -> bool:
    """Nothing but fillers, or a carrier verb ('try', 'go', 'stick') and its little words."""
    core = _strip(left)
    if not core:
        return True
    return core[0] in IMPERATIVE_CARRIERS and all(
        w in CARRIER_TAIL or w in IMPERATIVE_CARRIERS or w in {"trying", "to"} for w in core[1:]
    )


def _following_main(idx: int, info: Sentence) -> list[str]:
    """Words of the main clauses after clause idx (where a claim's verdict often is)."""
    return [w for c in info.clauses[idx + 1 :] if c.sub is None for w in c.words]


# --------------------------------------------------------------------------- claims


def _positive(words: list[str]) -> bool:
    """A good outcome and no bad one: 'helps', 'fewer side effects', 'not dangerous'."""
    good = bad = False
    text = " " + " ".join(words) + " "
    if any(f" {phrase} " in text for phrase in POSITIVE_PHRASES):
        good = True
    for j, word in enumerate(words):
        prev = words[max(0, j - 2) : j]
        flipped = any(w in FLIPPERS for w in prev if w not in {"less", "fewer"})
        flipped = flipped or (j > 0 and words[j - 1] in {"less", "fewer"})
        if word in POSITIVE:
            good, bad = (good, True) if flipped else (True, bad)
        elif word in NEGATIVE and word not in {"risk", "risks"}:
            good, bad = (True, bad) if flipped else (good, True)
        elif word in {"risk", "risks"}:
            bad = True
        elif word in SYMPTOMS and word not in {"feel", "feeling", "felt", "feels"}:
            if any(w in DIMINISHERS for w in prev):
                good = True
            elif any(w in INTENSIFIERS for w in prev):
                bad = True
        elif word == "away" and prev and prev[-1] in {"go", "goes", "went", "gone"}:
            good = True
    return good and not bad


def _subordinate_claim(event: Event, idx: int, info: Sentence) -> bool:
    """'Most people feel better once they come off it': a change under 'once/if/after'
    with a good outcome in the main clause claims that the change helps."""
    clause = info.clauses[idx]
    if clause.sub not in CLAIM_SUBORDINATORS or event.lemma in ACCIDENTAL:
        return False
    if event.kind in {"plain", "weak"} or event.form == "past":
        return False
    left = clause.words[: event.start]
    if any(w in AGENTS for w in clause.words) or any(w in NEGATORS for w in left):
        return False
    host = _host(idx, info)
    host_words = host.words if host is not None else clause.words[event.end :]
    for words in (left, host.frame + host_words if host is not None else []):
        if _subject(words) in {"first", "third", "agent", "we"}:
            return False
    if any(w in GOVERNORS for w in host_words) or _genuine_question(host_words):
        return False
    return _positive(host_words)


def _host(idx: int, info: Sentence) -> Clause | None:
    """The main clause a subordinate clause attaches to."""
    clause = info.clauses[idx]
    before = [c for c in info.clauses[:idx] if c.sub is None]
    after = [c for c in info.clauses[idx + 1 :] if c.sub is None]
    if clause.direct and before:
        return before[-1]
    if after:
        return after[0]
    return before[-1] if before else None


def _gated(idx: int, event: Event, info: Sentence) -> bool:
    """The change is made conditional on a prescriber's say-so ('only if your doctor
    agrees', 'with your prescriber's approval', 'check with your GP first')."""
    own = info.clauses[idx].words[event.end :]
    if _with_agent(own) or _as_directed(own):
        return True
    for pos, clause in enumerate(info.clauses):
        if pos == idx:
            continue
        words = clause.words
        has_agent = any(w in AGENTS for w in words) or "medical" in words
        if not has_agent:
            continue
        refused = any(w in {"not", "otherwise", "never"} for w in words)
        if clause.sub is not None and not refused:
            if any(w in GATE_VERBS for w in words) or any(w in GATE_NOUNS for w in words):
                return True
            if clause.sub in {"after", "once"} and any(w in TALK_VERBS for w in words):
                return True
        if "first" in words or "beforehand" in words:
            return True
        if pos < idx and _with_agent(words) and not any(w in GOVERNORS for w in words):
            return True
    return False


def _with_agent(words: list[str]) -> bool:
    """'with your doctor', 'under medical supervision', 'on your prescriber's advice'."""
    for j, word in enumerate(words):
        if word in {"with", "under", "per", "on", "following"}:
            near = words[j + 1 : j + 5]
            if any(w in AGENTS for w in near) or ("medical" in near and word != "on"):
                return True
    return False


def _as_directed(words: list[str]) -> bool:
    """'as directed', 'as prescribed', 'as your doctor advises'."""
    text = " " + " ".join(words) + " "
    return any(f" as {w} " in text for w in ("directed", "prescribed", "advised", "instructed"))
