"""The triage matrix: the red flag a patient sees first after logging a symptom.

Every expected action comes from the drug labels (the team's label research notes and the
"Red flags" table of the shared reference facts) and from issue 11; none comes from the
rules seeded in the reference library, and each row's comment names its label fact. Where
a label names the action, the row expects exactly that action. Where a label only says
"call right away" or "tell your doctor", the row sets a floor (`at_least`), since a
stronger action is still safe. Urgency runs emergency > prescriber_today > next_visit >
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from _pytest.mark import ParameterSet
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from journal.models import DoseEvent, MedicationCourse
from reference.safety import find_dosage_advice
from tests.support.clients import token_client
from tests.support.factories import CourseFactory, DoseFactory, PatientFactory, seeded_drug

pytestmark = pytest.mark.django_db

# Just after midnight in London (GMT in November). A dose taken a few hours before the
# symptom then falls on the previous day, where "the day of onset" is easiest to get wrong.
NOW = datetime(2025, 11, 12, 0, 45, tzinfo=UTC)
ONSET = NOW - timedelta(minutes=30)
LONDON = "Europe/London"
NEW_YORK = "America/New_York"  # 19:15 on 11 November when it is 00:15 on the 12th in UTC

KET = "ketamine"
ESK = "esketamine"
MEM = "memantine"
LAM = "lamotrigine"
AMA = "amantadine"
ALL_DRUGS = (KET, ESK, MEM, LAM, AMA)

EMERGENCY = "emergency"
PRESCRIBER = "prescriber_today"
NEXT_VISIT = "next_visit"
URGENCY: list[str | None] = [None, NEXT_VISIT, PRESCRIBER, EMERGENCY]

AUTO = "auto"  # the entry leaves `dose` out: the API links the latest dose of the last 24 h
NO_DOSE = "no dose"  # the entry sends `dose: null`

ROUTES = {
    KET: MedicationCourse.Route.INTRAVENOUS,
    ESK: MedicationCourse.Route.NASAL,
    MEM: MedicationCourse.Route.ORAL,
    LAM: MedicationCourse.Route.ORAL,
    AMA: MedicationCourse.Route.ORAL,
}
SETTINGS = dict.fromkeys((MEM, LAM, AMA), DoseEvent.Setting.HOME) | {
    KET: DoseEvent.Setting.CLINIC,
    ESK: DoseEvent.Setting.CLINIC,
}


def rank(action: str | None) -> int:
    return URGENCY.index(action)


@dataclass(frozen=True)
class Expect:
    action: str | None
    how: str  # "exactly", "at least" or "at most"

    def met_by(self, first: str | None) -> bool:
        if self.how == "exactly":
            return first == self.action
        if self.how == "at least":
            return rank(first) >= rank(self.action)
        return rank(first) <= rank(self.action)

    def __str__(self) -> str:
        return f"{self.how} {self.action}"


def exactly(action: str | None) -> Expect:
    return Expect(action, "exactly")


def at_least(action: str) -> Expect:
    return Expect(action, "at least")


def at_most(action: str | None) -> Expect:
    return Expect(action, "at most")


EMERG = exactly(EMERGENCY)
TODAY = exactly(PRESCRIBER)
NOTHING = exactly(None)
AT_LEAST_TODAY = at_least(PRESCRIBER)
AT_LEAST_VISIT = at_least(NEXT_VISIT)


@dataclass(frozen=True)
class Case:
    on: tuple[str, ...]  # drugs whose course is active on the day of onset
    symptom: str  # a library slug, or the patient's own words when `typed`
    severity: int
    expect: Expect
    doses: Mapping[str, float] = field(default_factory=dict)  # drug -> hours before onset
    link: str = AUTO  # a drug (its latest dose is linked), AUTO or NO_DOSE
    signs: tuple[str, ...] = ()
    country: str = ""
    typed: bool = False
    reads_as: str | tuple[str, ...] | None = None  # for typed words: the symptom(s) they name
    stopped: Mapping[str, int] = field(default_factory=dict)  # drug -> days before onset day
    zone: str = LONDON  # the patient's time zone, whose calendar day courses are counted in

    @property
    def onset_day(self) -> date:
        return ONSET.astimezone(ZoneInfo(self.zone)).date()


def row(
    name: str, on: tuple[str, ...], symptom: str, severity: int, expect: Expect, **extra: Any
) -> ParameterSet:
    return pytest.param(Case(on, symptom, severity, expect, **extra), id=name)


def typed(
    name: str,
    on: tuple[str, ...],
    words: str,
    reads_as: str | tuple[str, ...] | None,
    expect: Expect,
    **extra: Any,
) -> ParameterSet:
    case = Case(on, words, extra.pop("severity", 2), expect, typed=True, reads_as=reads_as, **extra)
    return pytest.param(case, id=name)


MATRIX = [
    # --- The cases at the top of issue 11 ---
    # Lamictal boxed warning and MedGuide: any rash may be serious and cannot be told apart
    # early; call right away. The linked esketamine dose adds context, it never narrows.
    row("esk+lam: mild rash after an esketamine session", (ESK, LAM), "skin-rash", 1, TODAY,
        doses={ESK: 3}, link=ESK, country="GB"),
    # Issue 11 item 4: any seizure on any drug. Spravato PI 5.x: seizures are a sign of
    # hypertensive encephalopathy, "immediately for emergency care".
    row("seizure on esketamine", (ESK,), "seizure", 2, EMERG, doses={ESK: 1}, country="GB"),
    # Ketalar 5.2: enhanced muscle tone resembling seizures; issue 11: any seizure.
    row("seizure on ketamine", (KET,), "seizure", 2, EMERG, doses={KET: 2}, country="US"),
    # Namenda XR 5.2 Seizures; reference facts: memantine seizure -> emergency services.
    row("seizure on memantine", (MEM,), "seizure", 2, EMERG),
    # Lamictal: withdrawal seizures / status epilepticus; HLH neurological signs.
    row("seizure on lamotrigine", (LAM,), "seizure", 2, EMERG, country="DE"),
    row("severe seizure on lamotrigine", (LAM,), "seizure", 3, EMERG),
    # Symmetrel: caution with a seizure history, convulsions reported; issue 11: any seizure.
    row("seizure on amantadine", (AMA,), "seizure", 2, EMERG),
    row("mild-rated seizure on amantadine", (AMA,), "seizure", 1, EMERG),
    # Spravato PI 5.x (BP): "sudden severe headache" -> refer immediately for emergency care.
    row("very severe headache 2.5 h after esketamine", (ESK,), "headache", 4, EMERG,
        doses={ESK: 2.5}, link=ESK, country="GB"),
    # Spravato boxed warning: suicidal thoughts and behaviours; reference facts: emergency
    # services now, and a crisis line.
    row("suicidal thoughts after esketamine", (ESK,), "suicidal-thoughts", 1, EMERG,
        doses={ESK: 1}, country="US"),
    # Reference facts, any drug: suicidal thoughts -> emergency services now.
    row("suicidal thoughts on memantine", (MEM,), "suicidal-thoughts", 2, EMERG, country="DE"),
    # Gocovri W&P: suicidality and depression (ideation or attempt 2% vs 0%).
    row("suicidal thoughts on amantadine", (AMA,), "suicidal-thoughts", 2, EMERG),
    # Lamictal W&P: suicidal behaviour and ideation (antiepileptic class warning).
    row("suicidal thoughts on lamotrigine", (LAM,), "suicidal-thoughts", 1, EMERG),
    # No alarm fatigue: nausea is Spravato's third commonest reaction (28%); mild needs nothing.
    row("mild nausea after esketamine", (ESK,), "nausea", 1, NOTHING, doses={ESK: 1}, link=ESK),
    # Namenda: dizziness 7% vs 5%, no warning attached; mild needs nothing.
    row("mild dizziness on memantine", (MEM,), "dizziness", 1, NOTHING),
    # Spravato: dissociation 41%, expected and watched in clinic; mild needs nothing.
    row("mild dissociation after esketamine", (ESK,), "dissociation", 1, NOTHING,
        doses={ESK: 0.5}),
    # Gocovri: dry mouth 16%, no warning attached.
    row("mild dry mouth on amantadine", (AMA,), "dry-mouth", 1, NOTHING),
    row("esk+lam: mild nausea after esketamine", (ESK, LAM), "nausea", 1, NOTHING,
        doses={ESK: 1}, link=ESK),
    # --- Lamotrigine: rash and its danger signs (boxed warning, MedGuide) ---
    # "It is not possible to predict which rashes will prove to be serious"; call right away.
    row("lam rash mild", (LAM,), "skin-rash", 1, TODAY),
    row("lam rash moderate", (LAM,), "skin-rash", 2, TODAY),
    # Reference facts: lamotrigine rash -> prescriber right away; "emergency services if
    # severe", so only a floor here.
    row("lam rash severe", (LAM,), "skin-rash", 3, AT_LEAST_TODAY),
    row("lam rash very severe", (LAM,), "skin-rash", 4, AT_LEAST_TODAY),
    # Issue 11 item 4: rash on lamotrigine with any of its danger signs -> emergency.
    # MedGuide: blistering or peeling skin, painful sores in the mouth or around the eyes.
    row("lam rash + blisters or peeling", (LAM,), "skin-rash", 1, EMERG, signs=("peeling-skin",)),
    row("lam rash + mouth or eye sores", (LAM,), "skin-rash", 1, EMERG, signs=("mouth-sores",)),
    # PI DRESS: "early signs may include rash, fever, and lymphadenopathy".
    row("lam rash + fever", (LAM,), "skin-rash", 2, EMERG, signs=("fever",)),
    row("lam rash + swollen glands", (LAM,), "skin-rash", 2, EMERG, signs=("swollen-glands",)),
    # SJS/TEN: skin that hurts or burns comes before the blisters.
    row("lam rash + skin pain", (LAM,), "skin-rash", 1, EMERG, signs=("skin-pain",)),
    # Old MedGuide: swelling of lips or tongue; reference facts, any drug: face swelling.
    row("lam rash + face swelling", (LAM,), "skin-rash", 1, EMERG,
        signs=("face-or-throat-swelling",), country="US"),
    # --- Lamotrigine: HLH, DRESS, liver, aseptic meningitis, heart rhythm ---
    # FDA DSC 2018 (HLH): fever, swollen lymph nodes, yellow skin -> contact right away.
    row("lam fever", (LAM,), "fever", 1, AT_LEAST_TODAY),
    row("lam swollen glands", (LAM,), "swollen-glands", 1, AT_LEAST_TODAY),
    row("lam yellow skin", (LAM,), "yellow-skin", 1, AT_LEAST_TODAY),
    # The same picture logged from the other side: a rash ticked as the danger sign of
    # fever, swollen glands or mouth sores is still rash + danger sign -> emergency (issue 11
    # item 4; PI DRESS: rash, fever, lymphadenopathy; MedGuide: rash with mouth sores).
    row("lam fever + rash", (LAM,), "fever", 2, EMERG, signs=("skin-rash",)),
    row("lam swollen glands + rash", (LAM,), "swollen-glands", 2, EMERG, signs=("skin-rash",)),
    row("lam mouth sores + rash", (LAM,), "mouth-sores", 2, EMERG, signs=("skin-rash",)),
    # Old MedGuide: unusual bruising or bleeding, fever (blood dyscrasias, HLH) -> right away.
    row("lam fever + bleeding", (LAM,), "fever", 2, AT_LEAST_TODAY, signs=("bleeding",)),
    # FDA DSC 2018 (HLH): enlarged liver, pain in the upper right belly, yellow skin.
    row("lam yellow skin + belly pain", (LAM,), "yellow-skin", 2, AT_LEAST_TODAY,
        signs=("belly-pain",)),
    # Old MedGuide: painful sores in the mouth or around the eyes -> call right away.
    row("lam mouth sores", (LAM,), "mouth-sores", 1, AT_LEAST_TODAY),
    # Boxed warning (SJS/TEN); MedGuide: blistering or peeling -> call right away.
    row("lam peeling skin", (LAM,), "peeling-skin", 1, AT_LEAST_TODAY),
    # FDA podcast 2010 (aseptic meningitis): headache, fever, stiff neck, light sensitivity
    # -> contact right away.
    row("lam headache + stiff neck", (LAM,), "headache", 2, AT_LEAST_TODAY, signs=("stiff-neck",)),
    row("lam headache + fever", (LAM,), "headache", 2, AT_LEAST_TODAY, signs=("fever",)),
    row("lam headache + light hurts", (LAM,), "headache", 2, AT_LEAST_TODAY,
        signs=("light-hurts",)),
    row("lam stiff neck + headache", (LAM,), "stiff-neck", 2, AT_LEAST_TODAY,
        signs=("headache",)),
    # FDA DSC 2021: racing heartbeat -> "contact right away or go to an emergency room".
    row("lam racing heartbeat", (LAM,), "racing-heartbeat", 2, AT_LEAST_TODAY),
    # Chest pain on any drug -> emergency (issue 11 item 4).
    row("lam racing heartbeat + chest pain", (LAM,), "racing-heartbeat", 2, EMERG,
        signs=("chest-pain",)),
    # --- Ketamine and esketamine ---
    # Spravato PI (cystitis): monitor urinary symptoms, refer; Ketalar 6: dysuria, haematuria.
    # Issue 11 item 4: bladder damage -> prescriber today.
    row("ketamine urinary symptoms", (KET,), "urinary-symptoms", 2, TODAY, doses={KET: 20}),
    row("esketamine urinary symptoms", (ESK,), "urinary-symptoms", 1, AT_LEAST_TODAY,
        doses={ESK: 30}),
    row("ketamine urinary + blood", (KET,), "urinary-symptoms", 2, AT_LEAST_TODAY,
        signs=("blood",)),
    row("esketamine urinary + can't pass urine", (ESK,), "urinary-symptoms", 2, AT_LEAST_TODAY,
        signs=("cant-pass",)),
    row("ketamine urinary severe", (KET,), "urinary-symptoms", 3, AT_LEAST_TODAY),
    # Spravato PI (BP peaks ~40 min, lasts ~4 h): sudden severe headache -> emergency care.
    # Severe (3) is never weaker than the page's "severe headache".
    row("severe headache 1 h after esketamine", (ESK,), "headache", 3, EMERG, doses={ESK: 1}),
    # Reference facts: ketamine, severe headache -> emergency services now.
    row("severe headache 1.5 h after ketamine", (KET,), "headache", 3, EMERG, doses={KET: 1.5}),
    # Spravato PI: "sudden severe headache": the patient's "worst ever, came on suddenly".
    row("headache + worst ever 2 h after esketamine", (ESK,), "headache", 2, EMERG,
        doses={ESK: 2}, signs=("worst-ever",)),
    # Past the BP window; reference facts, any drug: very severe -> prescriber today.
    row("very severe headache 30 h after esketamine", (ESK,), "headache", 4, AT_LEAST_TODAY,
        doses={ESK: 30}),
    # Spravato PI: hypertensive encephalopathy, "diminished consciousness"; reference facts:
    # confusion after ketamine -> emergency.
    row("severe confusion 1 h after ketamine", (KET,), "severe-confusion", 3, EMERG,
        doses={KET: 1}),
    # Spravato PI: hypertensive crisis, "chest pain" -> emergency care.
    row("chest pain 1 h after esketamine", (ESK,), "chest-pain", 2, EMERG, doses={ESK: 1}),
    # Spravato boxed warning: sedation, loss of consciousness; reference facts: can't stay
    # awake -> emergency.
    row("drowsy, can't wake, after esketamine", (ESK,), "drowsiness", 3, EMERG,
        doses={ESK: 1}, signs=("cant-wake",)),
    # Ketalar 5.3 respiratory depression; Spravato boxed warning (respiratory depression).
    row("drowsy, shallow breathing, after ketamine", (KET,), "drowsiness", 3, EMERG,
        doses={KET: 1}, signs=("trouble-breathing",)),
    # Spravato MedGuide: "cannot stay awake ... tell your healthcare provider right away".
    row("severe drowsiness 1 h after esketamine", (ESK,), "drowsiness", 3, AT_LEAST_TODAY,
        doses={ESK: 1}),
    # Spravato PI 5.x: blood pressure rises at every dose; if it stays high, prompt help.
    row("very high blood pressure 1 h after esketamine", (ESK,), "very-high-blood-pressure", 2,
        AT_LEAST_TODAY, doses={ESK: 1}),
    # Micromedex (ketamine): seeing things that is severe or lasts over 24 h -> right away.
    row("severe hallucinations 30 h after ketamine", (KET,), "hallucinations", 3,
        AT_LEAST_TODAY, doses={KET: 30}),
    # Issue 11: any seizure on any drug, however long after the session.
    row("seizure 3 days after esketamine", (ESK,), "seizure", 2, EMERG, doses={ESK: 72}),
    # Ketalar 5.6 liver injury; Micromedex: yellow eyes or skin -> tell the doctor right away.
    row("ketamine yellow skin", (KET,), "yellow-skin", 2, AT_LEAST_TODAY),
    # --- Chest pain and fainting on any drug (issue 11 item 4) ---
    *[row(f"chest pain on {drug}", (drug,), "chest-pain", 2, EMERG) for drug in ALL_DRUGS],
    row("chest pain spreading on memantine", (MEM,), "chest-pain", 1, EMERG,
        signs=("spreading",), country="GB"),
    # Lamictal DSC 2021: fainting -> right away or emergency room; reference facts,
    # amantadine: fainting on standing -> prescriber today. Floors only.
    *[row(f"fainting on {drug}", (drug,), "fainting-on-standing", 2, AT_LEAST_TODAY)
      for drug in ALL_DRUGS],
    row("fainting + chest pain on memantine", (MEM,), "fainting-on-standing", 2, EMERG,
        signs=("chest-pain",)),
    row("severe fainting on amantadine", (AMA,), "fainting-on-standing", 3, AT_LEAST_TODAY),
    # Reference facts, any drug: trouble breathing; swelling of face or throat -> emergency.
    row("trouble breathing on amantadine", (AMA,), "trouble-breathing", 2, EMERG),
    row("face swelling on memantine", (MEM,), "face-or-throat-swelling", 2, EMERG),
    # --- Amantadine ---
    # Gocovri: falls 13% vs 7% (with orthostatic hypotension 13%, somnolence); a floor.
    row("amantadine fall", (AMA,), "falls", 1, AT_LEAST_VISIT),
    row("amantadine fall + hit head", (AMA,), "falls", 2, AT_LEAST_TODAY,
        signs=("head-injury",)),
    # Gocovri W&P hallucinations; reference facts: hallucinations -> prescriber today.
    row("amantadine hallucinations", (AMA,), "hallucinations", 2, TODAY),
    row("amantadine hallucinations severe", (AMA,), "hallucinations", 3, AT_LEAST_TODAY),
    # Gocovri: livedo reticularis 6% vs 0%; a floor.
    row("amantadine mottled skin", (AMA,), "mottled-skin", 1, AT_LEAST_VISIT),
    # Gocovri: peripheral oedema 16% vs 1%; Symmetrel: heart failure caution.
    row("amantadine leg swelling", (AMA,), "leg-swelling", 2, AT_LEAST_VISIT),
    # Osmolex (consumer text): shortness of breath with swelling -> call the doctor at once.
    row("amantadine leg swelling + short of breath", (AMA,), "leg-swelling", 2, AT_LEAST_TODAY,
        signs=("trouble-breathing",)),
    # Reference facts: new compulsive urges -> prescriber today (Gocovri W&P).
    row("amantadine compulsive urges", (AMA,), "compulsive-urges", 2, AT_LEAST_TODAY),
    # Symmetrel NMS: fever, muscle rigidity, confusion -> contact right away.
    row("amantadine fever + stiff muscles", (AMA,), "fever", 2, AT_LEAST_TODAY,
        signs=("stiff-muscles",)),
    # Gocovri W&P: falling asleep during daily activities; reference facts -> prescriber
    # today. Severe (3) is never weaker than that.
    row("amantadine severe drowsiness", (AMA,), "drowsiness", 3, AT_LEAST_TODAY),
    # Reference facts, amantadine: "fever, stiffness or confusion" -> prescriber today
    # (Gocovri W&P withdrawal-emergent hyperpyrexia and confusion).
    row("amantadine fever", (AMA,), "fever", 2, AT_LEAST_TODAY),
    row("amantadine confusion", (AMA,), "severe-confusion", 2, AT_LEAST_TODAY),
    # --- Memantine ---
    # Reference facts: memantine, new severe confusion -> emergency / prescriber today.
    row("memantine severe confusion", (MEM,), "severe-confusion", 3, AT_LEAST_TODAY),
    # --- Worsening mood or agitation on any drug (issue 11 item 4) ---
    # Spravato boxed warning; Lamictal bipolar "clinical worsening"; Gocovri depression 6%;
    # Namenda XR depression 3%, aggression 2%.
    *[row(f"worsening mood on {drug}", (drug,), "worsening-mood", 2, AT_LEAST_TODAY)
      for drug in ALL_DRUGS],
    # Reference facts, any drug: suicidal thoughts -> emergency, with a crisis line.
    row("worsening mood + suicidal thoughts on lamotrigine", (LAM,), "worsening-mood", 2, EMERG,
        signs=("suicidal-thoughts",), country="GB"),
    # Reference facts, any drug: "emergency services if ... you feel unsafe".
    row("worsening mood + unsafe on memantine", (MEM,), "worsening-mood", 2, EMERG,
        signs=("unsafe",)),
    # --- Severe and very severe: never weaker than the page ---
    # Reference facts, any drug: very severe -> prescriber today.
    row("very severe constipation on memantine", (MEM,), "constipation", 4, AT_LEAST_TODAY),
    row("very severe nausea after esketamine", (ESK,), "nausea", 4, AT_LEAST_TODAY,
        doses={ESK: 1}),
    row("very severe dry mouth on amantadine", (AMA,), "dry-mouth", 4, AT_LEAST_TODAY),
    # --- Several medicines: the linked dose is for one drug, the rule for another ---
    # The lamotrigine dose is the later one, so it is linked; the esketamine headache rule
    # still counts the 2 h since the esketamine dose (Spravato PI).
    row("esk+lam: severe headache, lamotrigine dose linked", (ESK, LAM), "headache", 3, EMERG,
        doses={ESK: 2, LAM: 0.5}, link=AUTO),
    row("esk+lam: severe headache, lamotrigine chosen", (ESK, LAM), "headache", 3, EMERG,
        doses={ESK: 2, LAM: 0.5}, link=LAM),
    # Gocovri hallucinations -> prescriber today, though the memantine dose is linked.
    row("mem+ama: hallucinations, memantine dose linked", (MEM, AMA), "hallucinations", 2,
        TODAY, doses={MEM: 2}, link=MEM),
    # Ketalar bladder symptoms, though the lamotrigine dose is linked.
    row("ket+lam: urinary, lamotrigine dose linked", (KET, LAM), "urinary-symptoms", 2, TODAY,
        doses={LAM: 5}, link=LAM),
    # Lamictal HLH/DRESS fever, though the amantadine dose is linked.
    row("ama+lam: fever, amantadine dose linked", (AMA, LAM), "fever", 1, AT_LEAST_TODAY,
        doses={AMA: 3}, link=AMA),
    row("esk+mem: chest pain, memantine dose linked", (ESK, MEM), "chest-pain", 2, EMERG,
        doses={ESK: 1.5, MEM: 1}, link=MEM),
    row("esk+lam: rash + mouth sores, esketamine dose linked", (ESK, LAM), "skin-rash", 1, EMERG,
        doses={ESK: 3}, link=ESK, signs=("mouth-sores",)),
    # --- No dose linked ---
    row("lam rash, no dose linked", (LAM,), "skin-rash", 2, TODAY, doses={LAM: 4}, link=NO_DOSE),
    row("esk+lam: rash, no dose linked", (ESK, LAM), "skin-rash", 1, TODAY, doses={ESK: 3},
        link=NO_DOSE),
    # The patient was dosed 2.5 h ago whether or not they link it (Spravato PI).
    row("very severe headache 2.5 h after esketamine, no dose linked", (ESK,), "headache", 4,
        EMERG, doses={ESK: 2.5}, link=NO_DOSE),
    row("ketamine urinary, no dose recorded", (KET,), "urinary-symptoms", 2, TODAY),
    # --- Courses that stopped ---
    # Lamotrigine stopped 10 days ago: its rash rule (prescriber today) no longer applies.
    row("lam stopped 10 days ago: mild rash on esketamine", (ESK,), "skin-rash", 1,
        at_most(NEXT_VISIT), doses={ESK: 3}, link=ESK, stopped={LAM: 10}),
    # A course that stops on the day of onset was active that day.
    row("lam stopped today: mild rash", (), "skin-rash", 1, TODAY, stopped={LAM: 0}),
    # The last esketamine session, on the course's last day, 2.5 h before a very severe
    # headache just after midnight: the Spravato PI's emergency applies to that dose.
    row("esketamine's last session 2.5 h before, course ended yesterday", (), "headache", 4,
        EMERG, doses={ESK: 2.5}, link=ESK, stopped={ESK: 1}),
    # Courses count on the patient's own calendar: at 19:15 on 11 November in New York a
    # course that stops on the 11th is still active, though it is the 12th in UTC.
    row("lam stopped today in New York: mild rash", (), "skin-rash", 1, TODAY, stopped={LAM: 0},
        zone=NEW_YORK),
    row("esk+lam in New York: mild rash after esketamine", (ESK, LAM), "skin-rash", 1, TODAY,
        doses={ESK: 3}, link=ESK, zone=NEW_YORK, country="US"),
    # --- Symptoms typed in the patient's own words (issue 11 item 5) ---
    typed("typed: blistering on my lips, lamotrigine", (LAM,), "blistering on my lips",
          "mouth-sores", AT_LEAST_TODAY),
    typed("typed: fever and chills, lamotrigine", (LAM,), "fever and chills", "fever",
          AT_LEAST_TODAY),
    typed("typed: pain in my chest, memantine", (MEM,), "pain in my chest", "chest-pain", EMERG,
          country="DE"),
    typed("typed: heart racing, lamotrigine", (LAM,), "heart racing", "racing-heartbeat",
          AT_LEAST_TODAY),
    typed("typed: yellow eyes, lamotrigine", (LAM,), "yellow eyes", "yellow-skin",
          AT_LEAST_TODAY),
    typed("typed: yellow eyes, ketamine", (KET,), "yellow eyes", "yellow-skin", AT_LEAST_TODAY),
    typed("typed: blood in my urine, ketamine", (KET,), "blood in my urine", "urinary-symptoms",
          AT_LEAST_TODAY),
    typed("typed: swollen ankles, amantadine", (AMA,), "swollen ankles", "leg-swelling",
          AT_LEAST_VISIT),
    typed("typed: I had a convulsion, amantadine", (AMA,), "I had a convulsion", "seizure",
          EMERG),
    typed("typed: I want to end my life, esketamine", (ESK,), "I want to end my life",
          "suicidal-thoughts", EMERG, doses={ESK: 1}, country="GB"),
    typed("typed: a bit queasy after esketamine", (ESK,), "a bit queasy", "nausea", NOTHING,
          doses={ESK: 1}, severity=1),
    # Lamictal MedGuide: any rash -> call right away, whichever dose is linked.
    typed("typed: I have a rash, esketamine dose linked", (ESK, LAM), "I have a rash",
          "skin-rash", TODAY, doses={ESK: 3}, link=ESK),
    # Issue 11 item 4: rash on lamotrigine with fever -> emergency, typed or ticked.
    typed("typed: rash and fever, lamotrigine", (LAM,), "rash and fever", ("skin-rash", "fever"),
          EMERG),
    # Reference facts, any drug: swelling of the face or throat -> emergency services now.
    typed("typed: my lips are swollen, memantine", (MEM,), "my lips are swollen",
          "face-or-throat-swelling", EMERG),
    # Reference facts, any drug: trouble breathing -> emergency services now.
    typed("typed: I cant breathe properly, amantadine", (AMA,), "I cant breathe properly",
          "trouble-breathing", EMERG),
    # A phone keyboard types a curly apostrophe.
    typed("typed: I can't breathe, curly apostrophe, amantadine", (AMA,), "I can\u2019t breathe",
          "trouble-breathing", EMERG),
    typed("typed: Short of breath, esketamine", (ESK,), "Short of breath", "trouble-breathing",
          EMERG, doses={ESK: 1}),
    # Lamictal DSC 2021 / Spravato MedGuide: fainting or passing out -> right away.
    typed("typed: I passed out after my infusion, ketamine", (KET,),
          "I passed out after my infusion", "fainting-on-standing", AT_LEAST_TODAY,
          doses={KET: 1}),
    typed("typed: tingling in my fingers, memantine", (MEM,), "Tingling in my fingers", None,
          NOTHING, severity=1),
]  # fmt: skip


EMERGENCY_NUMBERS = {"DE": "112", "GB": "999", "US": "911"}
CRISIS_LINES = {"DE": "0800 111 0 111", "GB": "116 123", "US": "988"}

# Distinctive emergency and crisis numbers, and the words that say whose they are. 112 is
# the international fallback: it must be called that, or named for its country.
NUMBER_OWNERS: dict[str, tuple[set[str], tuple[str, ...]]] = {
    "911": ({"US", "CA"}, ("United States", "US", "USA", "Canada")),
    "988": ({"US", "CA"}, ("United States", "US", "USA", "Canada")),
    "999": ({"GB", "IE"}, ("United Kingdom", "UK", "Britain", "Ireland")),
    "116 123": ({"GB", "IE", "DE"}, ("United Kingdom", "UK", "Britain", "Ireland", "Germany")),
    "111": ({"GB", "NZ"}, ("United Kingdom", "UK", "NHS", "New Zealand")),
    "0800 111 0 111": ({"DE"}, ("Germany", "Deutschland")),
    "3114": ({"FR"}, ("France",)),
    "024": ({"ES"}, ("Spain",)),
    "000": ({"AU"}, ("Australia",)),
    "13 11 14": ({"AU"}, ("Australia",)),
    "1737": ({"NZ"}, ("New Zealand",)),
    "50808": ({"IE"}, ("Ireland",)),
    "112": (
        {"DE", "FR", "ES", "IT", "NL", "IE", "GB"},
        ("international", "International", "Europe", "EU", "European"),
    ),
}


def number_pattern(number: str) -> re.Pattern[str]:
    """The number on its own, not inside a longer one ("111" is not in "0800 111 0 111")."""
    return re.compile(rf"(?<!\d)(?<!\d[ -]){re.escape(number)}(?![ -]?\d)")


def unnamed_foreign_numbers(text: str, country: str) -> list[str]:
    """Numbers of another country shown without saying whose they are."""
    for number, (owners, _names) in NUMBER_OWNERS.items():
        if country in owners:
            text = number_pattern(number).sub("", text)
    found = []
    for number, (owners, names) in NUMBER_OWNERS.items():
        named = any(re.search(rf"\b{re.escape(name)}\b", text) for name in names)
        if country not in owners and number_pattern(number).search(text) and not named:
            found.append(number)
    return found


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def course_for(
    patient: User, drug: str, onset_day: date, stopped_days_before: int | None
) -> MedicationCourse:
    stopped_on = None
    if stopped_days_before is not None:
        stopped_on = onset_day - timedelta(days=stopped_days_before)
    course: MedicationCourse = CourseFactory.create(
        patient=patient,
        drug=seeded_drug(drug),
        route=ROUTES[drug],
        started_on=onset_day - timedelta(days=60),
        stopped_on=stopped_on,
    )
    return course


def dose_for(course: MedicationCourse, hours_before_onset: float) -> DoseEvent:
    dose: DoseEvent = DoseFactory.create(
        course=course,
        taken_at=ONSET - timedelta(hours=hours_before_onset),
        setting=SETTINGS[course.drug.slug],
    )
    return dose


def entry_body(case: Case, patient: User) -> dict[str, object]:
    """The patient's journal as the case describes it, and the entry they post."""
    courses = {drug: course_for(patient, drug, case.onset_day, None) for drug in case.on}
    for drug, days in case.stopped.items():
        courses[drug] = course_for(patient, drug, case.onset_day, days)
    doses = {drug: dose_for(courses[drug], hours) for drug, hours in case.doses.items()}
    body: dict[str, object] = {
        "onset_at": ONSET.isoformat(),
        "severity": case.severity,
        "interference": min(case.severity, 3),
        "danger_signs": list(case.signs),
    }
    if case.typed:
        body.update(side_effect=None, other_symptom=case.symptom)
    else:
        body["side_effect"] = case.symptom
    if case.link == NO_DOSE:
        body["dose"] = None
    elif case.link != AUTO:
        body["dose"] = doses[case.link].pk
    return body


