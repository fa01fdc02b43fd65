"""Word lists for the dosing-advice guard.

Everything here is lower-case and already contraction-expanded (see `text.tokenize`).
The lists describe *classes* of words (medication nouns, change verbs, modal frames,
evaluative words ...), never whole test sentences: the rules in `events` and `acts`
combine them structurally.
"""

from __future__ import annotations

from dataclasses import dataclass


def wordset(text: str) -> frozenset[str]:
    """A word set from a space-separated string (keeps the long lists readable)."""
    return frozenset(text.split())


# --------------------------------------------------------------------------- medication


DRUG_NAMES = wordset(
    "ketamine esketamine spravato ketalar ket memantine namenda ebixa lamotrigine lamictal "
    "lamo lammy lamictal amantadine gocovri symmetrel osmolex dextromethorphan auvelity "
    "paracetamol acetaminophen ibuprofen tylenol advil nurofen"
)
"""Drugs the journal covers, plus common over-the-counter ones people mention beside them."""

MED_NOUNS = DRUG_NAMES | wordset(
    "dose doses dosage dosages dosing medication medications medicine medicines meds med "
    "pill pills tablet tablets tab tabs capsule capsules caps spray sprays puff puffs "
    "infusion infusions injection injections patch patches drug drugs prescription script "
    "treatment treatments session sessions regimen schedule titration mg milligram milligrams "
    "milligrammes mcg microgram micrograms ml xr er strength strengths formulation "
    "lozenge liquid solution extended-release slow-release modified-release immediate-release "
    "brand generic frequency timing packet packets blister blisters"
)
"""Nouns that name a medication or an amount/schedule of it."""

OBJ_PRONOUNS = wordset("it them one ones these those other hers theirs yours mine")
"""Pronouns that, in a medication journal, stand for the medication or a dose of it."""

MED_OR_PRONOUN = MED_NOUNS | OBJ_PRONOUNS

TIME_WORDS = wordset(
    "day days night nights morning mornings evening evenings tonight today tomorrow week "
    "weeks weekend weekends afternoon bedtime monday tuesday wednesday thursday friday "
    "saturday sunday next month months fortnight year weekday weekdays lunchtime teatime "
    "dinnertime midday noon overnight mondays tuesdays wednesdays thursdays fridays "
    "saturdays sundays"
)
"""Times that stand for 'the dose at that time' after verbs such as skip or take."""

TIME_UNITS = wordset("minute minutes hour hours second seconds sec secs min mins")

SYMPTOMS = wordset(
    "nausea nauseous nauseated sick sickness dizzy dizziness headache headaches migraine "
    "drowsy drowsiness sleepy sleepiness tired tiredness fatigue insomnia dissociation "
    "dissociative dissociating confusion confused vomiting queasy lightheaded spacey spaced "
    "foggy fog groggy grogginess wobbly unsteady rough unwell ill awful terrible rubbish "
    "crap low anxious anxiety agitated agitation jittery wired hungover hangover bad worse "
    "weird strange off rash itchy effects symptoms symptom shaky shaking feel feeling felt "
    "feels sore pain tolerate handle cope crash crashes comedown jitters hallucinations "
    "nightmares dreams brain vertigo sweating sweats palpitations awake sleepless itching itch"
)
"""Transient symptoms/feelings: a condition on them makes 'don't take it' a skip."""

# --------------------------------------------------------------------------- people


AGENTS = wordset(
    "prescriber prescribers doctor doctors doc docs dr gp gps psychiatrist psychiatrists "
    "psych neurologist neurologists nurse nurses pharmacist pharmacists clinic clinics "
    "clinician clinicians team consultant consultants specialist specialists physician "
    "physicians provider providers prescribing medic medics hospital staff"
)
"""Who may legitimately change a dose: a clause whose agent is one of these is neutral."""

