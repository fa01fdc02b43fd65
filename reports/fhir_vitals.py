"""Measurements and questionnaires in a report's FHIR bundle.

* A reading is an Observation in the vital-signs category, LOINC-coded, with UCUM units:
  blood pressure as the 85354-9 panel with its systolic (8480-6) and diastolic (8462-4)
  components, heart rate 8867-4, oxygen saturation 59408-5 (with 2708-6, which the R4
  vital-signs profile asks for), body temperature 8310-5 in Cel.
* A pulse the cuff showed with a blood pressure is an Observation of its own (8867-4,
  `derivedFrom` the blood pressure panel), not a third component: R4's blood pressure
  profile defines only the two pressures as components, and a receiver looking for heart
  rates finds every one under the one code.
* A PHQ-9 or GAD-7 response is a QuestionnaireResponse (its LOINC form as the canonical,
  one item per question in the instrument's order, linkIds "1" to "9" or "7", each answer
  its 0–3 value), and its total score an Observation (44261-6, 70274-6) in the survey
  category, `derivedFrom` the response. Sidelog's own weekly recall has no published form
  or code and stays in the CSV.
* Each is `derivedFrom` the dose's Observation when the patient linked it to a dose.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol

from questionnaires.models import Instrument
from reference.models import MeasurementKind
from reports.content import ReportContent
from reports.vitals import HIGH_MEANING, ReadingRow, ScoreRow

Json = dict[str, Any]
Narrative = tuple[str, list[str]]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
BLOOD_PRESSURE = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
HEART_RATE = ("8867-4", "Heart rate")
# kind: the LOINC codings, and the UCUM unit as (code, human unit).
VALUE_CODES: dict[str, tuple[list[tuple[str, str]], tuple[str, str]]] = {
    MeasurementKind.HEART_RATE.value: ([HEART_RATE], ("/min", "beats/minute")),
    MeasurementKind.OXYGEN_SATURATION.value: (
        [
            ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            ("2708-6", "Oxygen saturation in Arterial blood"),
        ],
        ("%", "%"),
    ),
    MeasurementKind.BODY_TEMPERATURE.value: ([("8310-5", "Body temperature")], ("Cel", "Cel")),
}
MM_HG = ("mm[Hg]", "mmHg")
# instrument: its LOINC form, and its total score's code.
INSTRUMENTS = {
    Instrument.PHQ_9.value: (
        "http://loinc.org/q/44249-1",
        ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    ),
    Instrument.GAD_7.value: (
        "http://loinc.org/q/69737-5",
        ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
    ),
}


class Builder(Protocol):
    """What `reports.fhir` offers the resources made here."""

    content: ReportContent

    def url(self, kind: str, row_id: object) -> str: ...

    def time(self, value: datetime) -> str: ...

    def identifier(self, kind: str, row_id: int) -> Json: ...

    def patient(self) -> Json: ...

    def bundle_entry(self, resource_type: str, full_url: str, **fields: Any) -> Json: ...


def loinc(*codings: tuple[str, str]) -> Json:
    return {
        "coding": [
            {"system": LOINC, "code": code, "display": display} for code, display in codings
        ],
        "text": codings[0][1],
    }


def quantity(value: float, unit: tuple[str, str]) -> Json:
    return {"value": value, "unit": unit[1], "system": UCUM, "code": unit[0]}


def category(code: str) -> list[Json]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}]


def reading_urls(doc: Builder) -> list[str]:
    urls = []
    for reading in doc.content.readings:
        urls.append(doc.url("Measurement", reading.id))
        if reading.pulse is not None:
            urls.append(doc.url("Pulse", reading.id))
    return urls


def scored(content: ReportContent) -> list[ScoreRow]:
    return [row for row in content.scores if row.instrument in INSTRUMENTS]


def questionnaire_urls(doc: Builder) -> list[str]:
    return [
        url
        for row in scored(doc.content)
        for url in (doc.url("QuestionnaireResponse", row.id), doc.url("Score", row.id))
    ]


def vitals_entries(doc: Builder) -> Iterator[Json]:
    """Every reading's Observations, then every response and its score."""
    for reading in doc.content.readings:
        yield reading_observation(doc, reading)
        if reading.pulse is not None:
            yield pulse_observation(doc, reading)
    for row in scored(doc.content):
        yield questionnaire_response(doc, row)
        yield score_observation(doc, row)