def profile_set(api: APIClient, **changes: str) -> None:
    response = api.patch("/api/v1/profile/", changes, format="json")
    assert response.status_code == 200, response.json()
    for name, value in changes.items():
        assert response.json()[name] == value


def red_flags(api: APIClient, body: dict[str, object]) -> dict[str, Any]:
    response = api.post("/api/v1/entries/", body, format="json")
    assert response.status_code == 201, response.json()
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize("case", MATRIX)
def test_the_first_red_flag_is_the_action_the_labels_call_for(
    case: Case, api: APIClient, patient: User
) -> None:
    if case.country:
        profile_set(api, country=case.country)
    if case.zone != LONDON:
        profile_set(api, time_zone=case.zone)

    answer = red_flags(api, entry_body(case, patient))

    flags = answer["red_flags"]
    actions = [flag["action"] for flag in flags]
    seen = f"expected {case.expect}, got {actions}: " + " | ".join(
        f"{flag['action']}: {flag['signs']}" for flag in flags
    )
    assert actions == sorted(actions, key=rank, reverse=True), f"not most urgent first: {seen}"
    assert case.expect.met_by(actions[0] if actions else None), seen
    # The list reads the doses around its page once: it gives the same red flags.
    listed = api.get("/api/v1/entries/").json()["results"]
    assert [entry["red_flags"] for entry in listed if entry["id"] == answer["id"]] == [flags]
    if case.typed:
        readings = case.reads_as if isinstance(case.reads_as, tuple) else (case.reads_as,)
        assert answer["matched_side_effect"] in readings
    for flag in flags:
        assert find_dosage_advice(flag["guidance"]) == [], flag["guidance"]
        assert unnamed_foreign_numbers(flag["guidance"], case.country) == [], flag["guidance"]
    if actions and actions[0] == EMERGENCY and case.country:
        assert EMERGENCY_NUMBERS[case.country] in flags[0]["guidance"], flags[0]["guidance"]


