"""Sentences, tokens and clauses: the light syntax the guard's rules work on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reference.safety.lexicon import (
    AUX,
    CARRIERS,
    CHANGE_VERBS,
    COMPARATIVES,
    COORDINATORS,
    DEGREE_WORDS,
    DETERMINERS,
    FILLERS,
    IMPERATIVE_CARRIERS,
    MED_NOUNS,
    MODALS,
    NUMBER_WORDS,
    PARTICLES,
    PUNCT,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_UNITS,
    TIME_WORDS,
    VERB_FORMS,
    wordset,
)

_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"'”’)\]]|$)|\n")
_ABBREVIATIONS = wordset("e.g i.e eg ie dr mr mrs ms vs approx etc no st cf")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+(?:'[a-z]+)*(?:-[a-z]+)*|[,;:()\"?!.]|[-–—]+")
_LEADING_JUNK = re.compile(r"^[\s\-*•>\d.)]*?(?=\S)")

_CONTRACTIONS = {
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "lets": "let us",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "couldnt": "could not",
    "havent": "have not",
    "hasnt": "has not",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "youll": "you will",
    "youd": "you would",
    "id": "i would",
    "theyre": "they are",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "have to",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "abt": "about",
    "prob": "probably",
    "prolly": "probably",
    "def": "definitely",
    "tho": "though",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "bc": "because",
    "b4": "before",
    "rn": "now",
    "w/o": "without",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "2moro": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "nite": "night",
    "halving": "halving",
    "tabs": "tablets",
    "whats": "what is",
    "thats": "that is",
    "theres": "there is",
    "doesn": "does",
}
_S_IS = wordset("it that there what here he she who where how everything nothing")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (on . ! ? and line breaks), trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for begin, end in spans:
        chunk = text[begin:end]
        lead = _LEADING_JUNK.match(chunk)
        skip = lead.end() if lead else 0
        stripped = chunk[skip:].rstrip()
        if any(ch.isalpha() for ch in stripped):
            trimmed.append((begin + skip, begin + skip + len(stripped)))
    return trimmed


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the dot at `dot` ends an abbreviation such as 'e.g.' or 'Dr.'."""
    word = re.search(r"[A-Za-z.]+$", text[max(0, dot - 12) : dot])  # a short look back
    return bool(word) and word is not None and word.group().lower() in _ABBREVIATIONS


def tokenize(sentence: str) -> list[str]:
    """Lower-case word and punctuation tokens, with contractions expanded."""
    lowered = sentence.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    tokens: list[str] = []
    for match in _TOKEN.finditer(lowered):
        tokens.extend(_expand(match.group()))
    # "don't take any more (of them)" is "anymore" (stop), unlike "any more than two".
    for i in range(len(tokens) - 1):
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        if tokens[i : i + 2] == ["any", "more"] and after != "than":
            tokens[i : i + 2] = ["anymore", ""]
    tokens = [t for t in tokens if t]
    # "I'd skipped" is "I had skipped": a record, not "I would".
    for i in range(len(tokens) - 1):
        if tokens[i] == "would" and VERB_FORMS.get(tokens[i + 1], ("", ""))[1] == "past":
            tokens[i] = "had"
    return tokens


