"""Measurement rules seeded from the labels and named public guidance.

What a blood pressure, pulse, oxygen saturation or temperature reading sends a patient to:
a very high blood pressure after a ketamine or esketamine dose (and on any drug), a fever
on lamotrigine, a low oxygen saturation, a very fast or very slow pulse. Each rule cites
its sources (document, section, revision as known); the text is Sidelog's own words and
sends people to a person, never to a dose change.

The sources were written from the documents as known when this was written, without a
fresh copy of each at hand: an editor should check the section numbers against the current
label on DailyMed and the guidance pages before changing a mark.
"""

from django.db import migrations

HOURS_AFTER_DOSE = 6  # esketamine's rise lasts about 4 hours (Spravato PI 5.7), with margin

SPRAVATO_BP = (
    "SPRAVATO (esketamine) nasal spray Prescribing Information, Janssen (revisions of "
    "2023–2025): 2.1 Important considerations before and during treatment, and 5.7 "
    "Increase in blood pressure (5.6 in the 2019 original): blood pressure is assessed "
    "before each dose (above 140 mmHg systolic or 90 mmHg diastolic given as elevated) and "
    "again at about 40 minutes, then as clinically warranted; the rise peaks about 40 "
    "minutes after the dose and lasts about 4 hours; patients with symptoms of a "
    "hypertensive crisis (e.g. chest pain, shortness of breath) or hypertensive "
    "encephalopathy (e.g. sudden severe headache, visual disturbances, seizures, "
    "diminished consciousness, focal neurological "
    "deficits) are referred immediately for emergency care. "
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Spravato"
)
KETALAR_BP = (
    "KETALAR (ketamine hydrochloride) injection Prescribing Information, Par Pharmaceutical "
    "(PLR-format revisions, 2017 and later): 4 Contraindications (patients in whom a "
    "significant rise in blood pressure would be a serious hazard); 5.1 Hemodynamic "
    "instability (rises in blood pressure, heart rate and cardiac output; vital signs "
    "monitored). The label sets no number for after a dose: the marks are the hypertensive "
    "crisis marks below. https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Ketalar"
)
AHA_CRISIS = (
    "American Heart Association, 'Hypertensive Crisis: When You Should Call 911 for High "
    "Blood Pressure' (heart.org, reviewed 2023–2024): a reading of 180/120 mmHg or higher, "
    "checked again after a short wait, is a hypertensive crisis; with chest pain, shortness "
    "of breath, back pain, numbness or weakness, vision changes or difficulty speaking, "
    "call 911; without them, contact your health care professional. "
    "https://www.heart.org/en/health-topics/high-blood-pressure/understanding-blood-"
    "pressure-readings/hypertensive-crisis-when-you-should-call-911-for-high-blood-pressure\n"
    "2017 ACC/AHA Guideline for the Prevention, Detection, Evaluation, and Management of "
    "High Blood Pressure in Adults (Whelton et al., Hypertension 2018;71:e13–e115), 11.2 "
    "Hypertensive crises: emergencies and urgencies (severe elevations, above 180/120 mmHg)."
)
LAMICTAL_FEVER = (
    "LAMICTAL (lamotrigine) Prescribing Information, GlaxoSmithKline (revisions of "
    "2021 and later): boxed warning and 5.1 Serious skin rashes; 5.2 Hemophagocytic "
    "lymphohistiocytosis (fever and rash were the most common first signs; patients with "
    "signs of immune activation are evaluated at once); 5.3 Multiorgan hypersensitivity reactions (DRESS), whose early signs "
    "such as fever and swollen lymph nodes can come without a rash. Medication Guide: call "
    "your healthcare provider right away for fever, swollen glands, rash or other signs "
    "listed. https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Lamictal\n"
    "FDA Drug Safety Communication, lamotrigine and hemophagocytic lymphohistiocytosis "
    "(HLH), 2018-04-25: https://www.fda.gov/Drugs/DrugSafety/ucm605470.htm\n"
    "NHS, 'High temperature (fever) in adults' (nhs.uk): a high temperature is 38 °C or "
    "above. https://www.nhs.uk/conditions/fever-in-adults/"
)
NHS_OXIMETRY = (
    "NHS England, pulse oximeter guidance for patients at home (COVID Oximetry @home, "
    "2020–2021, and nhs.uk 'How to use a pulse oximeter'): 95% or above is usual; 93% or "
    "94% (or lower than your usual): get urgent advice from a GP or NHS 111; 92% or lower, "
    "or very short of breath, blue lips or face, confused or very drowsy: go to A&E or call "
    "999. https://www.england.nhs.uk/nhs-at-home/covid-oximetry-at-home/\n"
    "FDA Safety Communication, 'Pulse oximeter accuracy and limitations', 2021-02-19: "
    "readings can be less accurate on darker skin, cold hands or nail polish; go by how "
    "you feel as well as the number."
)
RESPIRATORY = (
    "SPRAVATO PI, boxed warning and 5.3 Respiratory depression (revisions of 2023 and "
    "later); KETALAR PI 5.3 Respiratory depression: breathing is watched after a dose."
)
NEWS2_PULSE = (
    "Royal College of Physicians, National Early Warning Score (NEWS) 2, December 2017, "
    "chart 1: a pulse of 131 or more, or 40 or less, scores 3 on its own (an urgent "
    "clinical review); 111–130 scores 2 and 41–50 scores 1. "
    "https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/\n"
    "NHS, 'Heart palpitations' (nhs.uk): call 999 with palpitations and chest pain, "
    "shortness of breath or fainting. https://www.nhs.uk/conditions/heart-palpitations/\n"
    "American Heart Association, 'All about heart rate (pulse)': a usual resting pulse is "
    "60 to 100 beats a minute."
)

