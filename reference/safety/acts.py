"""Speech acts: is a change event advised, or only mentioned?

A change is *advice* when the text tells, invites or encourages the reader (or people in
general) to make it: an imperative, a modal recommendation ("you could", "it's worth"),
a suggesting question ("why not ..."), a conditional consequence ("if X, skip it"), or
a claim that it helps ("taking less usually helps"). It is *not* advice when it is
prohibited, done by a prescriber, sent to a prescriber as a question, gated on a
prescriber's say-so, recorded in the past, or stated as a neutral or negative fact.

The word-level framing rules live in `frames`; this module handles what needs the whole
sentence: conditions, contrasts ("not two", "instead"), a later "try that", concessions
("even if that means two"), and gating on a prescriber in another clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.safety.events import Event, find_events
from reference.safety.frames import (
    at,
    by_means,
    cleft_claim,
    genuine_question,
    governed,
    has_cue,
    imperative,
    negated,
    negative_question,
    passive_advice,
    positive,
    process,
    recommends,
    strip,
    subject_kind,
    why_take,
)
from reference.safety.lexicon import (
    ACCIDENTAL,
    ACTIVITY_NOUNS,
    AGENTS,
    AUX,
    CLAIM_SUBORDINATORS,
    COMPARATIVES,
    DOUBLE_NEGATIVE_CUES,
    ENDORSEMENTS,
    GATE_NOUNS,
    GATE_VERBS,
    GOVERNORS,
    MEALS,
    MED_NOUNS,
    MED_OR_PRONOUN,
    MODALS,
    NEGATIVE,
    NEGATORS,
    NON_MED_IDIOMS,
    PERMISSIVE_NEGATIVE_CUES,
    PERSONS,
    PRONOUN_ENDORSEMENTS,
    SUGGESTION_CUES,
    SYMPTOMS,
    TALK_VERBS,
    THAT_CLAIM,
    TIME_WORDS,
    VERB_FORMS,
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
    missed_dose: bool
    """About a missed dose: 'if you miss a dose', 'when you remember', 'the forgotten one'."""


def sentence_gives_advice(sentence: str) -> bool:
    """Whether one sentence advises or suggests a change of dose or schedule."""
    tokens = tokenize(sentence)
    clauses = split_clauses(tokens)
    conditions = [c for c in clauses if c.sub in {"if", "when", "whenever"} and c.opener != "even"]
    info = Sentence(
        clauses=clauses,
        med_context=any(t in MED_NOUNS for t in tokens)
        or not (_about_an_activity(tokens) or _non_med_idiom(tokens)),
        symptom_condition=any(any(w in SYMPTOMS for w in c.words) for c in conditions),
        condition=any(
            not any(w in AGENTS or VERB_FORMS.get(w, ("",))[0] in _FORGET for w in c.words)
            for c in conditions
        ),
        has_instead="instead" in tokens
        or "rather" in tokens
        or _contrasts(tokens)
        or _paired_contrast(tokens),
        missed_dose=_about_a_missed_dose(tokens, clauses),
    )
    for idx, clause in enumerate(clauses):
        nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
        then_verb = (
            nxt is not None
            and nxt.opener in {"and", "then"}
            and nxt.sub is None
            and starts_with_verb(nxt.words)
            and nxt.words[0] not in {"see", "check", "notice"}  # 'stop and see how it goes'
        )
        others = tuple(w for pos, c in enumerate(clauses) if pos != idx for w in c.words)
        later = tuple(clauses[idx + 1 :])
        for event in find_events(clause.words, info.med_context, then_verb, others, later):
            if _is_advice(event, idx, info) or _endorsed(event, idx, info):
                return True
    return False


def _endorsed(event: Event, idx: int, info: Sentence) -> bool:
    """'She went down to 5mg and it cleared up, so try that': a later imperative that
    points back at a change ('try that', 'do the same') recommends it."""
    if event.kind not in {"change", "nominal"}:
        return False
    words = info.clauses[idx].words
    if any(w in AGENTS or w in GOVERNORS or w in NEGATORS for w in words):
        return False
    praised = positive([w for c in info.clauses for w in c.words])
    for later in info.clauses[idx + 1 :]:
        text = " " + " ".join(strip(later.words)) + " "
        if later.sub is not None:
            continue
        if any(f" {cue} " in text for cue in ENDORSEMENTS):
            return True
        if praised and any(f" {cue} " in text for cue in PRONOUN_ENDORSEMENTS):
            return True  # 'it's loads better, try it' ('it' could be the drug otherwise)
    return False


_FORGET = frozenset({"miss", "forget"})


def _about_a_missed_dose(tokens: list[str], clauses: list[Clause]) -> bool:
    """'If you miss a dose, ...', '... as soon as you remember', 'the forgotten tablet':
    what the sentence tells the reader to take is a missed dose, so taking it at all is a
    change of schedule (what to do about a missed dose is the prescriber's call)."""
    for clause in clauses:
        if clause.sub not in _WHEN_SUBS or any(w in AGENTS for w in clause.words):
            continue
        lemmas = {VERB_FORMS.get(w, (w, ""))[0] for w in clause.words}
        if lemmas & (_FORGET | {"remember", "notice", "realise", "realize"}):
            return True
    return any(
        word in _MISSED and (tokens[j + 1] in MED_OR_PRONOUN) for j, word in enumerate(tokens[:-1])
    )


_WHEN_SUBS = wordset("if when whenever once")
_MISSED = wordset("missed forgotten skipped")


def _contrasts(tokens: list[str]) -> bool:
    """'take one spray, not two', 'at night not in the morning': a bare 'not' + an
    amount or time sets the change against the usual, like 'instead'."""
    for j in range(1, len(tokens) - 1):
        prev, nxt = tokens[j - 1], tokens[j + 1]
        if tokens[j] != "not" or prev in AUX or prev in MODALS or prev in {"or", "why", "if"}:
            continue
        if nxt in _CONTRAST_HEADS or nxt[:1].isdigit() or nxt in TIME_WORDS or nxt in MEALS:
            return True
    return False


def _paired_contrast(tokens: list[str]) -> bool:
    """'Don't take it before bed, take it at lunch': a take that is refused and a take
    that is told set one time against another, like 'instead'."""
    takes = [j for j, w in enumerate(tokens) if VERB_FORMS.get(w, ("",))[0] in _TAKES]
    refused = [j for j in takes if {"not", "never"} & set(tokens[max(0, j - 2) : j])]
    return len(takes) >= 2 and 0 < len(refused) < len(takes)


_TAKES = wordset("take use have")

_CONTRAST_HEADS = wordset("one two three four half twice once every in at")


def _non_med_idiom(tokens: list[str]) -> bool:
    """'quit while you're ahead': a fixed phrase about something other than medication."""
    text = " " + " ".join(tokens) + " "
    return any(f" {idiom} " in text for idiom in NON_MED_IDIOMS)


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
        return _subordinate_claim(event, idx, info) or _conceded(event, idx, info)
    if _gated(idx, event, info) or _topic_clause(event, idx, info):
        return False
    left = clause.frame + clause.words[: event.start]
    return _main_clause_advice(event, left, idx, info)


def _topic_clause(event: Event, idx: int, info: Sentence) -> bool:
    """'Change when you get reminders': a bare 'change/adjust when ...' whose wh-clause
    names no medication changes the reminders, not the dose."""
    clause = info.clauses[idx]
    if event.lemma not in _WH_OBJECT_VERBS or event.end != len(clause.words):
        return False
    if idx + 1 >= len(info.clauses):
        return False
    nxt = info.clauses[idx + 1]
    about_it = any(w in MED_OR_PRONOUN or VERB_FORMS.get(w, ("",))[0] in _TAKES for w in nxt.words)
    return nxt.sub in {"when", "whenever", "how"} and not about_it


_WH_OBJECT_VERBS = wordset("change adjust alter move switch")


def _main_clause_advice(event: Event, left: list[str], idx: int, info: Sentence) -> bool:
    """Decide from the words left of the change (its subject, modal, negation ...).

    The order matters: who acts and what frames the change (prescriber, asking,
    suggestion, permission, prohibition, question) outrank the shape of the verb.
    """
    phrase = " " + " ".join(left) + " "
    suggests = (
        has_cue(phrase, SUGGESTION_CUES)
        or negative_question(left)
        or strip(left)[:1] == ["tried"]  # '(have you) tried halving it?'
    )
    kind = _advised_kind(event, left, idx, info, suggests=suggests)
    framed = _framed_advice(event, left, idx, info, kind=kind, phrase=phrase, suggests=suggests)
    if framed is not None:
        return framed
    return _stated_advice(event, left, idx, info)


def _advised_kind(
    event: Event, left: list[str], idx: int, info: Sentence, *, suggests: bool
) -> str:
    """The event's kind, a plain or weak 'take it' raised to a change by its context.

    A plain 'take it' only matters when negated ('don't take it tonight'); a timing
    ('take it at night') is a change when conditional, contrasted or recommended.
    """
    kind = event.kind
    if kind == "plain" and _as_needed(idx, info):
        kind = "change"  # 'take it when you feel you need it'
    if kind in {"plain", "weak"} and info.missed_dose and event.lemma in _TAKES:
        kind = "change"  # 'if you miss a dose, take it as soon as you remember'
    if kind == "weak":
        timing_advised = (
            info.condition
            or info.has_instead
            or recommends(left, event)
            or _touted(idx, info)
            or cleft_claim(left, event)
            or (suggests and not _warns(info))
            or _timing_claim(event, idx, info)
            or _instructed(left, event)
            or _generic_claim(left, event, idx, info)
        )
        kind = "change" if timing_advised else "plain"
    return kind


def _framed_advice(
    event: Event,
    left: list[str],
    idx: int,
    info: Sentence,
    *,
    kind: str,
    phrase: str,
    suggests: bool,
) -> bool | None:
    """What an agent, suggestion, permission, prohibition or question makes of the change;
    None where none of them frames it."""
    omission = event.kind in {"plain", "weak"}
    # 1. A prescriber acts, or the change is what to ask/tell/record: not advice.
    if any(w in AGENTS for w in left) or governed(left):
        return False
    # 2. Suggesting questions and negated negatives: 'why not ...', 'no harm in ...',
    # 'wouldn't a lower dose be kinder?' (unless it warns: 'isn't it risky to stop?').
    means = by_means(left, event)
    if means is not None:
        return means
    if suggests or has_cue(phrase, DOUBLE_NEGATIVE_CUES):
        return kind != "plain" and not (suggests and _warns(info))
    # 3. Permission not to take: 'no need to take it', 'why take the full dose?'.
    if has_cue(phrase, PERMISSIVE_NEGATIVE_CUES) or why_take(left):
        return omission
    if kind != "plain" and cleft_claim(left, event):
        return True
    # 4. Prohibition: 'don't stop' is neutral, 'don't take it tonight' is a skip.
    if negated(left, event):
        return omission and _omission_context(event, left, idx, info)
    if kind == "plain" or genuine_question(left, event):
        return False
    if event.form == "advised":
        return True  # the words are advice themselves: 'the evening tablet can go'
    return None


def _stated_advice(event: Event, left: list[str], idx: int, info: Sentence) -> bool:
    """An unframed change: advice by a recommendation, an imperative or a claim it helps."""
    # 5. Recommendation frames: 'you could', 'I'd', 'it's worth', 'doses can be skipped'.
    if recommends(left, event):
        return True
    passive = passive_advice(left, event)
    if passive is not None:
        return passive
    # 6. Records and reports about someone else ('I halved it', 'she skipped one').
    subject = subject_kind(left)
    claim_words = left + info.clauses[idx].words[event.end :] + _following_main(idx, info)
    if subject in {"first", "third", "we", "they", "agent"}:
        core = strip(left)
        return (
            event.form in {"gerund", "nominal"}
            and bool(core)
            and core[-1] in THAT_CLAIM
            and positive(info.clauses[idx].words[event.end :])
        )
    if event.form == "past":
        return False
    if event.form == "base" and _purpose_of_an_imperative(left):
        return True  # 'use a pill cutter to halve the tablet'
    # 7. Imperatives ('skip it', 'try half'), or a gerund/noun subject making a claim.
    if imperative(left):
        if event.form in {"gerund", "nominal"} and not strip(left):
            after = info.clauses[idx].words[event.end :]
            claimed = positive(claim_words) and not process(after)
            return claimed and event.lemma not in ACCIDENTAL
        return event.form in {"base", "nominal"} or bool(strip(left))
    # 8. 'you just skip it'; otherwise only a claim that the change helps is advice.
    if subject == "reader" and event.form in {"base", "third"}:
        return True
    return event.lemma not in ACCIDENTAL and positive(claim_words)


# --------------------------------------------------------------------------- frames


def _omission_context(event: Event, left: list[str], idx: int, info: Sentence) -> bool:
    """'Don't take it if you feel dizzy / tonight / on weekends / at all' is advice to
    skip it; 'don't stop taking it' is not an omission at all."""
    core = strip(left)
    if core and core[-1] in {"stop", "quit", "discontinue", "cease"}:
        return False
    if event.lemma in {"bother", "need"}:
        return True  # 'don't bother with the lunchtime tablet', 'you don't need it'
    after = info.clauses[idx].words[event.end :]
    if after[:1] and (after[0] in _MORE_THAN_ONE or after[0] in COMPARATIVES):
        return False  # 'don't take two the next day': bans an increase

    later = [w for c in info.clauses[idx + 1 :] for w in c.words]
    text = " " + " ".join(after + later) + " "
    timed = {"tonight", "tomorrow", "today", "next", "anymore", "again"} & set(after + later)
    on_days = any(
        word == "on" and any(w in TIME_WORDS for w in after[j + 1 : j + 4])
        for j, word in enumerate(after)
    )
    partial = any(w in {"whole", "full", "entire"} for w in after[:4])
    that_day = any(
        w in {"that", "this", "those", "these"} and at(after, j + 1) in TIME_WORDS
        for j, w in enumerate(after)
    )
    on_days = on_days or that_day
    return info.symptom_condition or bool(timed) or " at all " in text or on_days or partial


_MORE_THAN_ONE = wordset("two three four 2 3 4 extra more double another both")


def _purpose_of_an_imperative(left: list[str]) -> bool:
    """'Use a pill cutter to halve it', 'set an alarm to take it later': an imperative
    whose purpose is the change tells the reader to make it."""
    core = strip(left)
    if len(core) < 2 or core[-1] != "to" or not _is_base(core[0]):
        return False
    return not any(w in PERSONS or w in AGENTS or w in NEGATORS or w in AUX for w in core[:-1])


def _is_base(word: str) -> bool:
    return VERB_FORMS.get(word, ("", ""))[1] == "base" and word not in AUX


def _generic_claim(left: list[str], event: Event, idx: int, info: Sentence) -> bool:
    """'Most people take it at night to avoid the dizziness': what people in general do,
    with a good outcome, recommends it."""
    if subject_kind(left) != "generic" or event.form not in {"base", "third"}:
        return False
    return positive(info.clauses[idx].words[event.end :] + _following_main(idx, info))


def _instructed(left: list[str], event: Event) -> bool:
    """'Take it at bedtime', 'use three sprays': an imperative that sets when or how much
    is itself advice, since Sidelog never proposes an amount or a time."""
    return event.form == "base" and imperative(left) and subject_kind(left) is None


def _timing_claim(event: Event, idx: int, info: Sentence) -> bool:
    """'Taking it at night avoids the daytime drowsiness': a timing as the subject of a
    claim that it helps is recommended by the claim."""
    if event.form != "gerund":
        return False
    after = info.clauses[idx].words[event.end :] + _following_main(idx, info)
    return positive(after)


def _as_needed(idx: int, info: Sentence) -> bool:
    """'take it when you feel you need it': a 'when/if' clause about needing it right
    after turns a plain 'take it' into taking it only as needed."""
    if idx + 1 >= len(info.clauses):
        return False
    nxt = info.clauses[idx + 1]
    if nxt.sub in {"after", "before"} and nxt.direct and info.has_instead:
        return True  # 'take it after your session rather than before'
    return (
        nxt.sub in {"when", "whenever", "if"}
        and any(w in {"need", "needs", "needed"} for w in nxt.words)
        and not any(w in AGENTS for w in nxt.words)
    )


def _warns(info: Sentence) -> bool:
    """Whether the sentence speaks of danger ('isn't it risky to stop suddenly?')."""
    return any(w in NEGATIVE for clause in info.clauses for w in clause.words)


def _touted(idx: int, info: Sentence) -> bool:
    """A timing is advised when the sentence sells it: 'pro tip: take it at night', or
    '..., the dizziness basically vanishes'."""
    for pos, clause in enumerate(info.clauses):
        if pos == idx or clause.sub is not None:
            continue
        words = clause.words
        if pos < idx and any(w in _TIP_NOUNS for w in words) and len(words) <= 3:
            return True
        if pos > idx and any(w in SYMPTOMS for w in words) and positive(words):
            return True
    return False


_TIP_NOUNS = wordset("tip tips hack trick advice suggestion")


def _following_main(idx: int, info: Sentence) -> list[str]:
    """Words of the main clauses after clause idx (where a claim's verdict often is)."""
    return [w for c in info.clauses[idx + 1 :] if c.sub is None for w in c.words]


# --------------------------------------------------------------------------- claims


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
        if subject_kind(words) in {"first", "third", "agent", "we"}:
            return False
    if any(w in GOVERNORS for w in host_words) or genuine_question(host_words, event):
        return False
    return positive(host_words)


def _conceded(event: Event, idx: int, info: Sentence) -> bool:
    """'Take it when you remember, even if that means two in one evening': an imperative
    that holds even at the cost of the change endorses the change."""
    clause = info.clauses[idx]
    if clause.opener != "even" or event.kind not in {"change", "nominal"}:
        return False
    if any(w in NEGATORS or w in AGENTS for w in clause.words[: event.start]):
        return False
    host = _host(idx, info)
    if host is None or any(w in NEGATORS or w in AGENTS for w in host.words):
        return False
    return imperative(host.frame + host.words[:1]) and starts_with_verb(host.words)


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
    """'with your doctor', 'under medical supervision', 'on your prescriber's advice'
    (not 'on clinic days', where the agent names a time)."""
    for j, word in enumerate(words):
        if word in {"with", "under", "per", "on", "following"}:
            near = words[j + 1 : j + 5]
            agents = [k for k, w in enumerate(near) if w in AGENTS]
            if any(at(near, k + 1) not in TIME_WORDS for k in agents):
                return True
            if "medical" in near and word != "on":
                return True
    return False


def _as_directed(words: list[str]) -> bool:
    """'as directed', 'as prescribed', 'as your doctor advises'."""
    text = " " + " ".join(words) + " "
    return any(f" as {w} " in text for w in _DIRECTED)


_DIRECTED = (
    "directed",
    "prescribed",
    "advised",
    "instructed",
    "the leaflet says",
    "the label says",
    "per the leaflet",
)
