"""The reference library's first content: five drugs, their side effects, red flags.

A frozen snapshot: plain data here, written through historical models, so it never
depends on the app's code. Every text describes and sends people to a human; none of it
speaks about amounts or timing of any medication.
"""

from decimal import Decimal

from django.db import migrations

DRUGS = [
    {
        "name": "Ketamine",
        "slug": "ketamine",
        "brand_names": "Ketalar",
        "drug_class": "Dissociative anaesthetic (NMDA receptor antagonist)",
        "mechanism": (
            "Ketamine blocks NMDA receptors. These are one of the main ways the brain "
            "chemical glutamate passes signals between nerve cells. Blocking them causes "
            "the dreamy, detached feeling people describe, and is thought to be part of "
            "how it can ease depression."
        ),
        "treats": (
            "Approved as a general anaesthetic for surgery and medical procedures. It is "
            "not approved for depression, but doctors use it off-label for depression that "
            "has not got better with other treatments (treatment-resistant depression). "
            "For that it is usually given in a clinic as a drip into a vein over about 40 "
            "minutes."
        ),
        "routes": (
            "Infusion into a vein (IV); injection into a muscle (IM). "
            "A controlled substance (Schedule III in the US)."
        ),
        "rxnorm_code": "",
        "atc_code": "N01AX03",
        "summary": (
            "Ketamine is an anaesthetic that some clinics also give off-label for "
            "hard-to-treat depression. During and soon after a session many people feel "
            "detached, dizzy, sleepy or sick, and these feelings usually fade within about "
            "2 hours. It also pushes up blood pressure and heart rate for a while, so "
            "staff keep watch during and after the infusion."
        ),
    },
    {
        "name": "Esketamine",
        "slug": "esketamine",
        "brand_names": "Spravato",
        "drug_class": "Antidepressant nasal spray (NMDA receptor antagonist)",
        "mechanism": (
            "Ketamine is made of two mirror-image forms, and esketamine is one of them. "
            "Like ketamine, it blocks NMDA receptors, which the brain chemical glutamate "
            "uses to pass signals between nerve cells. This is thought to be part of how "
            "it eases depression."
        ),
        "treats": (
            "Approved in the US in 2019 for adults with treatment-resistant depression, "
            "meaning depression that has not got better with other antidepressants. Since "
            "2020 it is also approved for depressive symptoms in adults with major "
            "depression who are having sudden (acute) suicidal thoughts."
        ),
        "routes": (
            "Nasal spray; each device holds 28 mg. Used only in a certified clinic, under "
            "a restricted safety programme (REMS). A controlled substance (Schedule III in "
            "the US)."
        ),
        "rxnorm_code": "",
        "atc_code": "N06AX27",
        "summary": (
            "Esketamine (Spravato) is a nasal spray for depression that has not responded "
            "to other treatment. It is used at a certified clinic, where staff watch you "
            "for at least 2 hours afterwards, because it often brings a detached, dreamy "
            "feeling, sleepiness, dizziness, nausea and a rise in blood pressure. These "
            "effects are usually strongest around 30 to 40 minutes after the spray and "
            "settle within about 1.5 to 2 hours; no driving until the next day, after a "
            "good night's sleep."
        ),
    },
    {
        "name": "Memantine",
        "slug": "memantine",
        "brand_names": "Namenda, Namenda XR, Ebixa",
        "drug_class": "Alzheimer's medicine (NMDA receptor antagonist)",
        "mechanism": (
            "In Alzheimer's disease, the brain chemical glutamate may over-excite nerve "
            "cells. Memantine sits loosely in the NMDA receptor channel that glutamate "
            "opens, and blocks it mainly when it is over-active, so normal signals can "
            "still get through."
        ),
        "treats": (
            "Approved for moderate to severe dementia caused by Alzheimer's disease. It "
            "can ease symptoms; it does not cure the disease."
        ),
        "routes": "Tablets, liquid (oral solution), extended-release capsules.",
        "rxnorm_code": "",
        "atc_code": "N06DX01",
        "summary": (
            "Memantine is a medicine for moderate to severe Alzheimer's dementia. In "
            "trials, the side effects reported most were dizziness, confusion, headache "
            "and constipation, each by fewer than 1 in 10 people. Side effects are most "
            "likely soon after starting or after the prescriber adjusts the treatment. A "
            "caregiver can help keep the journal."
        ),
    },
    {
        "name": "Lamotrigine",
        "slug": "lamotrigine",
        "brand_names": "Lamictal",
        "drug_class": "Anticonvulsant (antiepileptic) and mood stabiliser",
        "mechanism": (
            "Lamotrigine calms over-active nerve cells by blocking sodium channels, tiny "
            "gates that nerve cells use to fire. Because of this, nerve cells let out "
            "smaller amounts of glutamate, a brain chemical that excites other cells."
        ),
        "treats": (
            "Approved for epilepsy, either on its own or alongside other seizure "
            "medicines, and for long-term treatment of bipolar I disorder, to help keep "
            "mood episodes from coming back."
        ),
        "routes": (
            "Tablets, chewable or dispersible tablets, tablets that melt in the mouth, "
            "extended-release tablets."
        ),
        "rxnorm_code": "28439",
        "atc_code": "N03AX09",
        "summary": (
            "Lamotrigine is used for epilepsy and to keep bipolar I disorder steady over "
            "time. Common side effects include headache, dizziness, sleepiness, nausea and "
            "blurred vision. Rash is the one to know about: most rashes are not serious, "
            "but a rare serious rash can happen, nearly always 2 to 8 weeks after starting. "
            "Any new rash means contacting your prescriber right away."
        ),
    },
    {
        "name": "Amantadine",
        "slug": "amantadine",
        "brand_names": "Gocovri, Osmolex ER, Symmetrel",
        "drug_class": "Parkinson's medicine and antiviral (weak NMDA receptor antagonist)",
        "mechanism": (
            "Amantadine weakly blocks NMDA receptors, which the brain chemical glutamate "
            "uses to pass signals. It also acts on dopamine signalling; dopamine is the "
            "chemical that runs low in Parkinson's disease. It was first used against flu "
            "(influenza A)."
        ),
        "treats": (
            "Parkinson's disease, and movement problems caused by other medicines. An "
            "extended-release form is approved for dyskinesia: extra, uncontrolled "
            "movements caused by levodopa treatment. It is also an antiviral for "
            "influenza A."
        ),
        "routes": "Capsules, tablets, syrup, extended-release capsules and tablets.",
        "rxnorm_code": "",
        "atc_code": "N04BB01",
        "summary": (
            "Amantadine is used for Parkinson's disease and for movement problems, "
            "including the extra movements (dyskinesia) that levodopa can cause. Common "
            "side effects include nausea, dizziness, trouble sleeping, dry mouth and "
            "constipation. Some people see or hear things that are not there, or feel "
            "faint when they stand up; both were reported more often with the "
            "extended-release form, and both are reasons to contact your prescriber the "
            "same day."
        ),
    },
]