BP_SIGNS = (
    "chest pain; back pain; shortness of breath; a sudden, severe headache; changes in your vision; "
    "a seizure; confusion, or being hard to wake; numbness or weakness in the face, an arm "
    "or a leg, or trouble speaking."
)
BP_REPEAT = (
    "Sit and rest for 5 minutes, then take a repeat reading. Contact your prescriber or "
    "clinic today and tell them both readings, even if the second one is lower. If you are "
    "still at the clinic, tell the staff now. Call {emergency_number} if any of these "
    "start: "
)
BP_EMERGENCY = (
    "If you are still at the clinic, tell the staff now. If you have left, call "
    "{emergency_number} now, or ask someone with you to call. Tell your prescriber "
    "afterwards."
)
OXYGEN_SIGNS = (
    "so short of breath you can't finish a short sentence; lips, face or fingertips "
    "turning blue or grey; slow or shallow breathing; new confusion, or being very drowsy "
    "or hard to wake; chest pain."
)
PULSE_SIGNS = (
    "chest pain or tightness; shortness of breath; fainting or nearly fainting; "
    "new confusion; a heartbeat that feels irregular as well as fast or slow."
)


def _bp_rules(drug, label, name, within):
    when = f" within {within} hours after a {name} dose" if within else ""
    source = f"{label}\n{AHA_CRISIS}" if label else AHA_CRISIS
    return [
        {
            "kind": "blood_pressure", "drug": drug, "at_or_above": 180, "diastolic_at_or_above": 120,
            "needs_warning_signs": True, "within_hours_of_dose": within, "action": "emergency",
            "signs": f"Blood pressure of 180/120 or higher (either number){when}, with any of: {BP_SIGNS}",
            "guidance": BP_EMERGENCY,
            "sources": source,
        },
        {
            "kind": "blood_pressure", "drug": drug, "at_or_above": 180, "diastolic_at_or_above": 120,
            "needs_warning_signs": False, "within_hours_of_dose": within, "action": "prescriber_today",
            "signs": f"Blood pressure of 180/120 or higher (either number){when}, without warning signs.",
            "guidance": BP_REPEAT + BP_SIGNS,
            "sources": source,
        },
    ]


