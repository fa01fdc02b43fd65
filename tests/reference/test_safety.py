"""The dosing-advice guard: Sidelog never suggests a change of dose.

Plain pytest, no database: `reference.safety` is pure Python.
"""

from __future__ import annotations

import time

import pytest

from reference.safety import find_dosage_advice

ADVICE = [
    # direct
    "Halve the dose.",
    "Skip your evening tablet.",
    "Cut the tablet in half and take one half in the morning.",
    "Take your memantine at night instead of in the morning.",
    "Stop the lamotrigine straight away.",
    "Drop down to 25 mg for a week.",
    "Space your doses further apart.",
    "Take an extra tablet on bad days.",
    "Double up tomorrow to make up for it.",
    "Just use one spray instead of two.",
    "Leave the evening capsule out for a couple of days.",
    "Wean yourself off it over a fortnight.",
    "Switch to the extended-release version.",
    "Taper off slowly over a month.",
    "Come off the Lamictal gradually.",
    "Push your next dose back by a couple of hours.",
    "Take it every other day for a while.",
    "Go back to 100mg.",
    "Bump it up to 20 mg.",
    "Try half a tablet.",
    # hedged
    "You could try a lower dose.",
    "It might be worth cutting back to one spray.",
    "Maybe take a bit less next time.",
    "You might want to reduce the dose.",
    "Perhaps consider skipping the morning one.",
    "It may help to split the dose.",
    "You may want to hold off on the next infusion.",
    "I'd cut back to 10mg if I were you.",
    "It's fine to take it a couple of hours later.",
    "It's okay to skip a dose now and then.",
    "Feel free to lower the dose.",
    "There's no harm in skipping the odd dose.",
    "Personally I would just stop taking it.",
    "you could always just halve them",
    "You should probably stop taking it.",
    "People should come off it slowly.",
    "Patients can split the tablets if they need to.",
    "You don't need to take it every day.",
    "Your best bet is to taper down.",
    "It's worth trying a smaller dose.",
    # conditional
    "If it's bad, take it later or not at all.",
    "If the dizziness gets worse, just leave out tomorrow's dose.",
    "Skip a dose if you feel dizzy.",
    "If you feel sick, take half.",
    "if the nausea is bad just skip it",
    "If you get a rash, stop taking it.",
    "When the headaches kick in, drop to half a tablet.",
    "Don't take tomorrow's dose if you're still feeling spaced out.",
    "If it keeps you awake, move it to the morning.",
    "If you're feeling wobbly, have an extra day off the Spravato.",
    "If the side effects are too much then reduce the amantadine.",
    "If you feel drowsy, take it at bedtime instead.",
    "If you're having a good week you can miss a dose.",
    "If you can't sleep, take the second dose earlier.",
    # claims
    "Taking less usually helps.",
    "Most people feel better once they come off it.",
    "Halving the tablet works wonders for the nausea.",
    "A lower dose usually fixes the dizziness.",
    "Cutting back to one spray made a huge difference.",
    "Most people do better on a lower dose.",
    "Splitting the dose reduces the nausea.",
    "Coming off it is the best way to stop the headaches.",
    "Skipping the evening dose is fine.",
    "Half a tablet is usually enough.",
    "Lots of people skip the weekend doses and feel fine.",
    "Once you stop taking it the brain fog lifts and you feel better.",
    "A smaller dose might suit you better.",
    "Lowering the dose helps most people.",
    "Taking it every other day works just as well.",
    "Fewer side effects on a lower dose, in my experience.",
    # suggesting questions and forum style
    "Why not try a smaller dose?",
    "Have you tried skipping the morning one?",
    "How about taking it later in the day?",
    "What about cutting the tablet in half?",
    "Why don't you just stop taking it?",
    "honestly just skip it tonight lol",
    "tbh id just take less",
    "u can always drop down to 5mg",
    "imo you should taper off the ket",
    "have u thought about going down to 50mg",
    "You're better off skipping the evening dose.",
    "Stop it for a week and see how you feel.",
    # --- fresh rounds: slang, idioms and frames the first corpus lacked ---
    # forum, texting and family voices
    "bin the pills and see how u feel",
    "what worked for me was skipping the weekend doses, give it a go",
    "honestly id go cold turkey, its only 25mg",
    "ngl i'd skip the next one",
    "tbh u dont need that much",
    "i use 2 sprays instead of 3 and it's loads better, try it",
    "Love, just have half tonight and see how you get on.",
    "Maybe he could take his dose after lunch rather than first thing.",
    "Honestly just pack the lamotrigine in, the rash isn't worth it.",
    "I'd knock it on the head if it's making you feel that rough.",
    # official-sounding permission
    "Tablets may be taken every other day if side effects are intolerable.",
    "If you're not sleeping, the evening tablet can go.",
    "The second dose is optional really.",
    # breaks, splitting, timing and frequency in other words
    "Rest, and if it keeps happening try taking half a tablet.",
    "Leave it a few days before restarting.",
    "Nip the tablet in half with a pill cutter and take it at lunchtime.",
    "Space your doses at least 12 hours apart instead of 8.",
    "Take the morning tablet in the evening.",
    "Take it every 48 hours.",
    "Leave a day between doses.",
    "Have a weekend off the meds, you'll feel loads better.",
    "Keep it to one spray for now.",
    "Don't go up to 20mg yet, stay at 10 another month.",
    "Just take it when you remember, even if that means two in one evening.",
    # rhetorical and suggesting questions
    "Why are you still taking 100mg if it makes you this dizzy?",
    "Wouldn't a lower dose be kinder on your stomach?",
    "Is there any reason you can't just take less?",
    "What's stopping you from cutting it down?",
    # claims, clefts and anecdotes passed on
    "Lots of people find that spacing the sprays out helps.",
    "Spravato twice a week is overkill, once is plenty.",
    "Honestly the best move I made was dropping to 50mg.",
    "Missing the odd dose won't do any harm.",
    "You won't miss much by skipping a session.",
    "Less is more with ketamine.",
    "Taking it at night avoids the daytime drowsiness.",
    "When my sister had the same problem she went to 5mg and it cleared up, so try that.",
    "I always tell people to start low and go slower than the leaflet says.",
    # missed doses: what to do about one is the prescriber's call (issue 11, item 8)
    "If you miss a dose, take it as soon as you remember.",
]