SIDE_EFFECTS = [
    # Common
    {
        "name": "Dizziness",
        "slug": "dizziness",
        "category": "common",
        "description": (
            "Feeling light-headed, unsteady or off balance, or as if the room is spinning. "
            "Some people notice it most when they stand up or turn their head."
        ),
        "typical_course": (
            "After a ketamine or esketamine session it often starts within the first hour "
            "and usually settles within about 2 hours. With tablets or capsules it is most "
            "likely in the first weeks after starting or after a change in treatment, and "
            "often eases as the body gets used to it."
        ),
        "self_care": (
            "Sit or lie down until it passes. Get up slowly: sit on the edge of the bed for "
            "a moment first. Hold on to something steady when you walk, and keep the floor "
            "clear of things you could trip on. Don't drive, cycle or use machines while "
            "you feel dizzy. Note when it started and ended in Sidelog."
        ),
    },
    {
        "name": "Headache",
        "slug": "headache",
        "category": "common",
        "description": (
            "An ache, throbbing or feeling of pressure in the head, the forehead or behind "
            "the eyes."
        ),
        "typical_course": (
            "After a ketamine or esketamine session it can come on within hours and usually "
            "fades the same day. With daily medicines it tends to show up in the first "
            "weeks. A sudden, very bad headache is different: see the red flags."
        ),
        "self_care": (
            "Rest in a quiet, dim room. Sip water, and have something to eat if you "
            "haven't. A cool cloth on the forehead can help. Note when it started, how bad "
            "it is and anything else you noticed in Sidelog."
        ),
    },
    {
        "name": "Drowsiness and sedation",
        "slug": "drowsiness",
        "category": "common",
        "description": (
            "Feeling unusually sleepy, slowed down or foggy, and finding it hard to stay "
            "alert or keep your eyes open. Rate it Severe or Very severe if you can't stay "
            "awake."
        ),
        "typical_course": (
            "After esketamine it is usually strongest around 30 to 40 minutes after the "
            "spray and settles within about 1.5 to 2 hours. An IV ketamine infusion is "
            "followed by 30 to 60 minutes of recovery at the clinic, and most effects have "
            "worn off within about 2 hours. With tablets or capsules it is most noticeable "
            "in the first weeks."
        ),
        "self_care": (
            "Rest somewhere safe until it passes. Have someone with you after a clinic "
            "session, and let them take you home. Don't drive, cycle or use machines while "
            "you feel sleepy; after ketamine or esketamine, wait until the next day, after "
            "a good night's sleep. Note when it started and ended in Sidelog."
        ),
    },
    {
        "name": "Nausea and vomiting",
        "slug": "nausea",
        "category": "common",
        "description": "A queasy, unsettled stomach, sometimes with retching or being sick.",
        "typical_course": (
            "After a ketamine or esketamine session it often comes on within the first "
            "hour and usually settles as the other session effects wear off, within about "
            "2 hours. With daily medicines it is most common in the first weeks."
        ),
        "self_care": (
            "Sit upright and breathe slowly, with fresh air if you can. Sip water or a "
            "clear drink often, a little at a time. Eat small, plain meals when you feel "
            "ready. If you are sick, rinse your mouth and keep sipping fluids. Tell your "
            "prescriber if you can't keep fluids down."
        ),
    },
    {
        "name": "Constipation",
        "slug": "constipation",
        "category": "common",
        "description": (
            "Going to the toilet less often than usual, or stools that are hard, dry or "
            "painful to pass. Your belly may feel bloated."
        ),
        "typical_course": (
            "It tends to build up over days or weeks rather than coming on suddenly, and "
            "usually gets better with changes to food, drink and activity."
        ),
        "self_care": (
            "Eat more fibre, such as fruit, vegetables, beans and wholegrain bread. Drink "
            "plenty of fluids through the day. Move about or go for a walk if you can. Go "
            "when you feel the urge, and give yourself time. Tell your prescriber or "
            "pharmacist if it lasts more than a few days or your belly hurts."
        ),
    },
    # Dissociative
    {
        "name": "Dissociation and detachment",
        "slug": "dissociation",
        "category": "dissociative",
        "description": (
            "Feeling unreal or cut off: as if you are watching yourself from outside, your "
            "body doesn't feel like your own, your thoughts seem far away, or the world "
            "around you looks dreamlike or flat. It can feel calm, strange or frightening."
        ),
        "typical_course": (
            "After esketamine it starts soon after the spray, is strongest around 30 to 40 "
            "minutes and usually settles within about 1.5 to 2 hours. After an IV ketamine "
            "infusion, which takes about 40 minutes, it usually clears within about 2 "
            "hours."
        ),
        "self_care": (
            "Sit or lie back somewhere calm, with a person you trust nearby. Remind "
            "yourself that this feeling is common after a session and passes. Music, an "
            "eye mask or slow breathing helps some people. Tell the clinic staff if it "
            "feels frightening. Have someone with you after a session, and don't drive for "
            "the rest of the day. Note in Sidelog when it started and when you felt like "
            "yourself again."
        ),
    },
    {
        "name": "Perception changes",
        "slug": "perception-changes",
        "category": "dissociative",
        "description": (
            "Your senses work differently for a while. Time may seem to speed up or slow "
            "down, distances or the size of things may look wrong, sounds may seem loud or "
            "far away, colours and shapes may shift, or your vision may be blurred."
        ),
        "typical_course": (
            "After ketamine or esketamine it follows the same pattern as dissociation: it "
            "begins during or soon after the session and usually fades within about 2 "
            "hours. If you see or hear things that are not there, see Hallucinations."
        ),
        "self_care": (
            "Stay seated somewhere safe and calm until it fades. Close your eyes if what "
            "you see is unsettling. Don't drive, cycle or use machines until your senses "
            "are back to normal, and after a ketamine or esketamine session not until the "
            "next day. Note in Sidelog what you noticed and how long it lasted."
        ),
    },
    # Serious: the ones behind red flags
    {
        "name": "Skin rash",
        "slug": "skin-rash",
        "category": "serious",
        "description": (
            "New spots, redness, bumps or blotches on the skin, itchy or not. A serious "
            "rash may blister or peel, spread fast, or come with sores in the mouth or "
            "eyes, a fever or swollen glands."
        ),
        "typical_course": (
            "On lamotrigine, serious rashes are rare, and nearly all of them begin 2 to 8 "
            "weeks after starting. A rash can appear at other times too, so treat every "
            "new rash as worth a call."
        ),
        "self_care": (
            "Get help as described in the red flags below. A photo of the rash and a note "
            "of when it started will help the person you contact."
        ),
    },
    {
        "name": "Suicidal thoughts",
        "slug": "suicidal-thoughts",
        "category": "serious",
        "description": (
            "Thinking about death, wishing you were not alive, or thinking about hurting or "
            "killing yourself. These thoughts can come with depression itself, and some "
            "medicines carry a warning about them. They always deserve help."
        ),
        "typical_course": (
            "They can come at any time, and they can come and go. They are not a sign of "
            "weakness, and help works."
        ),
        "self_care": (
            "Get help now, as described in the red flags below. Don't stay alone: tell "
            "someone you trust and ask them to stay with you. Put away anything you could "
            "use to hurt yourself, or ask someone to do it for you."
        ),
    },
    {
        "name": "Trouble breathing",
        "slug": "trouble-breathing",
        "category": "serious",
        "description": (
            "Breathing that is slow, shallow, noisy or hard work; feeling you can't get "
            "enough air; or lips or fingertips turning blue or grey."
        ),
        "typical_course": (
            "After ketamine or esketamine it is most likely in the first hours, while "
            "sleepiness is strongest. It can also come with a severe allergic reaction at "
            "any time."
        ),
        "self_care": (
            "Get help now, as described below. Sit upright and loosen tight clothing while "
            "you wait."
        ),
    },
    {
        "name": "Very high blood pressure",
        "slug": "very-high-blood-pressure",
        "category": "serious",
        "description": (
            "A big rise in blood pressure. You may feel nothing, or you may have a sudden "
            "severe headache, chest pain, a pounding heartbeat, blurred vision or "
            "confusion."
        ),
        "typical_course": (
            "Ketamine and esketamine often push blood pressure up for a while during and "
            "after a session. That is why the clinic checks it before the esketamine spray "
            "and again at about 40 minutes."
        ),
        "self_care": (
            "Get help as described below, and sit quietly while you wait. If you have a "
            "home blood pressure monitor, note the reading in Sidelog."
        ),
    },
    {
        "name": "Hallucinations",
        "slug": "hallucinations",
        "category": "serious",
        "description": (
            "Seeing, hearing, feeling or smelling things that are not really there, or "
            "becoming very suspicious or fearful of other people (paranoia)."
        ),
        "typical_course": (
            "They are most likely soon after starting a medicine or after a change in "
            "treatment. They can creep in gradually, so a caregiver may notice before the "
            "person does."
        ),
        "self_care": (
            "Get help as described below. If you are a caregiver: stay with the person, "
            "keep calm and keep the room well lit. Don't argue about what they see; tell "
            "them they are safe."
        ),
    },
    {
        "name": "Fainting on standing",
        "slug": "fainting-on-standing",
        "category": "serious",
        "description": (
            "Blood pressure drops when you stand up, so you feel faint or light-headed, "
            "your vision goes grey, or you pass out or fall. Doctors call this orthostatic "
            "hypotension."
        ),
        "typical_course": (
            "It happens within a few minutes of standing up, most often after lying or "
            "sitting for a long time. It can lead to falls."
        ),
        "self_care": (
            "Get up in stages: sit on the edge of the bed for a minute before you stand. "
            "Sit or lie down straight away if you feel faint. Drink enough fluids through "
            "the day. Note any falls in Sidelog, and get help as described below."
        ),
    },
    {
        "name": "Swelling of the face or throat",
        "slug": "face-or-throat-swelling",
        "category": "serious",
        "description": (
            "Swelling of the lips, tongue, eyes, face or throat. It may come with hives, a "
            "tight throat, a hoarse voice, or trouble swallowing or breathing. It can be "
            "part of a severe allergic reaction."
        ),
        "typical_course": "It can come on over minutes or hours, and can get worse quickly.",
        "self_care": "Get help now, as described below. Sit upright while you wait.",
    },
    {
        "name": "Seizure",
        "slug": "seizure",
        "category": "serious",
        "description": (
            "A sudden burst of electrical activity in the brain. The person may shake or "
            "jerk, go stiff, fall, or stare blankly without responding, and may be "
            "confused or sleepy afterwards."
        ),
        "typical_course": (
            "Most seizures last from a few seconds to a couple of minutes. Afterwards the "
            "person may be tired or muddled for a while."
        ),
        "self_care": (
            "If you are with someone having a seizure: move hard or sharp things away, "
            "cushion their head, put nothing in their mouth, and time it. Once the jerking "
            "has ended, roll them onto their side. Then get help as described below."
        ),
    },
    {
        "name": "Severe confusion",
        "slug": "severe-confusion",
        "category": "serious",
        "description": (
            "Being much more muddled than usual: not knowing where you are or what time it "
            "is, not recognising people, talking in a way that doesn't make sense, or a "
            "sudden change in alertness or behaviour."
        ),
        "typical_course": (
            "It can come on over hours or days. A sudden change is more worrying than a "
            "slow one, and a caregiver may notice it first."
        ),
        "self_care": (
            "Stay with the person and keep them safe. Keep the room calm and well lit. Get "
            "help as described below."
        ),
    },
    {
        "name": "New compulsive urges",
        "slug": "compulsive-urges",
        "category": "serious",
        "description": (
            "New, strong urges that are hard to resist and out of character, such as "
            "gambling, shopping or spending, eating, or sexual urges."
        ),
        "typical_course": (
            "They can build up slowly over weeks or months. The person may not see them as "
            "a problem, so family members often notice first."
        ),
        "self_care": (
            "Talk about it openly with someone you trust, and get help as described below. "
            "A caregiver can note changes in Sidelog."
        ),
    },
]