READER = wordset("you yourself your yours")
FIRST_PERSON = wordset("i me my mine myself")
WE = wordset("we us our")
THEY = wordset("they them their")
THIRD_PERSON = wordset(
    "he she him his her hers wife husband partner friend friends mum mom dad mother father "
    "son daughter brother sister gran grandma grandad nan aunt uncle cousin carer"
)
GENERIC = wordset(
    "people patients users folks everyone everybody anyone anybody someone somebody most "
    "many lots some others one adults person patient"
)
"""Subjects that make a statement general ('most people', 'patients', 'one')."""

SUBJECT_PRONOUNS = wordset("i you u we they he she it people")
PERSONS = SUBJECT_PRONOUNS | READER | GENERIC | THEY | FIRST_PERSON | WE

# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class VerbSpec:
    """How a change verb combines: its particles and whether it may stand alone."""

    particles: frozenset[str] = frozenset()
    needs_particle: bool = False
    alone_ok: frozenset[str] = frozenset()
    """Particles ('' = none) with which the verb is about medication even with no object."""


def _spec(particles: str = "", needs: bool = False, alone: str = "") -> VerbSpec:
    return VerbSpec(
        frozenset(particles.split()),
        needs,
        frozenset("" if p == "-" else p for p in alone.split()),
    )


CHANGE_VERBS: dict[str, VerbSpec] = {
    "reduce": _spec("down"),
    "lower": _spec(),
    "decrease": _spec(),
    "lessen": _spec(),
    "trim": _spec("down back"),
    "increase": _spec(),
    "raise": _spec(),
    "double": _spec("up", alone="up"),
    "halve": _spec(alone="-"),
    "split": _spec("up"),
    "omit": _spec(),
    "discontinue": _spec(),
    "cease": _spec(),
    "alter": _spec(),
    "adjust": _spec(),
    "change": _spec(),
    "switch": _spec("over to from"),
    "swap": _spec("over to"),
    "delay": _spec(),
    "postpone": _spec(),
    "titrate": _spec("down up off", alone="- down up off"),
    "taper": _spec("down off", alone="- down off"),
    "wean": _spec("off down", alone="- off down"),
    "skip": _spec(),
    "miss": _spec("out"),
    "stop": _spec(),
    "quit": _spec(),
    "pause": _spec(),
    "hold": _spec("off back"),
    "drop": _spec("down to"),
    "cut": _spec("back down out", alone="back down"),
    "ditch": _spec(),
    "bin": _spec(),
    "chuck": _spec(),
    "scrap": _spec(),
    "dump": _spec(),
    "stagger": _spec(),
    "vary": _spec(),
    "limit": _spec(),
    "restrict": _spec(),
    "cap": _spec(),
    "lay": _spec("off", needs=True),
    "time": _spec(),
    "mix": _spec("up", needs=True),
    "lose": _spec(),
    "move": _spec("back forward up"),
    "cancel": _spec(),
    "forget": _spec("about"),
    "shave": _spec("off down", needs=True),
    "alternate": _spec(),
    "crush": _spec(),
    "chew": _spec(),
    "dissolve": _spec(),
    "up": _spec(),
    "bump": _spec("up down", needs=True),
    "knock": _spec("down off back out", needs=True, alone="down back"),
    "dial": _spec("down back up", needs=True, alone="down back"),
    "scale": _spec("back down", needs=True, alone="back down"),
    "wind": _spec("down", needs=True),
    "step": _spec("down up", needs=True, alone="down"),
    "come": _spec("off down", needs=True),
    "get": _spec("off", needs=True),
    "go": _spec("off down up without back easy", needs=True),
    "leave": _spec("out off", needs=True),
    "give": _spec("up", needs=True),
    "put": _spec("off back", needs=True),
    "bring": _spec("down forward back up", needs=True),
    "push": _spec("back to till until", needs=True),
    "space": _spec("out apart", needs=True),
    "spread": _spec("out apart over across throughout", needs=True),
    "shift": _spec("to forward back"),
    "stretch": _spec("out", needs=True),
    "ease": _spec("off", needs=True, alone="off"),
    "back": _spec("off", needs=True, alone="off"),
    "top": _spec("up", needs=True, alone="up"),
    "ramp": _spec("down up", needs=True, alone="down"),
    "build": _spec("up", needs=True),
    "work": _spec("up down", needs=True),
    "stay": _spec("off", needs=True),
    "do": _spec("without", needs=True),
}
"""Verbs that change a dose or its schedule when their object is a medication."""