NEUTRAL = [
    # not on your own
    "Do not stop taking it without talking to your prescriber.",
    "Never change your dose on your own.",
    "Don't skip doses unless your prescriber tells you to.",
    "Do not stop lamotrigine suddenly.",
    "Don't take more than your prescriber has told you to.",
    "Never take a double dose to make up for a missed one.",
    "Do not crush or chew the capsules.",
    "You shouldn't change how you take it without checking with your doctor.",
    "Please don't stop, skip or change doses on your own.",
    "Avoid skipping doses.",
    "Stop skipping doses.",
    "Only change your dose if your prescriber tells you to.",
    "Any change to your dose should be agreed with your prescriber first.",
    # prescribers and clinics
    "Your prescriber may increase the dose slowly over several weeks.",
    "The clinic may adjust the schedule.",
    "Ask your prescriber whether a different dose would suit you.",
    "Your doctor might lower the dose if the dizziness continues.",
    "The care team may pause treatment if your blood pressure is high.",
    "Your psychiatrist will usually taper it off gradually.",
    "Talk to your doctor about whether a lower dose would help.",
    "Your GP can switch you to the extended-release version.",
    "My prescriber halved my dose last month.",
    "If the dizziness doesn't settle, your prescriber may reduce the dose.",
    "Ask about a lower dose at your next appointment.",
    "If you want to come off it, speak to your prescriber first.",
    "Discuss tapering with your doctor.",
    # facts
    "Side effects are more common after a dose increase.",
    "Rash risk is higher when the dose is raised quickly.",
    "The infusion takes about 40 minutes.",
    "Stopping suddenly can cause seizures.",
    "Higher doses are linked to more dizziness.",
    "Memantine comes in 5 mg and 10 mg tablets.",
    "Lamotrigine is usually started at a low dose and increased slowly.",
    "Missing doses can make the medicine less effective.",
    "Dizziness is most likely in the first hour after the spray.",
    "Coming off it too quickly can bring on withdrawal symptoms.",
    "The dose is usually increased every two weeks.",
    "Esketamine is given as a nasal spray at a certified clinic.",
    "Nausea usually settles once your body gets used to the medicine.",
    "Side effects often ease after the first few weeks.",
    # everyday words
    "Stop the timer when the session ends.",
    "Increase your fluid intake on hot days.",
    "Double-check the date before you save the entry.",
    "Take a break from screens in the evening.",
    "Skip the stairs if you feel unsteady.",
    "Cut down on caffeine if you feel jittery.",
    "Drink more water.",
    "Lie down until it passes; don't drive that day.",
    "Take your time filling in the form.",
    "Take more breaks from work if you feel tired.",
    "Cut back on alcohol while you're taking it.",
    "Drop the sugar from your coffee if the nausea is bad.",
    "Switch off your phone an hour before bed.",
    "Take it with food if it upsets your stomach.",
    "If you feel dizzy, sit down and have a glass of water.",
    "Reduce screen time before bed.",
    # Sidelog's standing line and app text
    "Sidelog does not give dosing advice. "
    "Talk to your prescriber before changing how you take any medication.",
    "Missed doses are recorded in your journal.",
    "You can log a missed dose from the home screen.",
    "Tap the dose to mark it as taken.",
    "If you miss a dose, note it in your journal.",
    "Record when you skip a dose so your prescriber can see the pattern.",
    # records and questions
    "I took my dose at 9 am.",
    "I skipped my dose yesterday.",
    "She missed two doses last week.",
    "Doses were missed over the holiday.",
    "I halved my dose and felt much better.",
    "I've been taking half a tablet since Monday.",
    "My wife came off it last year.",
    "Should I lower my dose?",
    "Is it okay to skip a dose if I feel sick?",
    "Can I take my evening dose earlier?",
    "Did you take your dose today?",
    "I'm going to ask my doctor about lowering it.",
    "I stopped taking it in March because of the rash.",
    "We cut back to one spray after the second session.",
    "I felt better once I came off it.",
    "What happens if I miss a dose?",
    "I'd skipped my dose that morning.",
    "Keep taking it as prescribed.",
    "Take your tablets at the same time each day.",
    # --- fresh rounds: near misses that share the vocabulary ---
    # everyday words and idioms
    "Stop the infusion pump alarm by pressing the button.",
    "cut back on coffee, it makes the jitters worse",
    "skip breakfast if you're nauseous before the session",
    "I stopped the car and waited for the dizziness to pass.",
    "Quit while you're ahead with the crossword.",
    "Cut down on late nights.",
    "Push the button to confirm your dose.",
    "Have one cup of tea instead of two coffees.",
    "Give yourself time to adjust.",
    "Change when you get reminders in Settings.",
    "Time to take your tablets.",
    "Two minutes is plenty for the breathing exercise.",
    "Bin any out-of-date tablets at your pharmacy.",
    "Pack your tablets in your hand luggage.",
    # prohibitions of an increase or of going it alone
    "Do not take extra to make up for a missed dose.",
    "Don't take two the next day to make up for it.",
    "Never stop suddenly.",
    "i went cold turkey years ago, wouldn't recommend it",
    "Stopping suddenly is something I'd never do again.",
    # what prescribers and pharmacists do, and passives describing care
    "The pharmacist may split the pack if you need fewer tablets at a time.",
    "Tapering schedules are set by your prescriber.",
    "The dose was reduced by my psychiatrist last month.",
    "People with kidney problems may be given a lower dose.",
    "You may be switched to a lower dose if the side effects continue.",
    "Tell your prescriber if you keep forgetting doses; they may suggest a different schedule.",
    "If you want to stop, your doctor can help you taper.",
    "Your care team can help if you want to cut down.",
    # facts and genuine questions
    "Missing doses can make the medicine work less well.",
    "Dose changes are made slowly to reduce side effects.",
    "Lower strengths are available for people with kidney problems.",
    "Would a lower dose help, do you think?",
    "Has anyone tried taking it at night?",
]