def _expand(token: str) -> list[str]:
    """Split one raw token into normalised words ("don't" -> "do not")."""
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    if token.endswith("n't"):
        stem = token[:-3]
        return [{"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem), "not"]
    for suffix, full in (("'d", "would"), ("'ll", "will"), ("'re", "are"), ("'ve", "have")):
        if token.endswith(suffix):
            return [token[: -len(suffix)], full]
    if token.endswith("'m"):
        return [token[:-2], "am"]
    if token.endswith("'s"):
        stem = token[:-2]
        return [stem, "is"] if stem in _S_IS else [stem, "'s"]
    return [token.strip("'")]


# --------------------------------------------------------------------------- clauses


@dataclass
class Clause:
    """A clause: its own words, what opened it, and the frame it inherits."""

    words: list[str]
    opener: str | None = None
    """Coordinator, subordinator, 'even' (for 'even if') or ',' that opened the clause
    (None at sentence start)."""
    sub: str | None = None
    """The subordinator if this is a subordinate clause ('if', 'once', 'before' ...)."""
    direct: bool = False
    """Subordinate clause split off mid-clause: it attaches to the clause before it."""
    frame: list[str] = field(default_factory=list)
    """Subject/modal/negation words inherited from a coordinated clause before it."""


def split_clauses(tokens: list[str]) -> list[Clause]:
    """Split a sentence's tokens into clauses and give each its inherited frame."""
    clauses = _segment(tokens)
    clauses = [part for clause in clauses for part in _split_consequent(clause)]
    _inherit(clauses)
    return clauses


def _segment(tokens: list[str]) -> list[Clause]:
    """Cut at punctuation, coordinators and subordinators."""
    clauses: list[Clause] = []
    words: list[str] = []
    opener: str | None = None
    sub: str | None = None
    after_punct = True

    def close() -> None:
        if words:
            clauses.append(Clause(list(words), opener, sub, sub is not None and not after_punct))
            words.clear()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        found, width = _subordinator_at(tokens, i)
        if tok in PUNCT:
            close()
            opener, sub, after_punct = ",", None, True
        elif tok in COORDINATORS and _coordinator_splits(tok, nxt, words[-1] if words else ""):
            close()
            opener, sub, after_punct = tok, None, True
        elif found:
            attached = bool(words)
            close()
            # 'even if' keeps sub 'if' but is a concession, not a condition.
            opener = "even" if tok == "even" else found
            sub, after_punct = found, not attached
            i += width
            continue
        else:
            words.append(tok)
        i += 1
    close()
    return clauses


_BINOMIALS = frozenset(
    {("here", "there"), ("now", "then"), ("on", "off"), ("off", "on"), ("back", "forth")}
)
"""Fixed pairs ('here and there', 'now and then') that are one adverb, not two clauses."""


def _coordinator_splits(tok: str, nxt: str, prev: str) -> bool:
    """'so' and 'then' only split where a new clause plausibly starts."""
    if (prev, nxt) in _BINOMIALS:
        return False
    if tok == "so":
        return nxt in SUBJECT_PRONOUNS or nxt in FILLERS or _is_base_verb(nxt)
    if tok in {"and", "or"} and nxt in _PHRASE_PREPOSITIONS:
        return False  # 'with food or at bedtime': two phrases of one clause
    return not (tok == "or" and nxt in {"so", "two", "more", "less"})


_PHRASE_PREPOSITIONS = wordset("at in on with during")


def _subordinator_at(tokens: list[str], i: int) -> tuple[str | None, int]:
    """The subordinator starting at token i, and how many tokens it spans."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    prev = tokens[i - 1] if i > 0 else ""
    if tok == "as" and nxt == "soon" and i + 2 < len(tokens) and tokens[i + 2] == "as":
        return "once", 3
    if tok == "in" and nxt == "case":
        return "if", 2
    if tok in {"instead", "rather"} and nxt in {"of", "than"}:
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        return ("instead", 2) if after.endswith("ing") else (None, 0)
    if tok == "even" and nxt in {"if", "when", "though"}:
        return nxt, 2
    if tok not in SUBORDINATORS or (tok == "if" and prev in {"what", "as"}):
        return None, 0
    if nxt in PUNCT or not nxt:
        return None, 0  # 'take it whenever.': an adverb here
    if tok == "once" and (nxt in _ONCE_COUNTS or nxt in AUX or nxt in MODALS):
        return None, 0  # 'once a day', 'once is plenty', unlike 'once you stop'
    if tok in {"before", "after"} and not (
        nxt in SUBJECT_PRONOUNS or nxt.endswith("ing") or nxt in {"a", "an", "the", "your"}
    ):
        return None, 0
    if tok in {"before", "after"} and is_duration(tokens[i + 1 : i + 6]):
        return None, 0  # 'after a few weeks' is a time, not a clause
    if tok in {"until", "till"} and (nxt in TIME_WORDS or nxt in {"later", "tomorrow"}):
        return None, 0  # 'leave it till later'
    if tok == "without" and not nxt.endswith("ing"):
        return None, 0
    if tok in {"since", "while"} and nxt in {"then", "ago"}:
        return None, 0
    return tok, 1


_ONCE_COUNTS = wordset("a an per daily weekly every or more in")


def is_duration(words: list[str]) -> bool:
    """'a few days', 'for a week', 'two nights', 'a while', 'till Monday'."""
    if words[:1] and words[0] in {"for", "till", "until", "over"}:
        words = words[1:]
    head = [w for w in words if w not in DETERMINERS and w not in DEGREE_WORDS and w != "of"]
    if not head:
        return False
    return (
        head[0] in TIME_WORDS
        or head[0] == "while"
        or (
            (head[0][:1].isdigit() or head[0] in NUMBER_WORDS)
            and len(head) > 1
            and (head[1] in TIME_WORDS or head[1] in TIME_UNITS)
        )
    )


def _is_base_verb(word: str) -> bool:
    entry = VERB_FORMS.get(word)
    return entry is not None and entry[1] == "base"


def _split_consequent(clause: Clause) -> list[Clause]:
    """Split 'if it is bad take it later' into antecedent and consequent (no comma)."""
    if clause.sub is None or clause.sub in {"whether", "without", "instead", "unless"}:
        return [clause]
    words = clause.words
    seen_verb = clause.sub in {"after", "before", "until", "till", "since"}
    for j, word in enumerate(words):
        entry = VERB_FORMS.get(word)
        prev = words[j - 1] if j else ""
        if j >= 2 and seen_verb and _starts_consequent(words, j, prev):
            head = Clause(words[:j], clause.opener, clause.sub, clause.direct)
            return [head, Clause(words[j:], ",")]
        if entry is not None or word in AUX:
            seen_verb = True
    return [clause]


def _starts_consequent(words: list[str], j: int, prev: str) -> bool:
    """Whether words[j] opens a main clause after an antecedent that already has a verb."""
    word = words[j]
    nxt = words[j + 1] if j + 1 < len(words) else ""
    if word in PARTICLES:
        return False  # 'pick up my prescription': 'up' is the particle of 'pick'
    blocked = (
        prev in SUBJECT_PRONOUNS
        or prev in AUX
        or prev in {"and", "or", "to", "not"}
        or prev in DETERMINERS
        or prev in MED_NOUNS
        or prev in COMPARATIVES
    )
    if word in {"just", "simply", "then", "maybe", "please"} and _is_base_verb(nxt):
        return not blocked
    if word in {"i", "you", "we", "people"} and not (
        prev in VERB_FORMS or prev in AUX or prev in PARTICLES or prev in _NO_SPLIT_BEFORE
    ):
        return True
    lemma_form = VERB_FORMS.get(word)
    if lemma_form and lemma_form[1] == "base":
        lemma = lemma_form[0]
        opens = lemma in CHANGE_VERBS or lemma in CARRIERS or lemma in _CONSEQUENT_CARRIERS
        if opens and not blocked:
            return True
    return word in {"you", "people"} and nxt in MODALS and not blocked


_CONSEQUENT_CARRIERS = IMPERATIVE_CARRIERS - wordset("be make keep think give remember")
"""Carriers that open an imperative consequent ('if it keeps happening try taking half')."""

_NO_SPLIT_BEFORE = wordset("that and or to if when as than because like about for with")


def starts_with_verb(words: list[str]) -> bool:
    """Whether a clause opens with a verb (no subject of its own)."""
    for word in words:
        if word in FILLERS:
            continue
        return word in VERB_FORMS or word in MODALS or word in {"not", "never", "do"}
    return False


def verb_prefix(clause: Clause) -> list[str]:
    """The clause's subject/modal/negation words: everything before its main verb."""
    words = clause.words
    for j, word in enumerate(words):
        if word in VERB_FORMS and word not in AUX:
            return clause.frame + words[:j]
    return []


def _inherit(clauses: list[Clause]) -> None:
    """Give a verb-initial coordinated clause the frame of the clause it continues."""
    for idx in range(1, len(clauses)):
        clause, prev = clauses[idx], clauses[idx - 1]
        if clause.sub is None and prev.sub is None and _is_elliptical(clause.words):
            clause.words = [w for w in clause.words if w not in _ELLIPSIS] + _predicate(prev)
            continue
        if clause.sub is not None or not starts_with_verb(clause.words):
            continue
        link = clause.opener
        if prev.sub is not None:
            if link in {"and", "or", "nor", "plus"}:
                clause.sub, clause.direct = prev.sub, prev.direct
            continue
        prefix = verb_prefix(prev)
        if link in {"and", "or", "nor", "plus", "then"}:
            # '... or just skip it' is an alternative to the whole clause before it.
            alternative = link == "or" and clause.words[0] in {"just", "simply", "instead"}
            clause.frame = (not alternative and _infinitive_frame(prev)) or prefix
        elif link in {"but", "yet"}:
            clause.frame = [w for w in prefix if w not in {"not", "never", "do", "no"}]
        elif link == "," and _is_list_item(clauses, idx):
            clause.frame = prefix


def _infinitive_frame(prev: Clause) -> list[str]:
    """'tell people to start low and go slower': a verb-initial clause after 'and'
    continues the infinitive, so it inherits everything up to that 'to'."""
    words = prev.words
    for j in range(len(words) - 2, -1, -1):
        if words[j] == "to" and _is_base_verb(words[j + 1]):
            return prev.frame + words[: j + 1]
    return []


def _is_list_item(clauses: list[Clause], idx: int) -> bool:
    """'Never stop, skip, or change ...': a bare verb, or a list closed by and/or."""
    if len(clauses[idx].words) == 1:
        return True
    for later in clauses[idx + 1 :]:
        if later.sub is not None or not starts_with_verb(later.words):
            return False
        if later.opener in {"and", "or", "nor"}:
            return True
    return False


_ELLIPSIS = wordset("too also as well the same")


def _is_elliptical(words: list[str]) -> bool:
    """'... and you should too': a subject and modal standing for the previous predicate."""
    core = [w for w in words if w not in FILLERS]
    return (
        any(w in MODALS for w in core)
        and not any(w in VERB_FORMS and w not in AUX for w in core)
        and all(w in MODALS or w in AUX or w in _ELLIPSIS or w in SUBJECT_PRONOUNS for w in core)
    )


def _predicate(clause: Clause) -> list[str]:
    """The clause's words from its main verb on."""
    for j, word in enumerate(clause.words):
        if word in VERB_FORMS and word not in AUX:
            return clause.words[j:]
    return []