OBJECT_REQUIRED = wordset("time vary limit restrict cap lose adjust alter")
"""Change verbs that are about medication only with it as their object ('time your dose',
not 'time to take your tablets')."""
NOUN_OBJECT_REQUIRED = wordset("time lose")
"""... and only with a medication noun: 'time it' (a seizure), 'lose it' (your temper)."""

BLOCKED_PHRASALS = frozenset(
    {
        ("switch", "off"),
        ("switch", "on"),
        ("hold", "on"),
        ("hold", "up"),
        ("adjust", "to"),
        ("skip", "to"),
        ("skip", "ahead"),
        ("skip", "over"),
    }
)

HARMLESS_PHRASES = (
    "no difference",
    "not make any difference",
    "not make a difference",
    "not matter",
    "no big deal",
)
"""Phrases saying a change does no harm: good outcomes despite their negation."""

NON_MED_IDIOMS = ("while you are ahead", "while the going is good")
"""Fixed phrases that make a bare 'quit'/'stop' about something else."""

DISPOSAL_VERBS = wordset("bin chuck dump scrap")
DISPOSABLE = wordset("old expired out-of-date unused leftover spare unwanted empty")
"""'Bin any out-of-date tablets' is disposal, not stopping."""

SKIP_TYPE = wordset("skip miss omit leave hold pause delay postpone push put move take go")
"""Verbs after which a bare time ('skip tonight', 'miss a day') means the dose then."""

ACCIDENTAL = frozenset({"miss", "forget"})
"""Changes that usually happen by accident: only an explicit recommendation makes advice."""

PATIENT_ACTIONS = wordset("skip omit halve split double miss crush chew")
"""Changes a patient does, not a prescriber: 'may be skipped' is permission, not process."""

CARRIERS = frozenset({"take", "use", "have", "pop", "swallow", "bother", "make", "need"})
"""Neutral verbs that carry a change in their modifiers ('take less', 'use one spray')."""

IRREGULAR = {
    "take": ("takes", "took taken", "taking"),
    "have": ("has", "had", "having"),
    "do": ("does", "did done", "doing"),
    "go": ("goes", "went gone", "going"),
    "come": ("comes", "came", "coming"),
    "get": ("gets", "got gotten", "getting"),
    "give": ("gives", "gave given", "giving"),
    "leave": ("leaves", "left", "leaving"),
    "hold": ("holds", "held", "holding"),
    "bring": ("brings", "brought", "bringing"),
    "build": ("builds", "built", "building"),
    "wind": ("winds", "wound", "winding"),
    "cut": ("cuts", "", "cutting"),
    "put": ("puts", "", "putting"),
    "split": ("splits", "", "splitting"),
    "quit": ("quits", "quitted", "quitting"),
    "spread": ("spreads", "", "spreading"),
    "dial": ("dials", "dialed dialled", "dialing dialling"),
    "stick": ("sticks", "stuck", "sticking"),
    "keep": ("keeps", "kept", "keeping"),
    "make": ("makes", "made", "making"),
    "be": ("is", "was were been", "being"),
    "feel": ("feels", "felt", "feeling"),
    "see": ("sees", "saw seen", "seeing"),
    "tell": ("tells", "told", "telling"),
    "say": ("says", "said", "saying"),
    "find": ("finds", "found", "finding"),
    "forget": ("forgets", "forgot forgotten", "forgetting"),
    "think": ("thinks", "thought", "thinking"),
    "know": ("knows", "knew known", "knowing"),
    "become": ("becomes", "became", "becoming"),
    "begin": ("begins", "began begun", "beginning"),
    "up": ("ups", "upped", "upping"),
    "lay": ("lays", "laid", "laying"),
}

