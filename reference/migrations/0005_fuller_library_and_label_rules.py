"""A fuller library and red flags that follow the labels.

Fourteen more symptoms (with the words people type for them), danger signs that make a
symptom more urgent, red-flag rules checked against the prescribing information and
Medication Guides with their sources, emergency and crisis numbers as placeholders filled
in for each patient's country, and corrections to the first content. A frozen snapshot of
plain data, written through historical models like 0002.

Sources are cited on every rule (`sources`). Where a label fact could not be confirmed
from a retrieved copy of the current label, it was left out (RxNorm codes other than
lamotrigine's stay empty).
"""

from decimal import Decimal

from django.db import migrations

SEVERE = 3
VERY_SEVERE = 4
WITHIN_HOURS = 6  # esketamine's blood-pressure rise lasts about 4 hours (Spravato PI)

# Sources, cited by rules below.
SPRAVATO_PI = (
    "SPRAVATO (esketamine) Prescribing Information, Janssen: boxed warning; W&P Increase in "
    "Blood Pressure (5.7; 5.6 in 2019); Ulcerative or Interstitial Cystitis; Medication Guide. "
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Esketamine ; 2021 brief summary "
    "https://www.usmedicine.com/2021online-dir/inc/html/33.html"
)
KETALAR_PI = (
    "KETALAR (ketamine) Prescribing Information: W&P 5.1 Hemodynamic Instability, 5.2 Emergence "
    "Reactions, 5.3 Respiratory Depression, 5.6 Drug-Induced Liver Injury; 6 Adverse "
    "Reactions, Renal and urinary disorders. "
    "https://drugcentral.org/label/9f675d38-d02f-455c-bc99-bac5924f5054/view"
)
LAMICTAL_BOXED = (
    "LAMICTAL (lamotrigine) Prescribing Information: boxed warning, serious skin rashes; "
    "W&P 5.1. https://api.fda.gov/drug/label.json?search=set_id%3A%22dc6e6735-d49a-44d8-936d-"
    "7c33437bc59e%22"
)
LAMICTAL_HLH = (
    "FDA Drug Safety Communication, lamotrigine and HLH, 2018-04-25 (LAMICTAL PI W&P 5.2): "
    "https://www.fda.gov/Drugs/DrugSafety/ucm605470.htm"
)
LAMICTAL_DRESS = (
    "LAMICTAL PI W&P, Multiorgan hypersensitivity reactions (DRESS): early signs rash, fever, "
    "swollen lymph nodes. https://docslib.org/doc/9768732"
)
LAMICTAL_MENINGITIS = (
    "FDA Drug Safety Podcast, lamotrigine and aseptic meningitis, August 2010 (LAMICTAL PI "
    "W&P, Aseptic meningitis): http://www.fda.gov/Drugs/DrugSafety/DrugSafetyPodcasts/"
    "ucm222620.htm"
)
LAMICTAL_HEART = (
    "FDA Drug Safety Communication, lamotrigine heart rhythm problems, 2021-03-31 (LAMICTAL PI "
    "W&P, Cardiac rhythm and conduction abnormalities, October 2020): https://www.fda.gov/drugs/"
    "drug-safety-and-availability/studies-show-increased-risk-heart-rhythm-problems-seizure-"
    "and-mental-health-medicine-lamotrigine"
)
LAMICTAL_MOOD = (
    "LAMICTAL PI W&P, Suicidal behavior and ideation; bipolar clinical worsening. "
    "https://ro.scribd.com/document/263567741/Lamictal-Pi-Mg-Combined"
)
GOCOVRI_PI = (
    "GOCOVRI (amantadine extended release) Prescribing Information: Adverse Reactions table "
    "(pooled studies 1 and 2); W&P falling asleep during activities, suicidality and "
    "depression, hallucinations, dizziness and orthostatic hypotension, withdrawal-emergent "
    "hyperpyrexia and confusion, impulse control. https://www.gocovrihcp.com/safety/ ; "
    "https://globalrph.com/rx-list/gocovri-drug"
)
AMANTADINE_IR = (
    "Amantadine hydrochloride (immediate release) label: Adverse Reactions; Precautions "
    "(congestive heart failure and peripheral edema, seizures, neuroleptic malignant "
    "syndrome). https://globalrph.com/rx-list/symmetrel-drug"
)
NAMENDA_PI = (
    "NAMENDA / NAMENDA XR (memantine) Prescribing Information: W&P 5.2 Seizures; Adverse "
    "Reactions tables. http://www.120ty.net/bencandy.php?aid=44539&fid=134&page=3 ; "
    "http://www.namenda.com/side-effects.aspx"
)
GENERAL_EMERGENCY = (
    "General emergency guidance: chest pain, trouble breathing, swelling of the face or "
    "throat, a seizure or a sudden worst-ever headache need emergency services whatever the "
    "medicine (e.g. NHS 'When to call 999', https://www.nhs.uk/nhs-services/urgent-and-"
    "emergency-care-services/when-to-call-999/)."
)
SIDELOG_SCALE = "Sidelog's own rule for the 0–4 severity scale (reference-facts, 'any drug')."

_CLINIC_OR_EMERGENCY = (
    "If you are still at the clinic, tell the staff now. If you have left, call "
    "{emergency_number} now, or ask the person with you to call."
)
_EMERGENCY = "Call {emergency_number} now, or ask someone with you to call. Tell your prescriber afterwards."

# The existing seventeen: the words people type for them, and their danger signs.
SYNONYMS = {
    "dizziness": "dizzy\nlight-headed\nlightheaded\nunsteady\nwoozy\nroom spinning\nvertigo\noff balance",
    "headache": "head ache\nhead pain\nheadaches\nmigraine\npressure in my head\nhead pounding",
    "drowsiness": "drowsy\nsleepy\nsedated\nsedation\ngroggy\nfoggy\ncan't stay awake\nhard to wake\nexhausted",
    "nausea": "nauseous\nnausea\nqueasy\nvomiting\nvomited\nthrew up\nthrowing up\nbeing sick",
    "constipation": "constipated\ncan't poo\nhard stools\nbunged up",
    "dissociation": "dissociated\ndissociating\ndetached\nunreal\nout of body\nfloating\nderealisation\nderealization\ndepersonalisation\ndepersonalization\nspaced out",
    "perception-changes": "blurred vision\nblurry vision\ndouble vision\ndistorted vision\ntime slowed\nsounds too loud\ncolours brighter",
    "skin-rash": "rash\nhives\nitchy skin\nred spots\nspots on skin\nwelts\nred skin\nskin redness",
    "suicidal-thoughts": "suicidal\nsuicide\nwant to die\nkill myself\nend my life\nharm myself\nhurt myself\nself harm\nnot want to be alive",
    "trouble-breathing": "can't breathe\nshort of breath\nshortness of breath\nbreathless\nbreathing slow\nshallow breathing\ngasping\nwheezing\nstruggling to breathe",
    "very-high-blood-pressure": "high blood pressure\nhypertension\nblood pressure high\nhigh bp",
    "hallucinations": "hallucinating\nhallucination\nseeing things\nhearing voices\nhearing things\nparanoid\nparanoia",
    "fainting-on-standing": "faint\nfainted\nfainting\npassed out\nblacked out\nnearly fainted\nlight-headed when standing",
    "face-or-throat-swelling": "swollen face\nswollen lips\nswollen lip\nswollen tongue\nswollen throat\nthroat closing\nthroat tight\nface swelling",
    "seizure": "seizure\nseizures\nconvulsion\nconvulsions\nconvulsing\nepileptic attack",
    "severe-confusion": "confused\nconfusion\ndisoriented\ndisorientated\ndelirious\ndon't know where I am",
    "compulsive-urges": "gambling\nurge to gamble\ncompulsive shopping\nbinge eating\nstrong urges",
}

