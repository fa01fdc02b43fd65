"""Emergency and crisis numbers by country, and the red-flag guidance that names them.

An editor writes `{emergency_number}` and `{crisis_line}` in a red flag's guidance; a
patient reads their own country's numbers there. Anyone else (a visitor, a patient whose
country Sidelog has no numbers for) reads "your local emergency number", with 112 named as
what it is: the number that works across the European Union and in many other countries.
A number is never shown without saying whose it is.

Sources are listed with each country; check them again when editing this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

PLACEHOLDERS = ("emergency_number", "crisis_line")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Helplines:
    country: str  # ISO 3166-1 alpha-2
    country_name: str
    emergency: str  # as it is dialled, e.g. "999"
    crisis_line: str  # who, which number, how and when, in plain words
    sources: tuple[str, ...]


HELPLINES: dict[str, Helplines] = {
    line.country: line
    for line in [
        Helplines(
            "US",
            "the United States",
            "911",
            "the 988 Suicide & Crisis Lifeline (call or text 988, free, any hour)",
            ("https://988lifeline.org/",),
        ),
        Helplines(
            "CA",
            "Canada",
            "911",
            "9-8-8, the Suicide Crisis Helpline (call or text 988, free, any hour)",
            (
                "https://www.newswire.ca/news-releases/government-of-canada-launches-three-digit-"
                "suicide-crisis-helpline-896472116.html",
            ),
        ),
        Helplines(
            "GB",
            "the United Kingdom",
            "999",
            "Samaritans (call 116 123, free, any hour); in England, NHS 111 also answers urgent "
            "mental health calls",
            (
                "https://www.samaritans.org/how-we-can-help/contact-samaritan/",
                "https://www.oundlesurgery.nhs.uk/news/accessing-mental-health-services-via-111",
            ),
        ),
        Helplines(
            "IE",
            "Ireland",
            "112 or 999",
            "Samaritans (call 116 123, free) or the crisis text line (text 50808, free, any hour)",
            (
                "https://www2.hse.ie/emergencies/when-to-call-112-or-999/",
                "https://todayfm.com/news/247-mental-health-text-support-service-officially-"
                "launched-1031466",
            ),
        ),
        Helplines(
            "DE",
            "Germany",
            "112",
            "TelefonSeelsorge (call 0800 111 0 111 or 0800 111 0 222, free, any hour)",
            ("https://www.domradio.de/glossar/telefonseelsorge-0",),
        ),
        Helplines(
            "FR",
            "France",
            "15 (SAMU) or 112",
            "3114, the national suicide prevention line (call 3114, free, any hour)",
            ("https://3114.fr/que-se-passe-t-il-quand-je-contacte-le-3114/",),
        ),
        Helplines(
            "ES",
            "Spain",
            "112",
            "024, the suicidal behaviour helpline (call 024, free, any hour)",
            (
                "https://www.rtve.es/noticias/20220509/sanidad-presenta-telefono-prevencion-"
                "suicidio/2347183.shtml",
            ),
        ),
        Helplines(
            "IT",
            "Italy",
            "112 (or 118 for an ambulance)",
            "Telefono Amico Italia (call 02 2327 2327; usual call charges; not at every hour)",
            (
                "https://alleyoop.ilsole24ore.com/2025/10/10/salute-mentale-300-richieste-di-"
                "aiuto-al-giorno-per-telefono-amico-italia/",
            ),
        ),
        Helplines(
            "NL",
            "the Netherlands",
            "112",
            "113 Zelfmoordpreventie (call 113 or 0800 0113, free, any hour)",
            ("https://www.113.nl/",),
        ),
        Helplines(
            "AU",
            "Australia",
            "000",
            "Lifeline (call 13 11 14 or text 0477 13 11 14, any hour)",
            ("https://www.triplezero.gov.au/", "https://www.lifeline.org.au/"),
        ),
        Helplines(
            "NZ",
            "New Zealand",
            "111",
            "1737, Need to talk? (call or text 1737, free, any hour)",
            ("https://www.pegasus.health.nz/?p=6300",),
        ),
    ]
}

FALLBACK_EMERGENCY = (
    "your local emergency number (112 works across the European Union and in many other countries)"
)
FALLBACK_CRISIS_LINE = "a local crisis line"


def helplines_for(country: str | None) -> Helplines | None:
    return HELPLINES.get((country or "").upper())


def unknown_placeholders(text: str) -> list[str]:
    """The `{names}` in an editor's text that Sidelog doesn't fill in."""
    return [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]


def fill_in(text: str, country: str | None) -> str:
    """`text` with the emergency and crisis numbers for `country`, or words that fit anywhere."""
    lines = helplines_for(country)
    values = {
        "emergency_number": lines.emergency if lines else FALLBACK_EMERGENCY,
        "crisis_line": lines.crisis_line if lines else FALLBACK_CRISIS_LINE,
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


# Time zone to country: the IANA database's own table (zone.tab, shipped with tzdata).
@cache
def _zone_countries() -> dict[str, str]:
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_ = line.split("\t")
            countries[zone] = code
    return countries


def country_for_time_zone(time_zone: str) -> str:
    """The country a time zone lies in ("Europe/Berlin" → "DE"), or "" for UTC and the like."""
    code = _zone_countries().get(time_zone, "")
    return code if len(code) == 2 and code.isalpha() and code.isupper() else ""