_DOUBLING = wordset("stop skip drop swap trim step omit pop bin scrap cap")


def _regular(lemma: str) -> tuple[str, str, str]:
    """Third person, past and gerund of a regular English verb."""
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma in _DOUBLING:
        return third, lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    if lemma.endswith("e"):
        return third, lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return third, lemma[:-1] + "ied", lemma + "ing"
    return third, lemma + "ed", lemma + "ing"


def _build_forms(lemmas: set[str]) -> dict[str, tuple[str, str]]:
    """Map every inflected form to (lemma, form) with form in base/third/past/gerund."""
    forms: dict[str, tuple[str, str]] = {}
    for lemma in sorted(lemmas):
        forms[lemma] = (lemma, "base")
    # Inflections win over a word listed as a lemma of its own ('tried' is try's past).
    for lemma in sorted(lemmas):
        if lemma in IRREGULAR:
            third, pasts, gerund = IRREGULAR[lemma]
            past_forms = pasts.split()
        else:
            third, past, gerund = _regular(lemma)
            past_forms = [past]
        for form in past_forms:
            _inflect(forms, form, lemma, "past")
        _inflect(forms, third, lemma, "third")
        for ger in gerund.split():
            _inflect(forms, ger, lemma, "gerund")
    return forms


def _inflect(forms: dict[str, tuple[str, str]], form: str, lemma: str, kind: str) -> None:
    """Record `form` as an inflection of `lemma` unless it is already one of another."""
    if form and (form not in forms or (forms[form][1] == "base" and forms[form][0] == form)):
        forms[form] = (lemma, kind)


COMMON_VERBS = wordset(
    "be is are am was were been being do does did have has had get gets got feel feels felt "
    "seem seems become becomes start starts begin try tries tried keep make let see ask tell "
    "talk speak call ring phone contact check consult mention discuss note record log write "
    "track report read wait rest lie sit sleep drink eat walk breathe relax avoid continue "
    "carry follow watch look monitor remember forget think consider know need want go come "
    "put give bring stick stay aim opt help work use take book open close stand drive "
    "lie hydrate eat journal jot tap press add mark open use find say hope plan trust "
    "restart resume sound knock pack jack kick steer tend appear"
)

VERB_FORMS = _build_forms(set(CHANGE_VERBS) | set(COMMON_VERBS) | set(CARRIERS) | {"halve"})
"""Surface form -> (lemma, form) for every verb the guard knows."""

CHANGE_GERUNDS = frozenset(
    form for form, (lemma, kind) in VERB_FORMS.items() if kind == "gerund" and lemma in CHANGE_VERBS
) - {"going", "coming", "getting", "giving", "putting", "bringing", "working", "doing"}

AUX = wordset(
    "be is are am was were been being do does did have has had will would shall should can "
    "could may might must ought need needs to not never"
)
MODALS = wordset("will would shall should can could may might must ought")
BE_FORMS = wordset("be is are am was were been being get gets got")

# --------------------------------------------------------------------------- modifiers

AMOUNT_MODIFIERS = wordset(
    "less more fewer little extra another half quarter double smaller lower higher bigger larger "
    "reduced increased different lighter weaker stronger additional second none"
)
"""After take/use/have: a different amount ('take less', 'have an extra one')."""

TIMING_MODIFIERS = wordset("later earlier late instead rather alternate")
"""After take/use/have: a different schedule ('take it later', '... instead')."""

MEALS = wordset("breakfast lunch dinner tea supper brunch")
"""Meals: 'with dinner' is a timing only when set against another ('not breakfast')."""