# Bands: very_common (10% or more), common (1-10%), uncommon, rare, reported (how often is
# not known). label_percent only where a label figure was confirmed.
DRUG_SIDE_EFFECTS = [
    # Ketamine
    {
        "drug": "ketamine",
        "side_effect": "dizziness",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Reported in depression studies, mostly during and soon after an infusion.",
    },
    {
        "drug": "ketamine",
        "side_effect": "headache",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Reported in depression studies, usually on the day of the infusion.",
    },
    {
        "drug": "ketamine",
        "side_effect": "drowsiness",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Common during the recovery time after an infusion, while staff watch you.",
    },
    {
        "drug": "ketamine",
        "side_effect": "nausea",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Nausea and vomiting can happen during or after an infusion.",
    },
    {
        "drug": "ketamine",
        "side_effect": "dissociation",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Expected during an infusion, which is given in a clinic where staff can watch "
            "you. It usually clears within about 2 hours."
        ),
    },
    {
        "drug": "ketamine",
        "side_effect": "perception-changes",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "When ketamine is used for anaesthesia, about 12 in 100 people have vivid, "
            "dreamlike experiences while waking up, sometimes with hallucinations or "
            "confusion. Blurred vision and seeing two of things have also been reported."
        ),
    },
    {
        "drug": "ketamine",
        "side_effect": "very-high-blood-pressure",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Ketamine pushes up blood pressure and heart rate for a while; staff check "
            "them during and after the infusion."
        ),
    },
    {
        "drug": "ketamine",
        "side_effect": "trouble-breathing",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Slowed breathing is a known risk; staff watch your breathing during and after "
            "the infusion."
        ),
    },
    # Esketamine
    {
        "drug": "esketamine",
        "side_effect": "dissociation",
        "frequency": "very_common",
        "label_percent": 41,
        "notes": (
            "About 9 in 100 on placebo. The label has a boxed warning about it. The clinic "
            "watches you for at least 2 hours after the spray, until you are ready to "
            "leave."
        ),
    },
    {
        "drug": "esketamine",
        "side_effect": "dizziness",
        "frequency": "very_common",
        "label_percent": 29,
        "notes": "About 8 in 100 on placebo. Usually strongest in the first hour after the spray.",
    },
    {
        "drug": "esketamine",
        "side_effect": "nausea",
        "frequency": "very_common",
        "label_percent": 28,
        "notes": "About 9 in 100 on placebo. Usually settles within about 2 hours of the spray.",
    },
    {
        "drug": "esketamine",
        "side_effect": "drowsiness",
        "frequency": "very_common",
        "label_percent": 23,
        "notes": (
            "About 9 in 100 on placebo. The label has a boxed warning about sedation. It "
            "peaks around 30 to 40 minutes and usually settles within about 1.5 to 2 hours. "
            "No driving until the next day, after a good night's sleep."
        ),
    },
    {
        "drug": "esketamine",
        "side_effect": "headache",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Reported in trials about as often as with placebo (a dummy treatment).",
    },
    {
        "drug": "esketamine",
        "side_effect": "constipation",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Reported in trials.",
    },
    {
        "drug": "esketamine",
        "side_effect": "perception-changes",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "When trial participants were checked with a questionnaire, about 6 to 7 in 10 "
            "had some dissociative or perception change, such as a changed sense of time "
            "or space, or illusions."
        ),
    },
    {
        "drug": "esketamine",
        "side_effect": "very-high-blood-pressure",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Blood pressure often goes up for a while after the spray. The clinic checks "
            "it before the spray and again at about 40 minutes."
        ),
    },
    {
        "drug": "esketamine",
        "side_effect": "trouble-breathing",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Slowed breathing is part of the label's boxed warning. Staff watch you after "
            "every session."
        ),
    },
    {
        "drug": "esketamine",
        "side_effect": "suicidal-thoughts",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "The label has a boxed warning about suicidal thoughts. Depression itself can "
            "also bring them."
        ),
    },
    # Memantine
    {
        "drug": "memantine",
        "side_effect": "dizziness",
        "frequency": "common",
        "label_percent": 7,
        "notes": "About 5 in 100 on placebo.",
    },
    {
        "drug": "memantine",
        "side_effect": "headache",
        "frequency": "common",
        "label_percent": 6,
        "notes": "About 3 in 100 on placebo.",
    },
    {
        "drug": "memantine",
        "side_effect": "drowsiness",
        "frequency": "common",
        "label_percent": 3,
        "notes": "Reported as sleepiness in trials.",
    },
    {
        "drug": "memantine",
        "side_effect": "nausea",
        "frequency": "common",
        "label_percent": 3,
        "notes": "The figure is for vomiting.",
    },
    {
        "drug": "memantine",
        "side_effect": "constipation",
        "frequency": "common",
        "label_percent": 5,
        "notes": "About 3 in 100 on placebo.",
    },
    {
        "drug": "memantine",
        "side_effect": "hallucinations",
        "frequency": "common",
        "label_percent": 3,
        "notes": (
            "In someone with dementia, a caregiver is often the first to notice. New "
            "hallucinations are a reason to contact the prescriber the same day."
        ),
    },
    {
        "drug": "memantine",
        "side_effect": "severe-confusion",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Confusion of any degree was reported by about 6 in 100 people on memantine "
            "and 5 in 100 on placebo. New or sudden severe confusion needs a call to the "
            "prescriber the same day."
        ),
    },
    # Lamotrigine
    {
        "drug": "lamotrigine",
        "side_effect": "headache",
        "frequency": "very_common",
        "label_percent": 25,
        "notes": "Figure from bipolar disorder trials.",
    },
    {
        "drug": "lamotrigine",
        "side_effect": "skin-rash",
        "frequency": "very_common",
        "label_percent": 11,
        "notes": (
            "Figure from bipolar disorder trials; most of these rashes were not serious. "
            "Serious rashes (such as Stevens-Johnson syndrome) are rare: about 1 to 3 in "
            "1,000 adults and 3 to 8 in 1,000 children. Nearly all begin 2 to 8 weeks "
            "after starting. The label has a boxed warning about them."
        ),
    },
    {
        "drug": "lamotrigine",
        "side_effect": "dizziness",
        "frequency": "very_common",
        "label_percent": 10,
        "notes": (
            "Figure from bipolar disorder trials. Unsteadiness and clumsiness (ataxia) are "
            "also listed on the label."
        ),
    },
    {
        "drug": "lamotrigine",
        "side_effect": "drowsiness",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Listed on the label.",
    },
    {
        "drug": "lamotrigine",
        "side_effect": "nausea",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Nausea and vomiting are both listed on the label.",
    },
    {
        "drug": "lamotrigine",
        "side_effect": "perception-changes",
        "frequency": "reported",
        "label_percent": None,
        "notes": "Blurred vision and seeing two of things are listed on the label.",
    },
    # Amantadine
    {
        "drug": "amantadine",
        "side_effect": "dizziness",
        "frequency": "common",
        "label_percent": None,
        "notes": (
            "Reported by 5 to 10 in 100 people on the immediate-release form, and by 16 in "
            "100 in trials of the extended-release form."
        ),
    },
    {
        "drug": "amantadine",
        "side_effect": "headache",
        "frequency": "common",
        "label_percent": None,
        "notes": "Reported by 1 to 5 in 100 people on the immediate-release form.",
    },
    {
        "drug": "amantadine",
        "side_effect": "drowsiness",
        "frequency": "common",
        "label_percent": None,
        "notes": (
            "Reported by 1 to 5 in 100 people on the immediate-release form. Falling "
            "asleep without warning during daily activities is a red flag."
        ),
    },
    {
        "drug": "amantadine",
        "side_effect": "nausea",
        "frequency": "common",
        "label_percent": None,
        "notes": "Reported by 5 to 10 in 100 people on the immediate-release form.",
    },
    {
        "drug": "amantadine",
        "side_effect": "constipation",
        "frequency": "common",
        "label_percent": None,
        "notes": (
            "Reported by 1 to 5 in 100 people on the immediate-release form, and by 13 in "
            "100 in trials of the extended-release form."
        ),
    },
    {
        "drug": "amantadine",
        "side_effect": "hallucinations",
        "frequency": "common",
        "label_percent": None,
        "notes": (
            "Reported by 1 to 5 in 100 people on the immediate-release form. More frequent "
            "with the extended-release form in trials: about 21 in 100."
        ),
    },
    {
        "drug": "amantadine",
        "side_effect": "fainting-on-standing",
        "frequency": "common",
        "label_percent": None,
        "notes": (
            "Reported by 1 to 5 in 100 people on the immediate-release form, and by 13 in "
            "100 in trials of the extended-release form, where falls were also reported."
        ),
    },
    {
        "drug": "amantadine",
        "side_effect": "severe-confusion",
        "frequency": "reported",
        "label_percent": None,
        "notes": (
            "Confusion of any degree was reported by 1 to 5 in 100 people. Confusion with "
            "a fever or stiff muscles is a red flag."
        ),
    },
]