NEW_SIDE_EFFECTS = [
    {
        "name": "Fever or flu-like illness",
        "slug": "fever",
        "category": "serious",
        "description": (
            "A raised temperature (38 °C / 100.4 °F or more), or feeling hot and cold, "
            "shivery, achy and unwell as with flu."
        ),
        "typical_course": (
            "Usually an infection, which comes and goes within days. On lamotrigine a "
            "fever can be the first sign of a rare but serious reaction, most often in the "
            "first weeks; on amantadine a high fever with stiff muscles or confusion is a "
            "warning sign."
        ),
        "self_care": (
            "Rest, drink plenty of fluids and check your temperature. Note it in Sidelog "
            "with the time and the reading, and look at the warning signs below."
        ),
        "synonyms": "fever\nhigh temperature\ntemperature\nfeverish\nchills\nshivering\nflu-like\nflu like symptoms\nhot and cold\nnight sweats",
    },
    {
        "name": "Swollen glands",
        "slug": "swollen-glands",
        "category": "serious",
        "description": (
            "Tender or swollen lumps under the skin of the neck, under the jaw, in the "
            "armpits or in the groin: the lymph glands."
        ),
        "typical_course": (
            "Glands often swell for a week or two with a cold or sore throat. Swollen glands "
            "with a fever or rash soon after starting lamotrigine are different: see the red "
            "flags."
        ),
        "self_care": "Rest and drink fluids. Note where they are and whether you also have a fever or rash.",
        "synonyms": "swollen glands\nswollen lymph nodes\nlymph nodes\nlump in neck\nlumps in neck\nlump in armpit\nglands up",
    },
    {
        "name": "Sores or blisters in the mouth, eyes or genitals",
        "slug": "mouth-sores",
        "category": "serious",
        "description": (
            "Painful sores, ulcers or blisters inside the mouth or on the lips, sore red "
            "eyes, or sores on the genitals."
        ),
        "typical_course": (
            "A single mouth ulcer usually heals within two weeks. Sores in several places, "
            "especially with a rash or fever, can be the start of a serious skin reaction."
        ),
        "self_care": (
            "Soft, cool food and a gentle mouthwash can ease a sore mouth. Note where the "
            "sores are and whether you also have a rash or fever."
        ),
        "synonyms": "mouth sores\nmouth ulcers\nmouth ulcer\nsore mouth\nblisters in mouth\nblisters on lips\nlip blisters\nblister in cheek\nulcer on tongue\nsore tongue\nsore eyes\neye sores\ngenital sores\nulcers",
    },
    {
        "name": "Peeling or blistering skin",
        "slug": "peeling-skin",
        "category": "serious",
        "description": (
            "Skin that blisters, peels or comes away in sheets, often after it turned red, "
            "dusky or painful."
        ),
        "typical_course": (
            "Blistering and peeling that spread over hours or days are a medical emergency: "
            "they can be a severe reaction to a medicine."
        ),
        "self_care": "Don't burst blisters. Get help as the red flags say.",
        "synonyms": "peeling skin\nskin peeling\nblisters\nblistering\nblistering skin\nskin coming off\nskin blistering",
    },
    {
        "name": "Yellow skin or eyes",
        "slug": "yellow-skin",
        "category": "serious",
        "description": (
            "The skin or the whites of the eyes turning yellow (jaundice), sometimes with "
            "dark urine, pale stools or itching."
        ),
        "typical_course": "It comes from the liver and does not pass on its own without a cause being found.",
        "self_care": "Note when you first noticed it and anything else you feel, such as pain in your belly.",
        "synonyms": "yellow skin\nyellow eyes\njaundice\njaundiced\nyellowing\ndark urine\npale stools",
    },
    {
        "name": "Painful, urgent or bloody urination",
        "slug": "urinary-symptoms",
        "category": "serious",
        "description": (
            "Pain or burning when passing urine, needing to go often or urgently, leaking, "
            "blood in the urine, or pain low in the belly over the bladder."
        ),
        "typical_course": (
            "Often an infection. With ketamine or esketamine, bladder symptoms can build up "
            "over weeks or months and should be checked."
        ),
        "self_care": "Drink water through the day and note how often you go and whether there is blood.",
        "synonyms": "painful urination\npainful peeing\npain peeing\nburning pee\nburning urine\nblood in urine\nblood in pee\nbloody urine\nfrequent urination\npeeing often\nurinating often\nbladder pain\ncystitis\ncan't hold urine",
    },
    {
        "name": "Chest pain",
        "slug": "chest-pain",
        "category": "serious",
        "description": "Pain, pressure, tightness or squeezing in the chest, which may spread to the arm, neck, jaw or back.",
        "typical_course": "Chest pain is never one to wait and see about: see the red flags.",
        "self_care": "Stop what you are doing, sit down and get help as the red flags say.",
        "synonyms": "chest pain\nchest pains\nchest tightness\ntight chest\nchest pressure\npain in chest",
    },
    {
        "name": "Racing, pounding or irregular heartbeat",
        "slug": "racing-heartbeat",
        "category": "serious",
        "description": (
            "Feeling your heart beat fast, hard, unevenly or skip beats (palpitations), or "
            "an unusually slow heartbeat."
        ),
        "typical_course": (
            "A racing heart can come with anxiety or right after a ketamine or esketamine "
            "session, and usually settles within hours. One that keeps coming back, or comes "
            "with chest pain, breathlessness or fainting, needs a doctor."
        ),
        "self_care": "Sit down and breathe slowly. If you have a monitor, note your pulse and blood pressure.",
        "synonyms": "palpitations\nracing heart\nheart racing\npounding heart\nheart pounding\npounding heartbeat\nracing heartbeat\nirregular heartbeat\nskipped beats\nheart fluttering\nfast heartbeat\nslow heartbeat",
    },
    {
        "name": "Worsening depression, agitation or mania",
        "slug": "worsening-mood",
        "category": "serious",
        "description": (
            "Mood getting lower, or new or worse anxiety, panic, restlessness, irritability, "
            "anger or aggression; or feeling unusually high, full of energy, needing little "
            "sleep, with racing thoughts (mania)."
        ),
        "typical_course": (
            "Changes in mood matter most soon after starting a medicine or after the "
            "prescriber changes the treatment."
        ),
        "self_care": (
            "Tell someone you trust how you feel and keep a note of your sleep. If you have "
            "thoughts of harming yourself, use the crisis numbers in the red flag."
        ),
        "synonyms": "worse depression\ndepressed\nlow mood\nmood worse\nagitated\nagitation\nrestless\nirritable\npanic attacks\nmanic\nmania\nracing thoughts\naggressive\nangry",
    },
    {
        "name": "Stiff neck",
        "slug": "stiff-neck",
        "category": "serious",
        "description": "A neck that is stiff or painful to bend forward, so you can't touch your chin to your chest.",
        "typical_course": (
            "A stiff neck from sleeping awkwardly eases within days. With a headache, fever "
            "or a dislike of bright light it can be a sign of meningitis."
        ),
        "self_care": "Note whether you also have a headache, fever or eyes that hurt in bright light.",
        "synonyms": "stiff neck\nneck stiffness\nneck stiff\ncan't bend neck",
    },
    {
        "name": "Mottled skin (livedo reticularis)",
        "slug": "mottled-skin",
        "category": "common",
        "description": (
            "A blotchy, net-like pattern of purple or red on the skin, usually on the legs, "
            "that is more visible in the cold."
        ),
        "typical_course": (
            "With amantadine it tends to appear after weeks or months of treatment and is "
            "usually harmless, but tell your prescriber at your next visit."
        ),
        "self_care": "Keep your legs warm. A photo helps your prescriber see it.",
        "synonyms": "mottled skin\nblotchy skin\nblotchy legs\npurple blotches\nmarbled skin\nlacy pattern skin\nlivedo reticularis",
    },
    {
        "name": "Swelling of the legs or ankles",
        "slug": "leg-swelling",
        "category": "serious",
        "description": "Puffy ankles, feet or lower legs, sometimes leaving a dent when pressed.",
        "typical_course": (
            "With amantadine it often builds up over weeks. Swelling with shortness of "
            "breath, or in one leg that is red and painful, needs a doctor soon."
        ),
        "self_care": "Put your feet up when you sit. Note which leg and whether you are short of breath.",
        "synonyms": "swollen ankles\nswollen ankle\nswollen legs\nswollen leg\nswollen feet\nankle swelling\nleg swelling\npuffy ankles\noedema\nedema",
    },
    {
        "name": "Dry mouth",
        "slug": "dry-mouth",
        "category": "common",
        "description": "A mouth that feels dry or sticky, with thirst or trouble swallowing dry food.",
        "typical_course": "It tends to last as long as the medicine is taken, and may ease over time.",
        "self_care": (
            "Sip water often, chew sugar-free gum or suck sugar-free sweets, and look after "
            "your teeth: a dry mouth makes decay more likely."
        ),
        "synonyms": "dry mouth\nmouth dry\ncotton mouth\ndry lips\nthirsty",
    },
    {
        "name": "Falls",
        "slug": "falls",
        "category": "serious",
        "description": "Falling over, or nearly falling, at home or outside.",
        "typical_course": (
            "Falls are more likely with dizziness, feeling faint on standing or sleepiness, "
            "and in Parkinson's disease."
        ),
        "self_care": (
            "Get up slowly, keep floors clear, use a light at night and wear shoes that grip. "
            "Note where and how it happened."
        ),
        "synonyms": "fell\nfall\nfalling\nfell over\nfallen\ntripped\nlost my balance",
    },
]