@pytest.mark.parametrize("sentence", ADVICE)
def test_it_flags_advice(sentence: str) -> None:
    phrases = find_dosage_advice(sentence)
    assert phrases, sentence
    for phrase in phrases:
        assert phrase in sentence


@pytest.mark.parametrize("sentence", NEUTRAL)
def test_it_passes_dose_neutral_text(sentence: str) -> None:
    assert find_dosage_advice(sentence) == []


def test_the_corpus_is_big_enough() -> None:
    assert len(ADVICE) >= 110
    assert len(NEUTRAL) >= 110
    assert len(set(ADVICE)) == len(ADVICE)
    assert len(set(NEUTRAL)) == len(NEUTRAL)


def test_it_returns_the_phrase_as_it_appears_in_the_text() -> None:
    text = "  If the dizziness gets worse, just leave out tomorrow’s dose.  "
    assert find_dosage_advice(text) == [
        "If the dizziness gets worse, just leave out tomorrow’s dose."
    ]


def test_multi_sentence_text_returns_only_the_offending_sentence() -> None:
    text = (
        "Memantine can cause dizziness in the first weeks. "
        "If it's bad, take it later or not at all. "
        "Talk to your prescriber before changing how you take it."
    )
    assert find_dosage_advice(text) == ["If it's bad, take it later or not at all."]


def test_it_returns_offending_phrases_in_order_without_duplicates() -> None:
    text = (
        "Skip your evening tablet. Drink more water. Taking less usually helps.\n"
        "Skip your evening tablet."
    )
    assert find_dosage_advice(text) == ["Skip your evening tablet.", "Taking less usually helps."]


def test_it_handles_empty_and_blank_text() -> None:
    assert find_dosage_advice("") == []
    assert find_dosage_advice("   \n ") == []


def test_sidelogs_standing_line_is_neutral() -> None:
    line = (
        "Sidelog does not give dosing advice. "
        "Talk to your prescriber before changing how you take any medication."
    )
    assert find_dosage_advice(line) == []


def test_a_record_of_the_past_is_not_advice_but_an_instruction_is() -> None:
    assert find_dosage_advice("I skipped my dose yesterday.") == []
    assert find_dosage_advice("Skip your dose tomorrow.") == ["Skip your dose tomorrow."]


def test_the_prescriber_exemption_only_covers_what_the_prescriber_does() -> None:
    assert find_dosage_advice("Don't skip doses unless your prescriber tells you to.") == []
    assert find_dosage_advice("Skip a dose if you feel dizzy.") == [
        "Skip a dose if you feel dizzy."
    ]


def test_it_is_fast() -> None:
    text = " ".join(ADVICE + NEUTRAL)
    started = time.perf_counter()
    for _ in range(5):
        find_dosage_advice(text)
    per_sentence = (time.perf_counter() - started) / (5 * (len(ADVICE) + len(NEUTRAL)))
    assert per_sentence < 0.002