VERY_SEVERE = 4
SEVERE = 3

_CLINIC_OR_EMERGENCY = (
    "If you are still at the clinic, tell the staff now. If you have left, call your local "
    "emergency number now, or ask the person with you to call."
)

# A rule is (side effect, drug, minimum severity); None means "any".
RED_FLAGS = [
    # Any drug
    {
        "side_effect": "suicidal-thoughts",
        "drug": None,
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "Thoughts of hurting or killing yourself, of death, or of not wanting to be "
            "alive, or making plans to act on them."
        ),
        "guidance": (
            "Call your local emergency number now, or go to the nearest emergency "
            "department. You can also call or text a crisis line, such as 988 in the US, "
            "at any hour. Don't stay alone: ask someone you trust to be with you. Then let "
            "your prescriber know."
        ),
    },
    {
        "side_effect": "trouble-breathing",
        "drug": None,
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "Slow, shallow or noisy breathing; struggling for breath; lips or fingertips "
            "turning blue or grey; or someone who is breathing poorly and very hard to "
            "wake."
        ),
        "guidance": (
            "Call your local emergency number now. If you are still at the clinic, tell the "
            "staff straight away. If you are with someone who is breathing poorly and "
            "can't be woken, call for help and stay with them."
        ),
    },
    {
        "side_effect": "face-or-throat-swelling",
        "drug": None,
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "Swelling of the lips, tongue, face or throat, a tight throat, or trouble "
            "swallowing or breathing, with or without hives."
        ),
        "guidance": (
            "Call your local emergency number now: this can be a severe allergic reaction. "
            "Sit upright while you wait. Tell your prescriber afterwards."
        ),
    },
    {
        "side_effect": None,
        "drug": None,
        "min_severity": VERY_SEVERE,
        "action": "prescriber_today",
        "signs": "Any symptom you rate as Very severe.",
        "guidance": (
            "Contact your prescriber today and tell them what is happening. Call your "
            "local emergency number if it is getting worse or you feel unsafe. If you are "
            "at the clinic, tell the staff now."
        ),
    },
    {
        "side_effect": None,
        "drug": None,
        "min_severity": SEVERE,
        "action": "next_visit",
        "signs": "Any symptom you rate as Severe.",
        "guidance": (
            "Mention it at your next visit, and show your prescriber your Sidelog entries. "
            "If it worries you or keeps coming back, contact your prescriber sooner."
        ),
    },
    # Ketamine and esketamine
    {
        "side_effect": "very-high-blood-pressure",
        "drug": "esketamine",
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "After a session: a sudden severe headache, chest pain, a pounding or racing "
            "heartbeat, blurred vision or confusion; or a very high reading on a blood "
            "pressure monitor."
        ),
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "very-high-blood-pressure",
        "drug": "ketamine",
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "After a session: a sudden severe headache, chest pain, a pounding or racing "
            "heartbeat, blurred vision or confusion; or a very high reading on a blood "
            "pressure monitor."
        ),
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "drowsiness",
        "drug": "esketamine",
        "min_severity": SEVERE,
        "action": "emergency",
        "signs": "You can't stay awake, are very hard to wake, or feel about to pass out.",
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "drowsiness",
        "drug": "ketamine",
        "min_severity": SEVERE,
        "action": "emergency",
        "signs": "You can't stay awake, are very hard to wake, or feel about to pass out.",
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "severe-confusion",
        "drug": "esketamine",
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "Severe confusion after a session, not knowing where you are, or confusion "
            "with a severe headache or chest pain."
        ),
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "severe-confusion",
        "drug": "ketamine",
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "Severe confusion after a session, not knowing where you are, or confusion "
            "with a severe headache or chest pain."
        ),
        "guidance": _CLINIC_OR_EMERGENCY,
    },
    {
        "side_effect": "dissociation",
        "drug": "esketamine",
        "min_severity": VERY_SEVERE,
        "action": "prescriber_today",
        "signs": (
            "Feeling extremely detached or unreal, feeling frightened by it, or still "
            "feeling this way hours after the session."
        ),
        "guidance": (
            "If you are at the clinic, tell the staff now. If you have left, call the "
            "clinic or your prescriber today. Call your local emergency number if it is "
            "getting worse or you feel unsafe."
        ),
    },
    {
        "side_effect": "dissociation",
        "drug": "ketamine",
        "min_severity": VERY_SEVERE,
        "action": "prescriber_today",
        "signs": (
            "Feeling extremely detached or unreal, feeling frightened by it, or still "
            "feeling this way hours after the session."
        ),
        "guidance": (
            "If you are at the clinic, tell the staff now. If you have left, call the "
            "clinic or your prescriber today. Call your local emergency number if it is "
            "getting worse or you feel unsafe."
        ),
    },
    # Lamotrigine
    {
        "side_effect": "skin-rash",
        "drug": "lamotrigine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": (
            "Any new rash, hives or red skin, especially 2 to 8 weeks after starting. "
            "Danger signs: blistering or peeling skin, sores in the mouth or eyes, a fever "
            "with swollen glands, or a swollen face."
        ),
        "guidance": (
            "Contact your prescriber right away, today, even if the rash looks mild: only "
            "they can tell whether it is serious. Call your local emergency number now if "
            "there is blistering or peeling, sores in the mouth or eyes, a fever with "
            "swollen glands, or swelling of the face."
        ),
    },
    {
        "side_effect": "headache",
        "drug": "lamotrigine",
        "min_severity": SEVERE,
        "action": "prescriber_today",
        "signs": "A severe headache with a stiff neck, a fever, or eyes that hurt in bright light.",
        "guidance": (
            "If a severe headache comes with any of these signs, contact your prescriber "
            "right away, today. Call your local emergency number if you feel very unwell, "
            "confused or very drowsy, or it is getting worse."
        ),
    },
    # Amantadine
    {
        "side_effect": "hallucinations",
        "drug": "amantadine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": (
            "Seeing, hearing or feeling things that are not there, or new suspicion or fear "
            "of other people (paranoia)."
        ),
        "guidance": (
            "Contact the prescriber today; a caregiver can make the call. If the person "
            "may harm themselves or others, call your local emergency number now."
        ),
    },
    {
        "side_effect": "fainting-on-standing",
        "drug": "amantadine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": "Fainting, nearly fainting, or falling when you stand up.",
        "guidance": (
            "Contact your prescriber today. If you hit your head, are hurt, or can't get "
            "up, call your local emergency number."
        ),
    },
    {
        "side_effect": "drowsiness",
        "drug": "amantadine",
        "min_severity": SEVERE,
        "action": "prescriber_today",
        "signs": (
            "Falling asleep without warning during everyday activities, such as talking, "
            "eating or driving."
        ),
        "guidance": (
            "Contact your prescriber today. Don't drive or use machines until you have "
            "spoken with them."
        ),
    },
    {
        "side_effect": "severe-confusion",
        "drug": "amantadine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": "New or worsening confusion, or confusion with a fever or stiff muscles.",
        "guidance": (
            "Contact the prescriber today; a caregiver can make the call. If there is a "
            "high fever with stiff muscles, or the person is very hard to wake, call your "
            "local emergency number now."
        ),
    },
    {
        "side_effect": "compulsive-urges",
        "drug": "amantadine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": (
            "New, strong urges that are hard to resist, such as gambling, spending, eating or sex."
        ),
        "guidance": (
            "Contact your prescriber today. It can help to ask a family member to make the "
            "call with you."
        ),
    },
    # Memantine
    {
        "side_effect": "seizure",
        "drug": "memantine",
        "min_severity": None,
        "action": "emergency",
        "signs": (
            "A seizure: sudden shaking or jerking, going stiff, or a spell of staring "
            "without responding."
        ),
        "guidance": (
            "Call your local emergency number now. Stay with the person, keep them safe "
            "from injury and time the seizure. Tell the prescriber afterwards."
        ),
    },
    {
        "side_effect": "severe-confusion",
        "drug": "memantine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": "New or sudden severe confusion, or a sudden change in behaviour or alertness.",
        "guidance": (
            "Contact the prescriber today; a caregiver can make the call. If it comes on "
            "suddenly with weakness, trouble speaking, or the person can't be woken, call "
            "your local emergency number now."
        ),
    },
    {
        "side_effect": "hallucinations",
        "drug": "memantine",
        "min_severity": None,
        "action": "prescriber_today",
        "signs": "New hallucinations: seeing or hearing things that are not there.",
        "guidance": (
            "Contact the prescriber today; a caregiver can make the call. If the person "
            "may harm themselves or others, call your local emergency number now."
        ),
    },
]