# Danger signs: (slug, label). Where a sign is itself a library symptom, its slug is that
# symptom's slug (rash + "fever").
DANGER_SIGNS = {
    "skin-rash": [
        ("peeling-skin", "Blisters, or skin that peels"),
        ("mouth-sores", "Sores in the mouth, eyes or genitals"),
        ("fever", "A fever"),
        ("swollen-glands", "Swollen glands"),
        ("skin-pain", "Skin that hurts or burns"),
        ("face-or-throat-swelling", "Swelling of the face, lips or tongue"),
    ],
    "headache": [
        ("worst-ever", "It came on suddenly and is the worst you have ever had"),
        ("stiff-neck", "A stiff neck"),
        ("fever", "A fever"),
        ("severe-confusion", "Confusion"),
        ("light-hurts", "Bright light hurts your eyes"),
    ],
    "fever": [
        ("skin-rash", "A rash"),
        ("swollen-glands", "Swollen glands"),
        ("yellow-skin", "Yellow skin or eyes"),
        ("stiff-neck", "A stiff neck"),
        ("stiff-muscles", "Stiff muscles"),
        ("severe-confusion", "New confusion"),
        ("bleeding", "Unusual bruising or bleeding"),
    ],
    "chest-pain": [
        ("trouble-breathing", "Short of breath"),
        ("fainting-on-standing", "Fainting or nearly fainting"),
        ("spreading", "Pain spreading to the arm, neck, jaw or back"),
    ],
    "racing-heartbeat": [
        ("chest-pain", "Chest pain"),
        ("fainting-on-standing", "Fainting or nearly fainting"),
        ("trouble-breathing", "Short of breath"),
    ],
    "drowsiness": [
        ("cant-wake", "Very hard to wake up"),
        ("trouble-breathing", "Slow or shallow breathing"),
    ],
    "dizziness": [
        ("fainting-on-standing", "You fainted or nearly fainted"),
        ("falls", "You fell"),
    ],
    "worsening-mood": [
        ("suicidal-thoughts", "Thoughts of harming yourself or of suicide"),
        ("unsafe", "Feeling unsafe, or acting on dangerous impulses"),
    ],
    "falls": [
        ("head-injury", "You hit your head"),
        ("cant-get-up", "You are hurt or can't get up"),
    ],
    "fainting-on-standing": [
        ("head-injury", "You hit your head or are hurt"),
        ("chest-pain", "Chest pain"),
        ("racing-heartbeat", "A racing or irregular heartbeat"),
    ],
    "leg-swelling": [
        ("trouble-breathing", "Short of breath"),
        ("one-leg", "One leg is swollen, red, warm or painful"),
    ],
    "urinary-symptoms": [
        ("blood", "Blood in your urine"),
        ("cant-pass", "You can't pass urine"),
        ("fever", "A fever, or pain in your back or side"),
    ],
    "stiff-neck": [
        ("fever", "A fever"),
        ("headache", "A headache"),
        ("light-hurts", "Bright light hurts your eyes"),
    ],
    "yellow-skin": [
        ("belly-pain", "Pain in the upper right of your belly"),
        ("fever", "A fever"),
    ],
    "swollen-glands": [
        ("fever", "A fever"),
        ("skin-rash", "A rash"),
    ],
    "mouth-sores": [
        ("skin-rash", "A rash"),
        ("fever", "A fever"),
    ],
    "nausea": [
        ("cant-keep-fluids", "You can't keep fluids down"),
    ],
    "severe-confusion": [
        ("fever", "A high fever"),
        ("stiff-muscles", "Stiff muscles"),
    ],
}