WEAK_MODIFIERS = wordset(
    "morning evening night bedtime bed afternoon lunchtime noon am pm twice once two three "
    "four 2 3 4"
)
"""Timings/amounts that are a change only under a symptom condition or with 'instead'."""

COMPARATIVES = wordset(
    "lower smaller reduced lowered higher bigger larger extra additional double half "
    "different lighter weaker stronger increased decreased fewer less more"
)
"""Adjectives that make '<adj> <medication noun>' a changed amount ('a lower dose')."""

CHANGE_NOUNS = wordset(
    "reduction reductions increase increases decrease decreases change changes adjustment "
    "adjustments cut cuts drop drops split holiday holidays break breaks taper switch "
    "rise"
)
BREAK_NOUNS = wordset(
    "break rest holiday pause breather time day days week weeks weekend night nights "
    "evening fortnight month"
)
DEGREE_WORDS = wordset(
    "step steps notch notches level levels bit tad touch little couple few several"
)
"""Degree and duration words: 'go down a step', 'wean off over a couple of weeks'."""
SUFFICIENT = wordset("enough plenty sufficient loads ample adequate")
"""'two sprays is plenty': an amount claimed to be enough (so take no more)."""
EXCESSIVE = wordset("overkill excessive much high strong")
"""'50mg is too much': an amount claimed to be too big (so take less)."""
STOP_IDIOMS: dict[str, tuple[str, ...]] = {
    "knock": ("on the head",),
    "pack": ("in",),
    "jack": ("in",),
    "call": ("time on", "it a day with", "it quits with"),
    "kick": ("to the curb", "to the kerb"),
}
"""Idioms for stopping: verb lemma -> what follows it (an object may come between)."""

# --------------------------------------------------------------------------- syntax words

FILLERS = wordset(
    "just simply maybe perhaps possibly probably then please so also honestly personally "
    "really definitely seriously actually instead otherwise alternatively ok okay well tbh "
    "imo imho fwiw lol hey yeah yes now first next still always sometimes occasionally "
    "gradually slowly carefully gently temporarily briefly only even kinda basically "
    "generally usually often obviously totally today tonight tomorrow and or but "
    "hun mate guys again at least straight right away immediately quickly ngl idk"
)
"""Words that can precede an imperative without changing the speech act."""

DETERMINERS = wordset(
    "a an the this that these those any no each every some your my his her their our its 's"
)

ADVERBS = wordset(
    "slowly gradually carefully quickly suddenly abruptly completely altogether entirely "
    "immediately now a bit little right away straight cold turkey for good again instead "
    "too very really just then please first fully totally further asap straightaway anyway "
    "though lot while quite fast faster quicker slower sooner"
)

PARTICLES = wordset("off out back down up over forward apart away to from on onto of into")
REFLEXIVES = wordset("yourself myself themselves himself herself ourselves")

OBJ_BOUNDARY = wordset(
    "for with at in by during until till than because as like if when while before after "
    "since unless so then and or but instead rather whenever once every each about"
)
"""Words that end a verb's object noun phrase."""

COORDINATORS = wordset("and or but then so plus yet nor")
SUBORDINATORS = wordset(
    "if when whenever unless until till while whilst because since although though whereas "
    "whether once before after without"
)
CLAIM_SUBORDINATORS = wordset("if when whenever once after since")
"""A change under these, with a good outcome in the main clause, is a claim that it helps."""

PUNCT = frozenset(',;:()"-–—!?.')

AUX_INVERT = wordset(
    "is are am was were do does did can could should would will may might must shall have has"
)
WH_WORDS = wordset("when what how why where which who")

# --------------------------------------------------------------------------- speech acts

IMPERATIVE_CARRIERS = wordset(
    "try consider start begin go stick stay keep aim opt think switch move settle make be "
    "remember experiment trial test give restart resume return leave allow wait"
)
CARRIER_TAIL = wordset("to for on at with about down back off up a an the your it them and sure of")
"""What may follow an imperative carrier before the change ('go down to', 'stick with')."""