def _observation(doc: Builder, reading: ReadingRow, kind: str, code: Json) -> Json:
    fields: Json = {
        "identifier": [doc.identifier(kind, reading.id)],
        "status": "final",
        "category": category("vital-signs"),
        "code": code,
        "subject": doc.patient(),
        "effectiveDateTime": doc.time(reading.measured_at),
        "performer": [doc.patient()],
    }
    if reading.dose_id is not None:
        fields["derivedFrom"] = [{"reference": doc.url("Dose", reading.dose_id)}]
    fields["note"] = [{"text": reading.context_label}]
    if reading.note:
        fields["note"].append({"authorReference": doc.patient(), "text": reading.note})
    return fields


def reading_observation(doc: Builder, reading: ReadingRow) -> Json:
    if reading.is_blood_pressure:
        fields = _observation(doc, reading, "measurement", loinc(BLOOD_PRESSURE))
        fields["component"] = [
            {"code": loinc(SYSTOLIC), "valueQuantity": quantity(reading.systolic or 0, MM_HG)},
            {"code": loinc(DIASTOLIC), "valueQuantity": quantity(reading.diastolic or 0, MM_HG)},
        ]
    else:
        codings, unit = VALUE_CODES[reading.kind]
        fields = _observation(doc, reading, "measurement", loinc(*codings))
        fields["valueQuantity"] = quantity(reading.value or 0, unit)
    return doc.bundle_entry("Observation", doc.url("Measurement", reading.id), **fields)


def pulse_observation(doc: Builder, reading: ReadingRow) -> Json:
    fields = _observation(doc, reading, "measurement-pulse", loinc(HEART_RATE))
    fields["valueQuantity"] = quantity(reading.pulse or 0, VALUE_CODES["heart_rate"][1])
    panel = {"reference": doc.url("Measurement", reading.id)}
    fields["derivedFrom"] = [panel, *fields.get("derivedFrom", [])]
    return doc.bundle_entry("Observation", doc.url("Pulse", reading.id), **fields)


def questionnaire_response(doc: Builder, row: ScoreRow) -> Json:
    form, _ = INSTRUMENTS[row.instrument]
    items = [
        {"linkId": str(number), "answer": [{"valueInteger": answer}]}
        for number, answer in enumerate(row.answers, start=1)
    ]
    if row.difficulty is not None:
        items.append({"linkId": "difficulty", "answer": [{"valueInteger": row.difficulty}]})
    return doc.bundle_entry(
        "QuestionnaireResponse",
        doc.url("QuestionnaireResponse", row.id),
        identifier=doc.identifier("questionnaire-response", row.id),
        questionnaire=form,
        status="completed",
        subject=doc.patient(),
        authored=doc.time(row.completed_at),
        source=doc.patient(),
        item=items,
    )


def score_observation(doc: Builder, row: ScoreRow) -> Json:
    _, total = INSTRUMENTS[row.instrument]
    derived = [{"reference": doc.url("QuestionnaireResponse", row.id)}]
    if row.dose_id is not None:
        derived.append({"reference": doc.url("Dose", row.dose_id)})
    fields: Json = {
        "identifier": [doc.identifier("questionnaire-score", row.id)],
        "status": "final",
        "category": category("survey"),
        "code": loinc(total),
        "subject": doc.patient(),
        "effectiveDateTime": doc.time(row.completed_at),
        "performer": [doc.patient()],
        "derivedFrom": derived,
    }
    if row.score is not None:
        fields["valueInteger"] = row.score
    if row.band:
        fields["interpretation"] = [{"text": row.band}]
    return doc.bundle_entry("Observation", doc.url("Score", row.id), **fields)


def vitals_narrative(content: ReportContent) -> Narrative:
    readings = content.readings
    high = sum(1 for row in readings if row.is_high)
    fevers = len(content.fevers)
    text = (
        f"{len(readings)} reading{'' if len(readings) == 1 else 's'} recorded in this period: "
        f"{high} blood pressure{'' if high == 1 else 's'} counted as high and "
        f"{fevers} temperature{'' if fevers == 1 else 's'} of 38 °C or more. {HIGH_MEANING}"
    )
    return f"<p>{_escape(text)}</p>", [text]


def scores_narrative(doc: Builder) -> Narrative:
    lines = [
        f"{doc.time(row.completed_at)} {row.instrument_label}: {row.score_text}"
        + (f" ({row.band})" if row.band else "")
        for row in scored(doc.content)
    ]
    markup = "".join(f"<p>{_escape(line)}</p>" for line in lines)
    return markup, lines


def _escape(text: str) -> str:
    return html.escape(text)