# (drug, side effect, frequency, label %, notes). Updates existing links and adds new ones.
LINKS = [
    # Amantadine: extended-release (Gocovri) trials put these above 10%.
    ("amantadine", "hallucinations", "very_common", 21, "21% with the extended-release capsules (Gocovri) in trials, against 3% on placebo; 1–5% with immediate-release forms. Most likely after starting or after the prescriber raises the dose."),
    ("amantadine", "dizziness", "very_common", 16, "16% with the extended-release capsules in trials, against 1% on placebo; 5–10% with immediate-release forms."),
    ("amantadine", "fainting-on-standing", "very_common", 13, "Feeling faint or fainting on standing (orthostatic hypotension): 13% with the extended-release capsules in trials, against 1% on placebo."),
    ("amantadine", "constipation", "very_common", 13, "13% with the extended-release capsules in trials, against 3% on placebo."),
    ("amantadine", "nausea", "common", 8, "8% with the extended-release capsules in trials; 5–10% with immediate-release forms."),
    ("amantadine", "headache", "common", 6, "6% with the extended-release capsules in trials, against 4% on placebo."),
    ("amantadine", "severe-confusion", "common", 3, "Confusion: 3% with the extended-release capsules in trials. A high fever with confusion or stiff muscles is a red flag."),
    ("amantadine", "drowsiness", "common", 4, "Sleepiness and tiredness: 4% with the extended-release capsules in trials. Some people fall asleep without warning during everyday activities."),
    ("amantadine", "dry-mouth", "very_common", 16, "16% with the extended-release capsules in trials, against 1% on placebo."),
    ("amantadine", "leg-swelling", "very_common", 16, "Swelling of the legs or ankles (peripheral edema): 16% with the extended-release capsules in trials, against 1% on placebo."),
    ("amantadine", "falls", "very_common", 13, "13% with the extended-release capsules in trials, against 7% on placebo."),
    ("amantadine", "mottled-skin", "common", 6, "6% with the extended-release capsules in trials, against none on placebo."),
    ("amantadine", "worsening-mood", "common", 6, "Depression or low mood: 6% and anxiety 7% with the extended-release capsules in trials; a few people had suicidal thoughts."),
    ("amantadine", "fever", "reported", None, "A high fever with confusion or stiff muscles has been reported when amantadine was lowered or stopped quickly."),
    # Lamotrigine
    ("lamotrigine", "fever", "reported", None, "A fever, often with a rash or swollen glands, can be the first sign of a rare but serious immune reaction (DRESS or HLH), usually in the first weeks."),
    ("lamotrigine", "swollen-glands", "reported", None, "Swollen glands with a fever or rash can be an early sign of a rare serious reaction."),
    ("lamotrigine", "mouth-sores", "rare", None, "Painful sores in the mouth or around the eyes can be the first signs of a serious skin reaction."),
    ("lamotrigine", "peeling-skin", "uncommon", None, "Serious rashes (Stevens-Johnson syndrome, toxic epidermal necrolysis) affect about 1 to 3 adults in 1,000 and more children, nearly always 2 to 8 weeks after starting."),
    ("lamotrigine", "yellow-skin", "rare", None, "Yellow skin or eyes can be a sign of a rare serious reaction that affects the liver."),
    ("lamotrigine", "stiff-neck", "rare", None, "A stiff neck with headache and fever can be a sign of aseptic meningitis, a rare reaction to lamotrigine."),
    ("lamotrigine", "racing-heartbeat", "reported", None, "In people with some heart conditions, lamotrigine can cause serious heart rhythm problems."),
    ("lamotrigine", "worsening-mood", "reported", None, "Like other seizure medicines, lamotrigine carries a warning about new or worse depression, anxiety, agitation and suicidal thoughts."),
    # Ketamine
    ("ketamine", "urinary-symptoms", "reported", None, "Bladder problems (pain, needing to go often or urgently, blood in the urine, cystitis) have been reported, mostly with long-term or heavy use."),
    ("ketamine", "yellow-skin", "reported", None, "Liver injury has been reported with repeated use; the label asks for liver blood tests."),
    ("ketamine", "racing-heartbeat", "reported", None, "Ketamine raises heart rate and blood pressure during and soon after an infusion."),
    # Esketamine
    ("esketamine", "urinary-symptoms", "common", 3, "Needing to pass urine often: 3% in trials, against 0.5% on placebo; painful or urgent urination and cystitis were also more common."),
    ("esketamine", "racing-heartbeat", "common", 4, "A fast heartbeat: 4% in the trials for depression with suicidal thoughts, against 1% on placebo."),
    ("esketamine", "chest-pain", "reported", None, "Chest pain after a session can be a sign of a dangerous rise in blood pressure."),
    ("esketamine", "worsening-mood", "very_common", 13, "Anxiety: 13% in trials, against 6% on placebo. Esketamine carries a warning about suicidal thoughts and behaviour."),
    ("esketamine", "very-high-blood-pressure", "very_common", 10, "Blood pressure rises after every session, peaking about 40 minutes after the spray and lasting about 4 hours; in trials 8% to 19% had a large rise. Staff check it before the session and at about 40 minutes."),
    # Memantine
    ("memantine", "worsening-mood", "common", 3, "Depression (3%), anxiety (4%) and aggression (2%) were reported a little more than on placebo in the extended-release trials."),
]

