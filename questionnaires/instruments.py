"""The questionnaires: the PHQ-9 and GAD-7 as published, and Sidelog's weekly recall.

The PHQ-9 and GAD-7 keep their published wording, answer options and scoring (the sum of
the item answers) with their severity bands, from the Pfizer-funded Patient Health
Questionnaire screeners (phqscreeners.com). Their LOINC codes are here for reports and FHIR.
The weekly recall is Sidelog's own: no total score, one line per symptom.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.models import Instrument

PHQ_COPYRIGHT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    loinc: str = ""


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    loinc: str = ""


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Form:
    slug: str
    name: str
    title: str
    stem: str
    items: tuple[Item, ...]
    options: tuple[Option, ...]
    bands: tuple[Band, ...]
    source: str
    copyright: str
    panel_loinc: str = ""
    total_loinc: str = ""
    difficulty: Item | None = None
    difficulty_options: tuple[Option, ...] = ()

    @property
    def max_score(self) -> int:
        return len(self.items) * max(option.value for option in self.options)

    def score(self, answers: list[int]) -> int:
        return sum(answers)

    def band_for(self, score: int) -> str:
        """The published severity band of a total score ("" for a form without one)."""
        for band in self.bands:
            if band.low <= score <= band.high:
                return band.label
        return ""

    def option_label(self, value: int) -> str:
        return next((option.label for option in self.options if option.value == value), "")


# The answer options both screeners share, with their LOINC answer codes.
FREQUENCY = (
    Option(0, "Not at all", "LA6568-5"),
    Option(1, "Several days", "LA6569-3"),
    Option(2, "More than half the days", "LA6570-1"),
    Option(3, "Nearly every day", "LA6571-9"),
)

PHQ_9 = Form(
    slug=Instrument.PHQ_9.value,
    name="PHQ-9",
    title="Patient Health Questionnaire (PHQ-9)",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?",
    items=(
        Item(1, "Little interest or pleasure in doing things", "44250-9"),
        Item(2, "Feeling down, depressed, or hopeless", "44255-8"),
        Item(3, "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item(4, "Feeling tired or having little energy", "44254-1"),
        Item(5, "Poor appetite or overeating", "44251-7"),
        Item(
            6,
            "Feeling bad about yourself — or that you are a failure or have let yourself or "
            "your family down",
            "44258-2",
        ),
        Item(
            7,
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            8,
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite — being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "44253-3",
        ),
        Item(
            9,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            "44260-8",
        ),
    ),
    options=FREQUENCY,
    bands=(
        Band(0, 4, "Minimal"),
        Band(5, 9, "Mild"),
        Band(10, 14, "Moderate"),
        Band(15, 19, "Moderately severe"),
        Band(20, 27, "Severe"),
    ),
    source="Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
    "severity measure. J Gen Intern Med. 2001;16(9):606-613.",
    copyright=PHQ_COPYRIGHT,
    panel_loinc="44249-1",
    total_loinc="44261-6",
    difficulty=Item(
        10,
        "If you checked off any problems, how difficult have these problems made it for you "
        "to do your work, take care of things at home, or get along with other people?",
        "69722-7",
    ),
    difficulty_options=(
        Option(0, "Not difficult at all"),
        Option(1, "Somewhat difficult"),
        Option(2, "Very difficult"),
        Option(3, "Extremely difficult"),
    ),
)
# The PHQ-9's item about thoughts of death or self-harm: any answer above 0 raises the
# suicidal-thoughts red flag.
PHQ_9_SELF_HARM_ITEM = 9

GAD_7 = Form(
    slug=Instrument.GAD_7.value,
    name="GAD-7",
    title="Generalized Anxiety Disorder scale (GAD-7)",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item(1, "Feeling nervous, anxious or on edge", "69725-0"),
        Item(2, "Not being able to stop or control worrying", "68509-9"),
        Item(3, "Worrying too much about different things", "69733-4"),
        Item(4, "Trouble relaxing", "69734-2"),
        Item(5, "Being so restless that it is hard to sit still", "69735-9"),
        Item(6, "Becoming easily annoyed or irritable", "69689-8"),
        Item(7, "Feeling afraid as if something awful might happen", "69736-7"),
    ),
    options=FREQUENCY,
    bands=(
        Band(0, 4, "Minimal"),
        Band(5, 9, "Mild"),
        Band(10, 14, "Moderate"),
        Band(15, 21, "Severe"),
    ),
    source="Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing "
    "generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.",
    copyright=PHQ_COPYRIGHT,
    panel_loinc="69737-5",
    total_loinc="70274-6",
)

# Sidelog's weekly recall: three questions about each of the patient's usual symptoms.
RECALL_QUESTIONS = (
    (
        "frequency",
        "How often did you have it?",
        ("Not at all", "Once or twice", "On a few days", "On most days", "Every day"),
    ),
    (
        "severity",
        "How bad was it at its worst?",
        ("Not at all", "Mild", "Moderate", "Severe", "Very severe"),
    ),
    (
        "interference",
        "How much did it get in the way of what you did?",
        ("Not at all", "A little", "Somewhat", "Quite a lot", "Very much"),
    ),
)
RECALL_SCALE = range(5)

WEEKLY_RECALL = Form(
    slug=Instrument.WEEKLY_RECALL.value,
    name="Weekly recall",
    title="Your usual symptoms this week",
    stem="Think about the past 7 days. For each symptom: how often you had it, how bad it was "
    "at its worst, and how much it got in the way of what you did.",
    items=(),
    options=tuple(Option(value, label) for value, label in enumerate(RECALL_QUESTIONS[0][2])),
    bands=(),
    source="Sidelog's own questions about the symptoms you log most and those your medicines "
    "list as common.",
    copyright="",
)

FORMS: dict[str, Form] = {form.slug: form for form in (PHQ_9, GAD_7, WEEKLY_RECALL)}
SCORED = (PHQ_9, GAD_7)


def form_for(slug: str) -> Form | None:
    return FORMS.get(slug)