GOVERNORS = wordset(
    "ask asks asking asked discuss discussing talk talking speak speaking "
    "consult consulting mention mentioning contact contacting call ring phone email message "
    "note noting record recording log logging track tracking write writing report "
    "reporting read learn wonder wondering know understand research see monitor journal "
    "raise"
)
"""Communicating/recording verbs: a change in their complement is a topic, not advice."""

RECOMMEND_WORDS = wordset(
    "worth worthwhile fine ok okay alright safe better best recommend recommends "
    "recommended suggest suggests suggested advise advisable sensible wise smart idea "
    "important essential helps help helpful useful allowed acceptable reasonable good "
    "normal easiest simplest trick key answer solution bet tip hack free"
)
RECOMMEND_TAIL = wordset(
    "to just simply try trying is would be off if you in with for maybe probably really a "
    "an the bit little occasionally sometimes then definitely totally also and do start "
    "starting thing option way move idea it your of from fix solution answer trick"
)
"""What may stand between a recommending word and the change it recommends."""

SUGGESTION_CUES = (
    "why not",
    "why do not you",
    "why do you not",
    "how about",
    "what about",
    "have you tried",
    "have you thought about",
    "have you considered",
    "did you try",
    "what if you",
    "could you",
    "would you consider",
    "can you not",
    "could you not",
    "would it not be",
    "is it not better",
    "would not it",
    "is not it",
    "might be an idea",
    "ever tried",
    "ever thought about",
    "you thought of",
    "any reason you can not",
    "any reason why you can not",
    "any reason not to",
    "have you given",
    "what is stopping you",
    "what stops you",
    "ever thought of",
    "ever considered",
    "you thought about",
    "you considered",
)
"""Questions/phrases that suggest rather than ask."""

DOUBLE_NEGATIVE_CUES = (
    "no harm in",
    "nothing to stop you",
    "nothing stopping you",
    "nothing wrong with",
    "does not hurt to",
    "will not hurt to",
    "would not hurt to",
    "never hurts to",
    "not hurt to",
    "do not be afraid to",
    "no reason not to",
    "do not forget to",
    "never forget to",
    "not a bad idea",
    "no problem",
    "not the end of the world",
    "do not worry about",
    "do not hesitate to",
)
"""Negated negatives that recommend ('no harm in skipping one')."""

PERMISSIVE_NEGATIVE_CUES = (
    "no need to",
    "do not need to",
    "does not need to",
    "do not have to",
    "does not have to",
    "need not",
    "not necessary to",
    "not need to",
    "ok not to",
    "okay not to",
    "fine not to",
    "alright not to",
    "ok to not",
    "okay to not",
    "fine to not",
    "fine to just not",
    "no point",
    "no sense in",
    "not feel you have to",
    "not feel like you have to",
    "not feel you need to",
    "not feel obliged to",
    "not feel you must",
    "pointless",
    "do not bother",
    "why bother",
    "can just not",
    "could just not",
    "better not to",
    "best not to",
    "free not to",
)
"""Permission or advice NOT to take ('you don't need to take it every day')."""

ENDORSEMENTS = (
    "try that",
    "try this",
    "try the same",
    "do that",
    "do the same",
    "do likewise",
    "give that a go",
    "give that a try",
    "give that a shot",
    "give this a go",
    "give this a try",
    "that might work for you",
    "that could work for you",
    "might work for you too",
)
"""Imperatives pointing back at a change described earlier in the sentence."""

PRONOUN_ENDORSEMENTS = ("try it", "give it a go", "give it a try", "give it a shot", "do it")
"""The same with 'it', which may mean the drug: only where the change is praised."""

NEGATORS = wordset("not never no avoid avoiding refrain nor neither nobody none against")