# A rule is identified by (side effect, drug, minimum severity, danger signs, hours); rules
# that exist are updated, the others created.
RULES = [
    # --- Any drug ---
    {
        "side_effect": "suicidal-thoughts", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "Thoughts of hurting or killing yourself, of death, or of not wanting to be alive, or making plans to act on them.",
        "guidance": (
            "Call {emergency_number} now, or go to the nearest emergency department. You can "
            "also contact {crisis_line}. Don't stay alone: ask someone you trust to be with "
            "you. Then let your prescriber know."
        ),
        "sources": SPRAVATO_PI + "\n" + LAMICTAL_MOOD + "\n" + GOCOVRI_PI,
    },
    {
        "side_effect": "trouble-breathing", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "Slow, shallow or noisy breathing; struggling for breath; lips or fingertips turning blue or grey.",
        "guidance": (
            "Call {emergency_number} now. If you are still at the clinic, tell the staff "
            "straight away. If you are with someone who is breathing poorly and can't be "
            "woken, call for help and stay with them."
        ),
        "sources": SPRAVATO_PI + "\n" + KETALAR_PI + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "face-or-throat-swelling", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "Swelling of the lips, tongue, face or throat, a tight throat, or trouble swallowing.",
        "guidance": "Call {emergency_number} now: this can be a severe allergic reaction. Sit upright while you wait. Tell your prescriber afterwards.",
        "sources": GENERAL_EMERGENCY,
    },
    {
        "side_effect": None, "drug": None, "min_severity": VERY_SEVERE, "action": "prescriber_today",
        "signs": "Any symptom you rate as Very severe.",
        "guidance": (
            "Contact your prescriber today and tell them what is happening. Call "
            "{emergency_number} if it is getting worse or you feel unsafe. If you are at the "
            "clinic, tell the staff now."
        ),
        "sources": SIDELOG_SCALE,
    },
    {
        "side_effect": None, "drug": None, "min_severity": SEVERE, "action": "next_visit",
        "signs": "Any symptom you rate as Severe.",
        "guidance": (
            "Mention it at your next visit, and show your prescriber your Sidelog entries. If "
            "it worries you or keeps coming back, contact your prescriber sooner."
        ),
        "sources": SIDELOG_SCALE,
    },
    {
        "side_effect": "seizure", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "A seizure: sudden shaking or jerking, going stiff, or a spell of staring without responding.",
        "guidance": (
            "Call {emergency_number} now. Stay with the person, keep them safe from injury "
            "and time the seizure. Tell the prescriber afterwards."
        ),
        "sources": NAMENDA_PI + "\n" + SPRAVATO_PI + "\n" + LAMICTAL_HLH + "\n" + AMANTADINE_IR + "\n" + GENERAL_EMERGENCY,
        "was": {"drug": "memantine"},
    },
    {
        "side_effect": "chest-pain", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "Pain, pressure or tightness in the chest, at any strength.",
        "guidance": _EMERGENCY + " If you are still at the clinic, tell the staff now.",
        "sources": SPRAVATO_PI + "\n" + LAMICTAL_HEART + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "fainting-on-standing", "drug": None, "min_severity": None, "action": "prescriber_today",
        "signs": "Fainting or nearly fainting, on standing or at any other time.",
        "guidance": "Contact your prescriber today, and lie down until you feel steady.",
        "sources": LAMICTAL_HEART + "\n" + GOCOVRI_PI,
    },
    {
        "side_effect": "fainting-on-standing", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["head-injury", "chest-pain", "racing-heartbeat"],
        "signs": "Fainting with a head injury, chest pain, or a racing or irregular heartbeat.",
        "guidance": _EMERGENCY,
        "sources": LAMICTAL_HEART + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "racing-heartbeat", "drug": None, "min_severity": None, "action": "prescriber_today",
        "signs": "A racing, pounding, skipping or unusually slow heartbeat.",
        "guidance": "Contact your prescriber today. If you have a monitor, note your pulse and blood pressure.",
        "sources": LAMICTAL_HEART + "\n" + KETALAR_PI,
    },
    {
        "side_effect": "racing-heartbeat", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["chest-pain", "fainting-on-standing", "trouble-breathing"],
        "signs": "A racing or irregular heartbeat with chest pain, shortness of breath, or fainting.",
        "guidance": _EMERGENCY,
        "sources": LAMICTAL_HEART + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "worsening-mood", "drug": None, "min_severity": None, "action": "prescriber_today",
        "signs": "New or worse depression, anxiety, panic, agitation, irritability or aggression; or feeling unusually high with little need for sleep.",
        "guidance": "Contact your prescriber today. A family member or friend can make the call with you.",
        "sources": SPRAVATO_PI + "\n" + LAMICTAL_MOOD + "\n" + GOCOVRI_PI,
    },
    {
        "side_effect": "worsening-mood", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["suicidal-thoughts", "unsafe"],
        "signs": "A change in mood with thoughts of harming yourself or of suicide, or feeling unsafe.",
        "guidance": (
            "Call {emergency_number} now, or contact {crisis_line}. Don't stay alone: ask "
            "someone you trust to be with you."
        ),
        "sources": SPRAVATO_PI + "\n" + LAMICTAL_MOOD + "\n" + GOCOVRI_PI,
    },
    {
        "side_effect": "headache", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["worst-ever", "stiff-neck", "severe-confusion"],
        "signs": "A headache that came on suddenly and is the worst you have ever had, or a headache with a stiff neck or confusion.",
        "guidance": _EMERGENCY,
        "sources": LAMICTAL_MENINGITIS + "\n" + SPRAVATO_PI + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "headache", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["fever", "light-hurts"],
        "signs": "A headache with a fever, or with bright light hurting your eyes.",
        "guidance": "Contact your prescriber today.",
        "sources": LAMICTAL_MENINGITIS,
    },
    {
        "side_effect": "stiff-neck", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["fever", "headache"],
        "signs": "A stiff neck with a fever or a headache.",
        "guidance": _EMERGENCY,
        "sources": LAMICTAL_MENINGITIS + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "peeling-skin", "drug": None, "min_severity": None, "action": "emergency",
        "signs": "Skin that blisters or peels.",
        "guidance": _EMERGENCY + " Don't burst the blisters.",
        "sources": LAMICTAL_BOXED,
    },
    {
        "side_effect": "skin-rash", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["peeling-skin", "mouth-sores", "skin-pain", "face-or-throat-swelling"],
        "signs": "A rash with blisters or peeling, sores in the mouth, eyes or genitals, skin that hurts, or swelling of the face.",
        "guidance": _EMERGENCY,
        "sources": LAMICTAL_BOXED + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "skin-rash", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["fever", "swollen-glands"],
        "signs": "A rash with a fever or swollen glands.",
        "guidance": "Contact your prescriber today.",
        "sources": LAMICTAL_DRESS,
    },
    {
        "side_effect": "yellow-skin", "drug": None, "min_severity": None, "action": "prescriber_today",
        "signs": "Yellow skin or eyes, with or without dark urine or pale stools.",
        "guidance": "Contact your prescriber today: it can be a sign of a problem with the liver.",
        "sources": LAMICTAL_HLH + "\n" + KETALAR_PI,
    },
    {
        "side_effect": "urinary-symptoms", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["cant-pass"],
        "signs": "Not being able to pass urine at all.",
        "guidance": "Call {emergency_number} or go to an emergency department now.",
        "sources": AMANTADINE_IR + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "falls", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["head-injury", "cant-get-up"],
        "signs": "A fall with a head injury, or when you are hurt or can't get up.",
        "guidance": _EMERGENCY,
        "sources": GOCOVRI_PI + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "drowsiness", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["cant-wake", "trouble-breathing"],
        "signs": "Very hard to wake up, or slow or shallow breathing.",
        "guidance": _CLINIC_OR_EMERGENCY,
        "sources": SPRAVATO_PI + "\n" + KETALAR_PI,
    },
    {
        "side_effect": "dizziness", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["fainting-on-standing", "falls"],
        "signs": "Dizziness that made you faint, nearly faint or fall.",
        "guidance": "Contact your prescriber today. Sit or lie down until it passes.",
        "sources": GOCOVRI_PI + "\n" + LAMICTAL_HEART,
    },
    {
        "side_effect": "leg-swelling", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["trouble-breathing"],
        "signs": "Swollen legs or ankles with shortness of breath.",
        "guidance": _EMERGENCY,
        "sources": AMANTADINE_IR + "\n" + GENERAL_EMERGENCY,
    },
    {
        "side_effect": "leg-swelling", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["one-leg"],
        "signs": "One leg swollen, red, warm or painful.",
        "guidance": "Contact your prescriber or a doctor today.",
        "sources": GENERAL_EMERGENCY,
    },
    {
        "side_effect": "fever", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["stiff-neck", "stiff-muscles", "severe-confusion"],
        "signs": "A fever with a stiff neck, with stiff muscles, or with new confusion.",
        "guidance": _EMERGENCY,
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR + "\n" + LAMICTAL_MENINGITIS,
    },
    {
        "side_effect": "fever", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["skin-rash", "swollen-glands", "yellow-skin", "bleeding"],
        "signs": "A fever with a rash, swollen glands, yellow skin or eyes, or unusual bruising or bleeding.",
        "guidance": "Contact your prescriber today.",
        "sources": LAMICTAL_HLH + "\n" + LAMICTAL_DRESS,
    },
    {
        "side_effect": "severe-confusion", "drug": None, "min_severity": None, "action": "emergency",
        "danger_signs": ["fever", "stiff-muscles"],
        "signs": "Confusion with a high fever or stiff muscles.",
        "guidance": _EMERGENCY,
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR,
    },
    {
        "side_effect": "nausea", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["cant-keep-fluids"],
        "signs": "Sickness that stops you keeping fluids down.",
        "guidance": "Contact your prescriber or a doctor today.",
        "sources": SPRAVATO_PI,
    },
    {
        "side_effect": "mouth-sores", "drug": None, "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["skin-rash", "fever"],
        "signs": "Sores in the mouth, eyes or genitals with a rash or a fever.",
        "guidance": "Contact your prescriber today.",
        "sources": LAMICTAL_BOXED,
    },
    # --- Lamotrigine ---
    {
        "side_effect": "skin-rash", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "signs": "Any new rash, hives or red skin, however mild, especially in the first 2 to 8 weeks.",
        "guidance": (
            "Contact your prescriber today, even if the rash looks mild: no one can tell "
            "early on which rashes will become serious. If you also have any of the danger "
            "signs (blisters or peeling, sores in the mouth, eyes or genitals, a fever, "
            "swollen glands, skin that hurts, a swollen face), tick them: that is an "
            "emergency."
        ),
        "sources": LAMICTAL_BOXED,
    },
    {
        "side_effect": "skin-rash", "drug": "lamotrigine", "min_severity": None, "action": "emergency",
        "danger_signs": ["peeling-skin", "mouth-sores", "fever", "swollen-glands", "skin-pain", "face-or-throat-swelling"],
        "signs": "A rash with blisters or peeling, sores in the mouth, eyes or genitals, a fever, swollen glands, skin that hurts, or a swollen face.",
        "guidance": _EMERGENCY + " Say that you take lamotrigine.",
        "sources": LAMICTAL_BOXED + "\n" + LAMICTAL_DRESS,
    },
    {
        "side_effect": "fever", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "signs": "A fever, especially a lasting one, in the weeks after starting.",
        "guidance": "Contact your prescriber today and say that you take lamotrigine: a fever can be the first sign of a rare serious reaction.",
        "sources": LAMICTAL_HLH + "\n" + LAMICTAL_DRESS,
    },
    {
        "side_effect": "fever", "drug": "lamotrigine", "min_severity": None, "action": "emergency",
        "danger_signs": ["skin-rash"],
        "signs": "A fever with a rash.",
        "guidance": _EMERGENCY + " Say that you take lamotrigine.",
        "sources": LAMICTAL_BOXED + "\n" + LAMICTAL_DRESS,
    },
    {
        "side_effect": "swollen-glands", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "signs": "New swollen glands, with or without a fever or rash.",
        "guidance": "Contact your prescriber today and say that you take lamotrigine.",
        "sources": LAMICTAL_DRESS + "\n" + LAMICTAL_HLH,
    },
    {
        "side_effect": "swollen-glands", "drug": "lamotrigine", "min_severity": None, "action": "emergency",
        "danger_signs": ["skin-rash"],
        "signs": "Swollen glands with a rash.",
        "guidance": _EMERGENCY + " Say that you take lamotrigine.",
        "sources": LAMICTAL_DRESS + "\n" + LAMICTAL_BOXED,
    },
    {
        "side_effect": "mouth-sores", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "signs": "Painful sores in the mouth or around the eyes.",
        "guidance": "Contact your prescriber today: these can be the first signs of a serious skin reaction.",
        "sources": LAMICTAL_BOXED,
    },
    {
        "side_effect": "mouth-sores", "drug": "lamotrigine", "min_severity": None, "action": "emergency",
        "danger_signs": ["skin-rash"],
        "signs": "Sores in the mouth, eyes or genitals with a rash.",
        "guidance": _EMERGENCY + " Say that you take lamotrigine.",
        "sources": LAMICTAL_BOXED,
    },
    {
        "side_effect": "headache", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "danger_signs": ["fever", "light-hurts", "stiff-neck"],
        "signs": "A headache with a fever, a stiff neck, or bright light hurting your eyes.",
        "guidance": "Contact your prescriber today: on lamotrigine this can be a sign of aseptic meningitis.",
        "sources": LAMICTAL_MENINGITIS,
        "was": {"min_severity": SEVERE, "danger_signs": []},
    },
    {
        "side_effect": "stiff-neck", "drug": "lamotrigine", "min_severity": None, "action": "prescriber_today",
        "signs": "A new stiff neck.",
        "guidance": "Contact your prescriber today and say that you take lamotrigine.",
        "sources": LAMICTAL_MENINGITIS,
    },
    # --- Ketamine and esketamine ---
    *[
        rule
        for drug in ("esketamine", "ketamine")
        for rule in [
            {
                "side_effect": "very-high-blood-pressure", "drug": drug, "min_severity": None, "action": "emergency",
                "signs": (
                    "In the hours after a session: a sudden severe headache, chest pain, "
                    "shortness of breath, a pounding or racing heartbeat, confusion, or a very "
                    "high reading on a blood pressure monitor."
                ),
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "headache", "drug": drug, "min_severity": SEVERE, "within_hours_of_dose": WITHIN_HOURS,
                "action": "emergency",
                "signs": "A severe headache in the hours after a session: it can be a sign of a dangerous rise in blood pressure.",
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "racing-heartbeat", "drug": drug, "min_severity": SEVERE, "within_hours_of_dose": WITHIN_HOURS,
                "action": "emergency",
                "signs": "A severe pounding or racing heartbeat in the hours after a session.",
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "fainting-on-standing", "drug": drug, "min_severity": None,
                "within_hours_of_dose": WITHIN_HOURS, "action": "emergency",
                "signs": "Fainting, or feeling about to pass out, in the hours after a session.",
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "drowsiness", "drug": drug, "min_severity": SEVERE, "action": "emergency",
                "signs": "You can't stay awake, are very hard to wake, or feel about to pass out.",
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "severe-confusion", "drug": drug, "min_severity": None, "action": "emergency",
                "signs": "Severe confusion after a session, or not knowing where you are.",
                "guidance": _CLINIC_OR_EMERGENCY,
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
            {
                "side_effect": "dissociation", "drug": drug, "min_severity": SEVERE, "action": "prescriber_today",
                "signs": "Feeling extremely detached or unreal, feeling frightened by it, or still feeling this way hours after the session.",
                "guidance": (
                    "If you are at the clinic, tell the staff now. If you have left, call the "
                    "clinic or your prescriber today. Call {emergency_number} if it is getting "
                    "worse or you feel unsafe."
                ),
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
                "was": {"min_severity": VERY_SEVERE},
            },
            {
                "side_effect": "hallucinations", "drug": drug, "min_severity": SEVERE, "action": "prescriber_today",
                "signs": "Severe hallucinations, or any that last into the next day after a session.",
                "guidance": (
                    "If you are at the clinic, tell the staff now. If you have left, contact "
                    "the clinic or your prescriber today. Call {emergency_number} if you may "
                    "harm yourself or others."
                ),
                "sources": KETALAR_PI + "\nMicromedex patient information, ketamine injection "
                "(Mayo Clinic): unusual thoughts or behaviour that are severe or last longer "
                "than 24 hours. https://www.mayoclinic.org/drugs-supplements/ketamine-"
                "injection-route/precautions/drg-20075559",
            },
            {
                "side_effect": "urinary-symptoms", "drug": drug, "min_severity": None, "action": "prescriber_today",
                "signs": "Pain or burning when passing urine, needing to go often or urgently, or blood in the urine.",
                "guidance": "Contact your prescriber today: ketamine and esketamine can irritate the bladder, and it should be checked.",
                "sources": SPRAVATO_PI if drug == "esketamine" else KETALAR_PI,
            },
        ]
    ],
    # --- Amantadine ---
    {
        "side_effect": "hallucinations", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "Seeing, hearing or feeling things that are not there, or new suspicion or fear of other people (paranoia).",
        "guidance": "Contact the prescriber today; a caregiver can make the call. If the person may harm themselves or others, call {emergency_number} now.",
        "sources": GOCOVRI_PI,
    },
    {
        "side_effect": "fainting-on-standing", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "Fainting, nearly fainting, or falling when you stand up.",
        "guidance": "Contact your prescriber today. Get up slowly, and sit or lie down if you feel faint.",
        "sources": GOCOVRI_PI,
    },
    {
        "side_effect": "drowsiness", "drug": "amantadine", "min_severity": SEVERE, "action": "prescriber_today",
        "signs": "Falling asleep without warning during everyday activities, such as talking, eating or driving.",
        "guidance": "Contact your prescriber today. Don't drive or use machines until you have spoken with them.",
        "sources": GOCOVRI_PI,
    },
    {
        "side_effect": "severe-confusion", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "New or worsening confusion.",
        "guidance": "Contact the prescriber today; a caregiver can make the call.",
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR,
    },
    {
        "side_effect": "compulsive-urges", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "New, strong urges that are hard to resist, such as gambling, spending, eating or sex.",
        "guidance": "Contact your prescriber today. It can help to ask a family member to make the call with you.",
        "sources": GOCOVRI_PI,
    },
    {
        "side_effect": "falls", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "A fall, or nearly falling.",
        "guidance": "Contact your prescriber today, and tell them how it happened.",
        "sources": GOCOVRI_PI,
    },
    {
        "side_effect": "leg-swelling", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "New swelling of the legs or ankles.",
        "guidance": "Contact your prescriber today.",
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR,
    },
    {
        "side_effect": "mottled-skin", "drug": "amantadine", "min_severity": None, "action": "next_visit",
        "signs": "A blotchy, net-like purple or red pattern on the skin.",
        "guidance": "Mention it at your next visit; a photo helps.",
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR,
    },
    {
        "side_effect": "fever", "drug": "amantadine", "min_severity": None, "action": "prescriber_today",
        "signs": "A fever, especially after the treatment was changed.",
        "guidance": "Contact the prescriber today; a caregiver can make the call.",
        "sources": GOCOVRI_PI + "\n" + AMANTADINE_IR,
    },
    # --- Memantine ---
    {
        "side_effect": "severe-confusion", "drug": "memantine", "min_severity": None, "action": "prescriber_today",
        "signs": "New or sudden severe confusion, or a sudden change in behaviour or alertness.",
        "guidance": (
            "Contact the prescriber today; a caregiver can make the call. If it comes on "
            "suddenly with weakness or trouble speaking, or the person can't be woken, call "
            "{emergency_number} now."
        ),
        "sources": NAMENDA_PI,
    },
    {
        "side_effect": "hallucinations", "drug": "memantine", "min_severity": None, "action": "prescriber_today",
        "signs": "New hallucinations: seeing or hearing things that are not there.",
        "guidance": "Contact the prescriber today; a caregiver can make the call. If the person may harm themselves or others, call {emergency_number} now.",
        "sources": NAMENDA_PI,
    },
]

DRUG_UPDATES = {
    "esketamine": {
        "treats": (
            "Approved in the US for adults with treatment-resistant depression, meaning "
            "depression that has not got better with at least two other antidepressants: "
            "since 2019 alongside an antidepressant taken by mouth, and since January 2025 "
            "also on its own. It is also approved, alongside an antidepressant taken by "
            "mouth, for depressive symptoms in adults with major depression who are having "
            "sudden (acute) suicidal thoughts or behaviour."
        ),
        "summary": (
            "Esketamine (Spravato) is a nasal spray for depression that has not responded to "
            "other treatment. It is used at a certified clinic, where staff watch you for at "
            "least 2 hours afterwards, because it often brings a detached, dreamy feeling, "
            "sleepiness, dizziness and nausea. These effects are usually strongest around 30 "
            "to 40 minutes after the spray and settle within about 1.5 to 2 hours. Blood "
            "pressure rises too: it peaks about 40 minutes after the spray and can stay up for "
            "about 4 hours, so a sudden severe headache, chest pain or confusion after a "
            "session means emergency services. No driving until the next day, after a good "
            "night's sleep."
        ),
    },
    "ketamine": {
        "summary": (
            "Ketamine is an anaesthetic that some clinics also give off-label for "
            "hard-to-treat depression. During and soon after a session many people feel "
            "detached, dizzy, sleepy or sick, and these feelings usually fade within about 2 "
            "hours. It also pushes up blood pressure and heart rate for a while, so staff "
            "keep watch during and after the infusion. With repeated or long-term use it can "
            "irritate the bladder and, rarely, harm the liver."
        ),
    },
    "lamotrigine": {
        "summary": (
            "Lamotrigine is used for epilepsy and to keep bipolar I disorder steady over time. "
            "Common side effects include headache, dizziness, sleepiness, nausea and blurred "
            "vision. Rash is the one to know about: most rashes are not serious, but a rare "
            "serious rash can happen, nearly always 2 to 8 weeks after starting, and no one "
            "can tell early on which is which. Rarer warnings: a fever, swollen glands or "
            "yellow skin can signal a serious immune reaction (HLH or DRESS); a headache with "
            "a stiff neck and fever can be a reaction called aseptic meningitis; and in people "
            "with some heart conditions it can disturb the heart's rhythm."
        ),
    },
    "amantadine": {
        "treats": (
            "Parkinson's disease, and movement problems caused by other medicines. The "
            "extended-release capsules (Gocovri) are approved for dyskinesia, the extra, "
            "uncontrolled movements that levodopa can cause, and since 2021 also alongside "
            "levodopa for OFF episodes, when symptoms return between doses of levodopa. It "
            "was also used against influenza A, but is no longer recommended for flu."
        ),
        "summary": (
            "Amantadine is used for Parkinson's disease and for movement problems, including "
            "the extra movements (dyskinesia) that levodopa can cause. With the "
            "extended-release capsules, more than 1 in 10 people in trials saw or heard "
            "things that were not there, felt dizzy or faint on standing, had a dry mouth, "
            "swollen ankles or constipation, or fell. Hallucinations, fainting and falls are "
            "reasons to contact your prescriber the same day."
        ),
    },
}

SIDE_EFFECT_UPDATES = {
    "very-high-blood-pressure": {
        "typical_course": (
            "After esketamine, blood pressure peaks about 40 minutes after the spray and can "
            "stay raised for about 4 hours; after IV ketamine it rises during the infusion. "
            "The clinic checks it before the session and at about 40 minutes."
        ),
    },
}


def _danger_sign_ids(DangerSign, db, side_effect, slugs):
    return list(
        DangerSign.objects.using(db)
        .filter(side_effect=side_effect, slug__in=slugs)
        .values_list("pk", flat=True)
    )


def _find_rule(RedFlag, db, side_effect, drug, min_severity, hours, danger_sign_ids):
    candidates = RedFlag.objects.using(db).filter(
        side_effect=side_effect, drug=drug, min_severity=min_severity, within_hours_of_dose=hours
    )
    for rule in candidates:
        if sorted(rule.danger_signs.values_list("pk", flat=True)) == sorted(danger_sign_ids):
            return rule
    return None


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Drug = apps.get_model("reference", "Drug")
    SideEffect = apps.get_model("reference", "SideEffect")
    DrugSideEffect = apps.get_model("reference", "DrugSideEffect")
    DangerSign = apps.get_model("reference", "DangerSign")
    RedFlag = apps.get_model("reference", "RedFlag")

    for slug, fields in DRUG_UPDATES.items():
        Drug.objects.using(db).filter(slug=slug).update(**fields)
    for slug, synonyms in SYNONYMS.items():
        SideEffect.objects.using(db).filter(slug=slug).update(synonyms=synonyms)
    for slug, fields in SIDE_EFFECT_UPDATES.items():
        SideEffect.objects.using(db).filter(slug=slug).update(**fields)
    for data in NEW_SIDE_EFFECTS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        SideEffect.objects.using(db).update_or_create(
            slug=data["slug"], defaults={**fields, "is_published": True}
        )
    side_effects = {effect.slug: effect for effect in SideEffect.objects.using(db).all()}
    drugs = {drug.slug: drug for drug in Drug.objects.using(db).all()}

    for symptom, signs in DANGER_SIGNS.items():
        for position, (slug, label) in enumerate(signs):
            DangerSign.objects.using(db).update_or_create(
                side_effect=side_effects[symptom],
                slug=slug,
                defaults={"label": label, "position": position},
            )

    for drug, symptom, frequency, percent, notes in LINKS:
        DrugSideEffect.objects.using(db).update_or_create(
            drug=drugs[drug],
            side_effect=side_effects[symptom],
            defaults={
                "frequency": frequency,
                "label_percent": None if percent is None else Decimal(str(percent)),
                "notes": notes,
            },
        )

    for data in RULES:
        side_effect = side_effects[data["side_effect"]] if data["side_effect"] else None
        drug = drugs[data["drug"]] if data["drug"] else None
        sign_ids = _danger_sign_ids(DangerSign, db, side_effect, data.get("danger_signs", []))
        was = data.get("was", {})
        rule = _find_rule(
            RedFlag,
            db,
            side_effect,
            drugs[was["drug"]] if was.get("drug") else drug,
            was.get("min_severity", data["min_severity"]),
            data.get("within_hours_of_dose"),
            _danger_sign_ids(DangerSign, db, side_effect, was["danger_signs"])
            if "danger_signs" in was
            else sign_ids,
        )
        if rule is None:
            rule = RedFlag(side_effect=side_effect)
        rule.drug = drug
        rule.min_severity = data["min_severity"]
        rule.within_hours_of_dose = data.get("within_hours_of_dose")
        rule.action = data["action"]
        rule.signs = data["signs"]
        rule.guidance = data["guidance"]
        rule.sources = data["sources"]
        rule.is_published = True
        rule.save(using=db)
        rule.danger_signs.set(sign_ids)

    # Every rule seeded earlier and not restated above still needs its guidance's numbers
    # filled in for each patient and a source.
    for rule in RedFlag.objects.using(db).filter(sources=""):
        rule.guidance = rule.guidance.replace(
            "your local emergency number", "{emergency_number}"
        )
        rule.sources = SIDELOG_SCALE
        rule.save(using=db)


def backwards(apps, schema_editor):
    """New symptoms, their links, signs and rules go; restated rules keep their new text."""
    db = schema_editor.connection.alias
    SideEffect = apps.get_model("reference", "SideEffect")
    RedFlag = apps.get_model("reference", "RedFlag")
    RedFlag.objects.using(db).exclude(danger_signs=None).delete()
    RedFlag.objects.using(db).exclude(within_hours_of_dose=None).delete()
    SideEffect.objects.using(db).filter(slug__in=[d["slug"] for d in NEW_SIDE_EFFECTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0004_triage_danger_signs_synonyms_sources"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