def _red_flag_rule(flag, side_effects, drugs):
    return {
        "side_effect": side_effects[flag["side_effect"]] if flag["side_effect"] else None,
        "drug": drugs[flag["drug"]] if flag["drug"] else None,
        "min_severity": flag["min_severity"],
    }


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Drug = apps.get_model("reference", "Drug")
    SideEffect = apps.get_model("reference", "SideEffect")
    DrugSideEffect = apps.get_model("reference", "DrugSideEffect")
    RedFlag = apps.get_model("reference", "RedFlag")

    drugs = {}
    for data in DRUGS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        drugs[data["slug"]], _ = Drug.objects.using(db).update_or_create(
            slug=data["slug"], defaults={**fields, "is_published": True}
        )

    side_effects = {}
    for data in SIDE_EFFECTS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        side_effects[data["slug"]], _ = SideEffect.objects.using(db).update_or_create(
            slug=data["slug"], defaults={**fields, "is_published": True}
        )

    for link in DRUG_SIDE_EFFECTS:
        percent = link["label_percent"]
        DrugSideEffect.objects.using(db).update_or_create(
            drug=drugs[link["drug"]],
            side_effect=side_effects[link["side_effect"]],
            defaults={
                "frequency": link["frequency"],
                "label_percent": None if percent is None else Decimal(str(percent)),
                "notes": link["notes"],
            },
        )

    for flag in RED_FLAGS:
        RedFlag.objects.using(db).update_or_create(
            **_red_flag_rule(flag, side_effects, drugs),
            defaults={
                "action": flag["action"],
                "signs": flag["signs"],
                "guidance": flag["guidance"],
                "is_published": True,
            },
        )


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Drug = apps.get_model("reference", "Drug")
    SideEffect = apps.get_model("reference", "SideEffect")
    RedFlag = apps.get_model("reference", "RedFlag")

    # Rules on any drug and any symptom hang off no seeded row, so cascades miss them.
    for flag in RED_FLAGS:
        if flag["side_effect"] is None and flag["drug"] is None:
            RedFlag.objects.using(db).filter(
                side_effect__isnull=True, drug__isnull=True, min_severity=flag["min_severity"]
            ).delete()
    # Deleting these cascades to their links and to the other seeded red flags.
    Drug.objects.using(db).filter(slug__in=[data["slug"] for data in DRUGS]).delete()
    SideEffect.objects.using(db).filter(slug__in=[data["slug"] for data in SIDE_EFFECTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