GATE_VERBS = wordset(
    "tell tells told say says said advise advises advised agree agrees agreed approve "
    "approves approved ok okay okays okayed recommend recommends recommended suggest "
    "suggests suggested instruct instructs instructed direct directs directed prescribe "
    "prescribes decide decides confirm confirms allow allows permit permits want wants "
    "clear clears"
)
GATE_NOUNS = wordset(
    "approval permission agreement ok okay blessing go-ahead advice guidance supervision "
    "say-so instruction instructions direction directions input support"
)
TALK_VERBS = wordset(
    "talk talking talked speak speaking spoke check checking checked consult consulting "
    "consulted discuss discussing discussed ask asking asked"
)

# --------------------------------------------------------------------------- evaluation

POSITIVE = wordset(
    "help helps helped helping helpful work works worked wonders fix fixes fixed better "
    "best fine ok okay alright good great enough plenty easier improve improves improved "
    "improvement relieve relieves relieved relief ease eases eased solve solves solved "
    "sorted sorts sort simplest easiest quickest trick difference key answer safe safer "
    "harmless manageable ideal smoother "
    "gentler cure cures cured clears cleared disappear disappears disappeared vanish "
    "vanishes settle settles settled calmer recommend recommended worth lifesaver changer "
    "perfect happier wonderful amazing brilliant excellent nicer benefit benefits "
    "tolerable bearable comfortable sensible smart wise sense suit suits suited reset resets "
    "kinder plenty sufficient effective"
)
NEGATIVE = wordset(
    "risk risks risky danger dangerous unsafe harm harmful worse worsen worsens withdrawal "
    "hurt hurts seizure seizures fits rebound relapse return returns returning problem problems "
    "problematic cause causes caused trigger triggers common likely frequent serious severe "
    "emergency careful caution warning ineffective unpleasant higher linked"
)
FLIPPERS = wordset("not never no less fewer without")
DIMINISHERS = wordset(
    "less fewer no reduce reduces reduced reducing lower lowers lowered ease eases eased "
    "lessen lessens stop stops stopped prevent prevents avoid avoids minimise minimises "
    "minimize minimizes clear clears cleared cut cuts calm calms kill kills dampen dampens "
    "halve halves halved "
    "without"
)
INTENSIFIERS = wordset(
    "more worse increase increases increased higher extra cause causes caused trigger triggers"
)

POSITIVE_PHRASES = (
    "all it takes",
    "all you need",
    "does the trick",
    "did the trick",
    "do the trick",
    "makes a difference",
    "made a difference",
    "game changer",
    "clears up",
    "cleared up",
    "worked for me",
    "works for me",
    "way to go",
    "way forward",
    "your body a rest",
    "your body a break",
    "changed everything",
    "changed my life",
    "life changer",
    "life saver",
    "night and day",
    "get rid of",
    "gets rid of",
    "got rid of",
    "takes the edge off",
    "took the edge off",
    "not miss much",
    "not miss anything",
    "not lose anything",
    "nothing to lose",
    "gets you through",
    "get you through",
    "got me through",
    "swear by it",
    "swears by it",
    "swore by it",
    "timing does not matter",
    "does not matter when",
    "does the job",
    "did the job",
    "the way i would do it",
    "what i would do",
    "what i would recommend",
)

ACTIVITY_NOUNS = wordset(
    "walk walking exercise exercising run running workout gym activity game class drive "
    "driving task chores work walking swimming screen screens call meeting stairs"
)
"""Activities: a bare 'stop' in a sentence about one of these is not about medication."""

GIVE_IDIOMS = wordset("miss rest break skip pass")
"""'give tonight's dose a miss': give + medication + a <idiom> means leave it out."""

NUMBER_WORDS = wordset("one two three four five six seven eight nine ten twelve half single")

THAT_CLAIM = wordset("that find finds say says think reckon believe know")
"""Present-tense framing of a general claim ('I find that taking less helps')."""