# Local help numbers (issue 11 item 6)


@pytest.mark.parametrize("country", ["DE", "GB", "US"])
def test_suicidal_thoughts_give_the_patients_own_emergency_number_and_crisis_line(
    api: APIClient, patient: User, country: str
) -> None:
    profile_set(api, country=country)
    case = Case((ESK,), "suicidal-thoughts", 2, EMERG, doses={ESK: 1})

    flags = red_flags(api, entry_body(case, patient))["red_flags"]

    assert flags[0]["action"] == EMERGENCY
    assert EMERGENCY_NUMBERS[country] in flags[0]["guidance"]
    assert CRISIS_LINES[country] in flags[0]["guidance"]
    for flag in flags:
        assert unnamed_foreign_numbers(flag["guidance"], country) == [], flag["guidance"]


@pytest.mark.parametrize("country", ["DE", "GB", "US"])
def test_chest_pain_gives_the_patients_own_emergency_number(
    api: APIClient, patient: User, country: str
) -> None:
    profile_set(api, country=country)
    case = Case((LAM,), "chest-pain", 2, EMERG)

    flags = red_flags(api, entry_body(case, patient))["red_flags"]

    assert flags[0]["action"] == EMERGENCY
    assert EMERGENCY_NUMBERS[country] in flags[0]["guidance"]
    for flag in flags:
        assert unnamed_foreign_numbers(flag["guidance"], country) == [], flag["guidance"]


