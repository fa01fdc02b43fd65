"""How much text each kind of free-text field takes, declared once, and what is taken out of
any such text before it is stored (bidirectional control characters).

The web forms (`accounts.forms.LimitedTextField`, `accounts.forms.passwords_limited`) and
the API's serializers (`accounts.serializers.TextField`) read their limits here and refuse
too long a text with the same message, so a note refused by the API is refused by the page
too, in the same words.
"""

from __future__ import annotations

# A symptom entry's notes, a dose's note, a course's regimen as the prescriber wrote it.
NOTE = 10_000
# A symptom described in the patient's own words.
SYMPTOM_WORDS = 120
# A dose's amount as the patient writes it ("56 mg", "0.5 mg/kg over 40 min").
DOSE_AMOUNT = 100
# The name a patient gives a report.
REPORT_NAME = 120
# Who a share link is for.
RECIPIENT = 200
# A username, as Django's user model stores it.
USERNAME = 150
# The name a person is shown by (`Profile.display_name`).
NAME = 150
# A password, wherever one is typed: signing up, in, changing it, resetting it, deleting the
# account. Far beyond any passphrase; a hasher need never read megabytes.
PASSWORD = 4096


def too_long(limit: int) -> str:
    return f"Enter at most {limit:,} characters."


# Overrides, embeddings, isolates and marks of direction: pasted into a name or a note, they
# reverse the text shown after them on pages and in reports, so that it reads otherwise than
# it was written.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def plain_text(text: str) -> str:
    """`text` without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)