RULES = [
    *_bp_rules("esketamine", SPRAVATO_BP, "esketamine", HOURS_AFTER_DOSE),
    *_bp_rules("ketamine", KETALAR_BP, "ketamine", HOURS_AFTER_DOSE),
    *_bp_rules(None, None, None, None),
    {
        "kind": "body_temperature", "drug": "lamotrigine", "at_or_above": 38,
        "needs_warning_signs": False, "action": "prescriber_today",
        "signs": "A temperature of 38 °C (100.4 °F) or higher while you take lamotrigine, with or without a rash.",
        "guidance": (
            "Contact your prescriber today, or another doctor if you can't reach them, and "
            "say that you take lamotrigine: on lamotrigine a fever can be the first sign of "
            "a rare but serious reaction, even without a rash. Call {emergency_number} if "
            "you have blistering or peeling skin, sores in the mouth or eyes, swelling of "
            "the face or throat, trouble breathing, or a seizure."
        ),
        "sources": LAMICTAL_FEVER,
    },
    {
        "kind": "oxygen_saturation", "drug": None, "below": 93,
        "needs_warning_signs": False, "action": "emergency",
        "signs": "An oxygen level of 92% or lower on a pulse oximeter.",
        "guidance": (
            "Call {emergency_number} now, or go to the nearest emergency department. If "
            "you are still at the clinic, tell the staff now. Tell your prescriber "
            "afterwards."
        ),
        "sources": NHS_OXIMETRY + "\n" + RESPIRATORY,
    },
    {
        "kind": "oxygen_saturation", "drug": None, "below": 95,
        "needs_warning_signs": True, "action": "emergency",
        "signs": f"An oxygen level of 94% or lower, with any of: {OXYGEN_SIGNS}",
        "guidance": (
            "Call {emergency_number} now, or ask someone with you to call. If you are "
            "still at the clinic, tell the staff now."
        ),
        "sources": NHS_OXIMETRY + "\n" + RESPIRATORY,
    },
    {
        "kind": "oxygen_saturation", "drug": None, "below": 95,
        "needs_warning_signs": False, "action": "prescriber_today",
        "signs": "An oxygen level of 93% or 94% on a pulse oximeter, without warning signs.",
        "guidance": (
            "Warm your hands, sit still and measure again after a few minutes. If it is "
            "still 94% or lower, get medical advice within the hour: contact your "
            "prescriber or doctor, or an urgent medical advice line. Call "
            "{emergency_number} if it falls to 92% or lower, or if any of these start: "
        ) + OXYGEN_SIGNS,
        "sources": NHS_OXIMETRY,
    },
    {
        "kind": "heart_rate", "drug": None, "at_or_above": 111, "below": 51,
        "needs_warning_signs": True, "action": "emergency",
        "signs": f"A pulse of 111 or more, or 50 or less, with any of: {PULSE_SIGNS}",
        "guidance": (
            "Call {emergency_number} now, or ask someone with you to call. If you are "
            "still at the clinic, tell the staff now. Tell your prescriber afterwards."
        ),
        "sources": NEWS2_PULSE,
    },
    {
        "kind": "heart_rate", "drug": None, "at_or_above": 131, "below": 41,
        "needs_warning_signs": False, "action": "prescriber_today",
        "signs": "A pulse of 131 or more, or 40 or less, while sitting still, without warning signs.",
        "guidance": (
            "Sit quietly for 5 minutes and measure your pulse again. If it is still 131 "
            "or more, or 40 or less, contact your prescriber or doctor today, or an urgent "
            "medical advice line. Call {emergency_number} if any of these start: "
        ) + PULSE_SIGNS,
        "sources": NEWS2_PULSE,
    },
]

MARKS = ("at_or_above", "diastolic_at_or_above", "below")


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Drug = apps.get_model("reference", "Drug")
    MeasurementRule = apps.get_model("reference", "MeasurementRule")
    drugs = {drug.slug: drug for drug in Drug.objects.using(db).all()}
    for data in RULES:
        MeasurementRule.objects.using(db).create(
            kind=data["kind"],
            drug=drugs[data["drug"]] if data["drug"] else None,
            **{mark: data.get(mark) for mark in MARKS},
            needs_warning_signs=data["needs_warning_signs"],
            within_hours_of_dose=data.get("within_hours_of_dose"),
            action=data["action"],
            signs=data["signs"],
            guidance=data["guidance"],
            sources=data["sources"],
            is_published=True,
        )


def backwards(apps, schema_editor):
    MeasurementRule = apps.get_model("reference", "MeasurementRule")
    signs = [data["signs"] for data in RULES]
    MeasurementRule.objects.using(schema_editor.connection.alias).filter(signs__in=signs).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0006_measurement_rules"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