@pytest.mark.parametrize(
    ("country", "name"), [("DE", "Germany"), ("GB", "United Kingdom"), ("US", "United States")]
)
def test_the_profile_lists_the_help_numbers_of_the_patients_country(
    api: APIClient, country: str, name: str
) -> None:
    profile_set(api, country=country)

    help_lines = api.get("/api/v1/profile/").json()["help_lines"]

    assert name in help_lines["country_name"]
    assert EMERGENCY_NUMBERS[country] in help_lines["emergency"]
    assert CRISIS_LINES[country] in help_lines["crisis_line"]


def test_without_a_country_the_guidance_says_your_local_emergency_number(db: None) -> None:
    # A UTC time zone: nothing to guess a country from.
    somewhere = PatientFactory.create(profile__time_zone="UTC", profile__country="")
    api = token_client(somewhere)
    assert api.get("/api/v1/profile/").json()["country"] in ("", None)
    case = Case((ESK,), "suicidal-thoughts", 2, EMERG, doses={ESK: 1})

    flags = red_flags(api, entry_body(case, somewhere))["red_flags"]

    assert flags[0]["action"] == EMERGENCY
    assert "your local emergency number" in flags[0]["guidance"]
    for flag in flags:
        assert unnamed_foreign_numbers(flag["guidance"], "") == [], flag["guidance"]


@pytest.mark.parametrize("symptom", ["suicidal-thoughts", "chest-pain", "seizure"])
def test_a_patient_in_london_without_a_country_sees_no_number_without_its_country(
    api: APIClient, patient: User, symptom: str
) -> None:
    """Issue 11: "988 in the US" was offered to a patient whose time zone is Europe/London."""
    case = Case((ESK,), symptom, 2, EMERG, doses={ESK: 1})

    flags = red_flags(api, entry_body(case, patient))["red_flags"]

    assert flags[0]["action"] == EMERGENCY
    for flag in flags:
        assert unnamed_foreign_numbers(flag["guidance"], "") == [], flag["guidance"]


# Free text is read in any case and word form (issue 11 item 5)


@pytest.mark.parametrize(
    ("words", "reads_as"),
    [
        ("Blistering", {"peeling-skin", "mouth-sores"}),
        ("blisters", {"peeling-skin", "mouth-sores"}),
        ("BLISTERS", {"peeling-skin", "mouth-sores"}),
        ("A blister inside my cheek", {"mouth-sores"}),
        ("Blistered lips", {"mouth-sores"}),
        ("FEVER", {"fever"}),
        ("Fevers at night", {"fever"}),
        ("Swollen Glands in my neck", {"swollen-glands"}),
    ],
)
def test_typed_words_are_read_whatever_their_case_or_form(
    api: APIClient, patient: User, words: str, reads_as: set[str]
) -> None:
    # Lamictal MedGuide: blisters, mouth sores, fever, swollen glands -> call right away.
    case = Case((LAM,), words, 2, AT_LEAST_TODAY, typed=True)

    answer = red_flags(api, entry_body(case, patient))

    assert answer["matched_side_effect"] in reads_as
    actions = [flag["action"] for flag in answer["red_flags"]]
    assert actions and rank(actions[0]) >= rank(PRESCRIBER), actions
